import { describe, expect, it } from 'vitest';
import { engine, fixture, importFixtures, STRICT } from './import-helpers';
import { extraText, ImportError } from '$lib/imports/errors';
import { inspectFile } from '$lib/imports/inspect';
import { fromBytes } from '$lib/imports/source';
import { dedupe } from '$lib/imports/formats';
import { recordPieces } from '$lib/imports/records';
import { DEFAULT_SETTINGS, summaryQuery } from '$lib/metrics/service';
import { EMPTY_FILTER } from '$lib/filters/filter';

/*
 * One test per rule of call assembly (src/lib/imports/calls/*: which rows become one call)
 * and of the checks every format goes through (src/lib/imports/review.ts). Expected values
 * are worked out by hand from the fixtures, in the comments.
 */

async function calls(table: string) {
	const db = await engine();
	const rows = await db.query<Record<string, unknown>>({
		sql: `SELECT call_id, queue, agent, outcome, wait_s, talk_s, strftime(arrival, '%Y-%m-%d %H:%M:%S') AS arr, source_line FROM ${table} ORDER BY arrival, call_id`,
		params: []
	});
	return rows.map((r) => [r.call_id, r.queue, r.agent, r.outcome, r.wait_s, r.talk_s, r.arr]);
}

const counts = (result: { quality: { entries: { kind: string; code: string; count: number }[] } }) =>
	Object.fromEntries(result.quality.entries.map((e) => [`${e.kind}:${e.code}`, e.count]));

describe('Asterisk CDR: legs into calls', () => {
	/*
	 * 1709543000.1: ring group, SIP/201 NO ANSWER and SIP/202 ANSWERED at +12 s (billsec 180)
	 * 1709543100.4: IVR only (Playback, no dstchannel) → other, not an abandon
	 * 1709543200.5: SIP/201 NO ANSWER, then VoiceMail answers: a mailbox is not an agent → abandoned after 40 s
	 */
	const cdr = [
		`"","5551001","600","from-pstn","""C"" <5551001>","SIP/trunk-00000001","SIP/202-0000000a","Dial","SIP/201&SIP/202,20","2024-03-04 09:00:00","2024-03-04 09:00:12","2024-03-04 09:03:12",192,180,"ANSWERED","DOCUMENTATION","1709543000.3","","","1709543000.1",3`,
		`"","5551001","600","from-pstn","""C"" <5551001>","SIP/trunk-00000001","SIP/201-00000002","Dial","SIP/201&SIP/202,20","2024-03-04 09:00:00","","2024-03-04 09:00:12",12,0,"NO ANSWER","DOCUMENTATION","1709543000.2","","","1709543000.1",2`,
		`"","5551002","s","ivr-main","""C"" <5551002>","SIP/trunk-00000004","","Playback","welcome","2024-03-04 09:01:40","2024-03-04 09:01:40","2024-03-04 09:02:10",30,30,"ANSWERED","DOCUMENTATION","1709543100.4","","","1709543100.4",4`,
		`"","5551003","600","from-pstn","""C"" <5551003>","SIP/trunk-00000005","SIP/201-00000006","Dial","SIP/201,25","2024-03-04 09:05:00","","2024-03-04 09:05:25",25,0,"NO ANSWER","DOCUMENTATION","1709543200.6","","","1709543200.5",6`,
		`"","5551003","600","from-pstn","""C"" <5551003>","SIP/trunk-00000005","SIP/201-00000006","VoiceMail","201@default,u","2024-03-04 09:05:25","2024-03-04 09:05:26","2024-03-04 09:05:40",15,14,"ANSWERED","DOCUMENTATION","1709543200.5","","","1709543200.5",7`
	].join('\n');

	it('groups by linkedid: the answering leg gives agent, wait and talk; IVR-only is other; voicemail is not an answer', async () => {
		const result = await importFixtures([['Master.csv', cdr]]);
		expect(await calls(result.table)).toEqual([
			['1709543000.1', '600', 'SIP/202', 'answered', 12, 180, '2024-03-04 09:00:00'],
			['1709543100.4', 's', null, 'other', 30, null, '2024-03-04 09:01:40'],
			['1709543200.5', '600', null, 'abandoned', 40, null, '2024-03-04 09:05:00']
		]);
		expect(counts(result)).toEqual({ 'merged:legs': 2 });
	});

	it('without linkedid, legs that share the caller’s uniqueid are one call', async () => {
		// 18 columns (Asterisk 1.4–11 cdr-csv): the two Dial forks carry the caller's uniqueid.
		const old = [
			`"","5551001","600","from-pstn","C","SIP/trunk-00000001","SIP/202-0000000a","Dial","SIP/201&SIP/202","2024-03-04 09:00:00","2024-03-04 09:00:12","2024-03-04 09:03:12",192,180,"ANSWERED","DOCUMENTATION","1709543000.1",""`,
			`"","5551001","600","from-pstn","C","SIP/trunk-00000001","SIP/201-00000002","Dial","SIP/201&SIP/202","2024-03-04 09:00:00","","2024-03-04 09:00:12",12,0,"NO ANSWER","DOCUMENTATION","1709543000.1",""`
		].join('\n');
		const result = await importFixtures([['Master.csv', old]]);
		expect(await calls(result.table)).toEqual([['1709543000.1', '600', 'SIP/202', 'answered', 12, 180, '2024-03-04 09:00:00']]);
	});

	it('a cdr table exported from a database: header row, calldate, answer and end from duration and billsec', async () => {
		const inspection = await inspectFile(fromBytes('asterisk-cdr-table.csv', fixture('asterisk-cdr-table.csv')));
		expect(inspection.format).toBe('asterisk-cdr');
		expect(inspection.layout.header).toBe(true);
		const result = await importFixtures(['asterisk-cdr-table.csv']);
		// answered: 192 − 180 = 12 s to answer; abandoned: both members rang 25 s, NO ANSWER; IVR: other
		expect(await calls(result.table)).toEqual([
			['1709514000.1', '600', 'SIP/202', 'answered', 12, 180, '2024-03-04 09:00:00'],
			['1709514300.4', '600', null, 'abandoned', 25, null, '2024-03-04 09:05:00'],
			['1709514480.7', 's', null, 'other', 30, null, '2024-03-04 09:08:00']
		]);
		expect(counts(result)).toEqual({ 'merged:legs': 2 });
	});
});

describe('Asterisk CDR of a PBX with queues: only calls that reached a queue are offered', () => {
	const summary = async (table: string) => {
		const [row] = await (await engine()).query<Record<string, unknown>>(summaryQuery(table, DEFAULT_SETTINGS, EMPTY_FILTER));
		return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]));
	};

	it('outbound and internal calls are left out and counted; inbound calls keep the rules, queued or not', async () => {
		const result = await importFixtures(['queue-mixed-Master.csv']);
		// Queue: answered after 15 s; NO ANSWER after 40 s; an ext-queues leg that FAILED after 300 s.
		// Inbound without a queue: the IVR alone (other, its 20 s) and a DID rung straight to SIP/201 (answered after 5 s).
		expect(await calls(result.table)).toEqual([
			['1709715600.1', '8001', 'SIP/agent101', 'answered', 15, 180, '2024-03-06 09:00:00'],
			['1709716200.3', '8001', null, 'abandoned', 40, null, '2024-03-06 09:10:00'],
			['1709716800.4', '8002', null, 'unanswered', 300, null, '2024-03-06 09:20:00'],
			['1709717400.5', 's', null, 'other', 20, null, '2024-03-06 09:30:00'],
			['1709717700.6', '6001', 'SIP/201', 'answered', 5, 60, '2024-03-06 09:35:00']
		]);
		expect(counts(result)).toEqual({ 'excluded:cdr_outbound': 3, 'excluded:cdr_internal': 2 });
		const entry = (code: string) => result.quality.entries.find((e) => e.code === code)!;
		expect(entry('cdr_outbound').examples.map((x) => [x.line, x.value])).toEqual([
			[6, 'call 1709718000.8: 201 → 139****5678'],
			[7, 'call 1709718300.10: 202 → ***0100'],
			[8, 'call 1709718420.11: 203 → 112']
		]);
		expect(entry('cdr_internal').examples[0]).toMatchObject({ file: 'queue-mixed-Master.csv', line: 9, value: 'call 1709718600.12: 201 → 202' });
		expect(result.quality.flags).toEqual([]);
		// Offered 4, 2 answered within 20 s (15 s, 5 s): the outbound and internal answers (after 10 s and
		// 4 s) would have made it 4 of 9 offered if they were counted, and ASA 8.5 s.
		expect(await summary(result.table)).toMatchObject({ volume: 5, offered: 4, answered: 2, answered_within: 2, asa_s: 10, aht_s: 120 });
		expect((await summary(result.table)).service_level).toBeCloseTo(2 / 4);
	});

	it('FreePBX: queue legs answered by the PBX at their start give no wait; without member legs, waits are unknown and flagged', async () => {
		const result = await importFixtures(['freepbx-queue-Master.csv']);
		// Answer = start on every Queue leg: the member named on the leg answered, at an unknown
		// time (wait and talk NULL; billsec counts the queue); the leg with no member is a caller
		// who hung up in the queue after 45 s.
		expect(await calls(result.table)).toEqual([
			['1709805600.1', '400', 'Local/101@from-queue', 'answered', null, null, '2024-03-07 10:00:00'],
			['1709805900.3', '400', null, 'abandoned', 45, null, '2024-03-07 10:05:00'],
			['1709806200.4', '400', 'Local/102@from-queue', 'answered', null, null, '2024-03-07 10:10:00']
		]);
		expect(counts(result)).toEqual({ 'excluded:cdr_outbound': 1, 'warning:wait_unknown': 2 });
		expect(result.quality.flags).toEqual(['wait_unknown']);
		// Not ASA 0 and service level 100 %: no answered call has a wait.
		expect(await summary(result.table)).toMatchObject({ answered: 2, abandoned: 1, answered_within: 0, asa_s: null, aht_s: null });
	});

	it('FreePBX with member legs: the agent leg’s answer gives the wait, and nothing is flagged', async () => {
		const result = await importFixtures(['freepbx-members-Master.csv']);
		// 10:00:00 → SIP/101 answers 10:00:14 (billsec 196); 10:10:00 → SIP/102 answers 10:10:30 (billsec 90);
		// the second caller hangs up at 10:05:45 while 101 rings.
		expect(await calls(result.table)).toEqual([
			['1709805600.1', '400', 'SIP/101', 'answered', 14, 196, '2024-03-07 10:00:00'],
			['1709805900.3', '400', null, 'abandoned', 45, null, '2024-03-07 10:05:00'],
			['1709806200.4', '400', 'SIP/102', 'answered', 30, 90, '2024-03-07 10:10:00']
		]);
		expect(counts(result)).toEqual({ 'merged:legs': 4 });
		expect(result.quality.flags).toEqual([]);
		expect(await summary(result.table)).toMatchObject({ answered: 2, answered_within: 1, asa_s: 22 });
	});

	it('a database export of the FreePBX file (calldate, duration = billsec) is read the same way', async () => {
		const header = 'calldate,src,dst,dcontext,channel,dstchannel,lastapp,lastdata,duration,billsec,disposition,uniqueid,linkedid';
		const rows = [
			'2024-03-07 10:00:00,13800000011,400,ext-queues,SIP/trunk-00000001,Local/101@from-queue-00000002;1,Queue,400,210,210,ANSWERED,1709805600.1,1709805600.1',
			'2024-03-07 10:05:00,13800000012,400,ext-queues,SIP/trunk-00000003,,Queue,400,45,45,ANSWERED,1709805900.3,1709805900.3'
		];
		const result = await importFixtures([['cdr.csv', [header, ...rows].join('\n')]]);
		expect(await calls(result.table)).toEqual([
			['1709805600.1', '400', 'Local/101@from-queue', 'answered', null, null, '2024-03-07 10:00:00'],
			['1709805900.3', '400', null, 'abandoned', 45, null, '2024-03-07 10:05:00']
		]);
		expect(result.quality.flags).toEqual(['wait_unknown']);
	});

	it('a file without queue legs keeps the small-office rules: every call that was dialled is offered', async () => {
		const office = [
			`"","201","202","from-internal","C","SIP/201-0000000c","SIP/202-0000000d","Dial","SIP/202,20","2024-03-06 09:50:00","2024-03-06 09:50:04","2024-03-06 09:51:04",64,60,"ANSWERED","DOCUMENTATION","1709718600.12",""`,
			`"","201","13912345678","from-internal","C","SIP/201-0000000e","SIP/trunk-0000000f","Dial","SIP/trunk/13912345678","2024-03-06 09:55:00","2024-03-06 09:55:10","2024-03-06 09:56:10",70,60,"ANSWERED","DOCUMENTATION","1709718900.14",""`
		].join('\n');
		const result = await importFixtures([['Master.csv', office]]);
		expect(await calls(result.table)).toEqual([
			['1709718600.12', '202', 'SIP/202', 'answered', 4, 60, '2024-03-06 09:50:00'],
			['1709718900.14', '13912345678', 'SIP/trunk', 'answered', 10, 60, '2024-03-06 09:55:00']
		]);
		expect(counts(result)).toEqual({});
	});
});

describe('Grandstream UCM export: one call per Session', () => {
	it('is recognised by its header and assembled per Session', async () => {
		const inspection = await inspectFile(fromBytes('grandstream-cdr.csv', fixture('grandstream-cdr.csv')));
		expect(inspection.format).toBe('grandstream');
		const result = await importFixtures(['grandstream-cdr.csv']);
		// S1: IVR then QUEUE[6500], answered by 6001 at 09:00:12 → wait 12, talk 3:00
		// S2: IVR then two queue legs NO ANSWER until 09:10:35 → abandoned after 35 s
		// S3: IVR only → other; S4: direct DIAL to 6003, BUSY → unanswered, queue = Call To
		expect(await calls(result.table)).toEqual([
			['1709514000.1', '6500', '6001', 'answered', 12, 180, '2024-03-04 09:00:00'],
			['1709514600.4', '6500', null, 'abandoned', 35, null, '2024-03-04 09:10:00'],
			['1709515200.7', '6500', null, 'other', 40, null, '2024-03-04 09:20:00'],
			['1709515800.8', '6003', null, 'unanswered', 3, null, '2024-03-04 09:30:00']
		]);
		expect(counts(result)).toEqual({ 'merged:legs': 4 });
	});
});

describe('FreeSWITCH: a- and b-legs joined, repeated uuids merged', () => {
	// a-leg A1 bridged to b-leg B1 (agent 1001 answers at +9 s, billsec 60); a-leg A2 written twice.
	const rows = [
		`"C","13800000001","8001","default","2024-03-04 09:00:00","2024-03-04 09:00:01","2024-03-04 09:01:10","70","69","NORMAL_CLEARING","aaaaaaaa-0000-4000-8000-000000000001","bbbbbbbb-0000-4000-8000-000000000001","","PCMU","PCMU"`,
		`"C","13800000001","1001","default","2024-03-04 09:00:01","2024-03-04 09:00:09","2024-03-04 09:01:09","68","60","NORMAL_CLEARING","bbbbbbbb-0000-4000-8000-000000000001","","","PCMU","PCMU"`,
		`"D","13800000002","8001","default","2024-03-04 09:05:00","","2024-03-04 09:05:20","20","0","ORIGINATOR_CANCEL","aaaaaaaa-0000-4000-8000-000000000002","","","PCMU","PCMU"`,
		`"D","13800000002","8001","default","2024-03-04 09:05:00","","2024-03-04 09:05:20","20","0","ORIGINATOR_CANCEL","aaaaaaaa-0000-4000-8000-000000000002","","","PCMU","PCMU"`
	].join('\n');

	it('the b-leg answers the call and names the agent; the repeated row is one call', async () => {
		const result = await importFixtures([['Master.csv', rows]]);
		expect(await calls(result.table)).toEqual([
			['aaaaaaaa-0000-4000-8000-000000000001', '8001', '1001', 'answered', 9, 60, '2024-03-04 09:00:00'],
			['aaaaaaaa-0000-4000-8000-000000000002', '8001', null, 'abandoned', 20, null, '2024-03-04 09:05:00']
		]);
		expect(counts(result)).toEqual({ 'merged:legs': 1, 'merged:duplicate_id': 1 });
	});
});

describe('queue_log: a call starts at its ENTERQUEUE', () => {
	it('a table export with a header is recognised; a reused call id is a new call; CONNECT without ENTERQUEUE is reported', async () => {
		const inspection = await inspectFile(fromBytes('queue_log-table.csv', fixture('queue_log-table.csv')));
		expect(inspection.format).toBe('queue_log');
		expect(inspection.layout.columns).toEqual(['uid', 'time', 'callid', 'queue', 'agent', 'event', 'data1', 'data2', 'data3', 'data4', 'data5']);
		const result = await importFixtures(['queue_log-table.csv']);
		expect(await calls(result.table)).toEqual([
			['1709514000.1', 'cards', 'Agent/101', 'answered', 10, 180, '2024-03-04 09:00:00'],
			['1709514000.1#2', 'cards', null, 'abandoned', 4, null, '2024-03-05 10:00:00'],
			['1709600000.5', 'loans', 'Agent/102', 'answered', 20, 120, '2024-03-05 10:05:00']
		]);
		expect(counts(result)).toEqual({ 'warning:no_enterqueue': 1 });
	});

	it('events out of order in the file are read in time order', async () => {
		const log = ['1709514190|c1|q|Agent/1|COMPLETECALLER|10|180|1', '1709514000|c1|q|NONE|ENTERQUEUE||1|1', '1709514010|c1|q|Agent/1|CONNECT|10|x|1'].join(
			'\n'
		);
		const result = await importFixtures([['queue_log', log]], { utcOffsetSeconds: 0 });
		expect(await calls(result.table)).toEqual([['c1', 'q', 'Agent/1', 'answered', 10, 180, '2024-03-04 01:00:00']]);
	});
});

describe('checks and repairs on every format', () => {
	const header = 'call_id,queue,agent,arrival,answer,end,outcome,wait,talk';
	const csv = (...lines: string[]) => [header, ...lines].join('\n') + '\n';

	it('clock skew within the tolerance is repaired and reported; beyond it the row is skipped, naming the check and both values', async () => {
		const file = csv(
			'K1,cards,A1,2024-03-04 09:00:10,2024-03-04 09:00:08,2024-03-04 09:03:00,answered,,',
			'K2,cards,A1,2024-03-04 09:10:00,2024-03-04 09:09:00,2024-03-04 09:13:00,answered,,',
			'K3,cards,A1,2024-03-04 09:20:00,2024-03-04 09:20:05,2024-03-04 09:23:00,answered,,'
		);
		const result = await importFixtures([['skew.csv', file]]);
		expect(await calls(result.table)).toEqual([
			// talk runs from the recorded answer (09:00:08) to the end: 172 s
			['K1', 'cards', 'A1', 'answered', 0, 172, '2024-03-04 09:00:10'],
			['K3', 'cards', 'A1', 'answered', 5, 175, '2024-03-04 09:20:00']
		]);
		expect(counts(result)).toEqual({ 'repaired:clock_skew': 1, 'skipped:answer_before_arrival': 1 });
		const skipped = result.quality.entries.find((e) => e.kind === 'skipped')!;
		expect(skipped.examples[0]).toMatchObject({ file: 'skew.csv', line: 3, value: 'arrival 2024-03-04 09:10:00, answer 2024-03-04 09:09:00' });

		const strict = await importFixtures([['skew.csv', file]], STRICT).catch((e: unknown) => e);
		expect(strict).toBeInstanceOf(ImportError);
		expect((strict as ImportError).message).toBe(
			'file skew.csv, line 3: check "answer not before arrival" failed: the call is answered before it arrives (beyond the clock-skew tolerance): "arrival 2024-03-04 09:10:00, answer 2024-03-04 09:09:00"'
		);
		// A wider tolerance repairs it.
		const wide = await importFixtures([['skew.csv', file]], { clockSkewS: 120 });
		expect(counts(wide)).toEqual({ 'repaired:clock_skew': 2 });
	});

	it('durations must be finite seconds from 0 to a day: NaN, Infinity, 1e309, negative and 10^12 are bad rows', async () => {
		const file = csv(
			'D1,cards,A1,2024-03-04 09:00:00,2024-03-04 09:00:10,2024-03-04 09:03:00,answered,10,NaN',
			'D2,cards,A1,2024-03-04 09:01:00,2024-03-04 09:01:10,2024-03-04 09:03:00,answered,Infinity,100',
			'D3,cards,A1,2024-03-04 09:02:00,2024-03-04 09:02:10,2024-03-04 09:04:00,answered,10,1e309',
			'D4,cards,,2024-03-04 09:03:00,,2024-03-04 09:04:00,abandoned,-40,',
			'D5,cards,A1,2024-03-04 09:04:00,2024-03-04 09:04:10,2024-03-04 09:05:00,answered,10,1000000000000',
			'D6,cards,A1,2024-03-04 09:05:00,2024-03-04 09:05:10,2024-03-04 09:08:00,answered,10,170'
		);
		const result = await importFixtures([['durations.csv', file]]);
		expect((await calls(result.table)).map((c) => c[0])).toEqual(['D6']);
		const skipped = result.quality.entries.filter((e) => e.kind === 'skipped');
		expect(skipped.map((e) => [e.code, e.count])).toEqual([['duration', 5]]);
		expect(skipped[0]!.examples.map((e) => [e.line, e.column, e.value]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
			// Unreadable or beyond a day either way: the cell as written, checked before assembly.
			[2, 'talk', 'NaN'],
			[3, 'wait', 'Infinity'],
			[4, 'talk', '1e309'],
			// A small negative passes to the review (clock skew might explain it) and fails there.
			[5, 'wait', '-40.0'],
			[6, 'talk', '1000000000000']
		]);
	});

	it('identical rows are kept once; the same id with other values is kept and reported', async () => {
		const row = 'R1,cards,A1,2024-03-04 09:00:00,2024-03-04 09:00:10,2024-03-04 09:03:00,answered,,';
		const file = csv(
			row,
			row,
			row,
			'R2,cards,A1,2024-03-04 09:10:00,2024-03-04 09:10:10,2024-03-04 09:13:00,answered,,',
			'R2,cards,A2,2024-03-04 09:10:00,2024-03-04 09:10:30,2024-03-04 09:13:00,answered,,'
		);
		const result = await importFixtures([['dups.csv', file]]);
		expect((await calls(result.table)).map((c) => c[0])).toEqual(['R1', 'R2', 'R2']);
		expect(counts(result)).toEqual({ 'merged:duplicate_rows': 2, 'warning:conflicting_duplicates': 2 });
	});

	it('times without seconds import, with a warning that marks waits', async () => {
		const file = csv(
			'M1,cards,A1,2024/3/4 9:00,2024/3/4 9:00,2024/3/4 9:03,answered,,',
			'M2,cards,A1,2024/3/4 9:05,2024/3/4 9:06,2024/3/4 9:09,answered,,',
			'M3,cards,,2024/3/4 9:10,,2024/3/4 9:11,abandoned,,'
		);
		const result = await importFixtures([['resaved.csv', file]]);
		expect(result.rows).toBe(3);
		expect(result.quality.flags).toEqual(['minute_precision']);
		expect(counts(result)).toEqual({ 'warning:minute_precision': 3 });
	});
});

describe('layouts that are not recognised', () => {
	it('the message says what was tried, the columns found, what is still needed and what was guessed', async () => {
		const error = await importFixtures(['unrecognised.csv']).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ImportError);
		const message = (error as ImportError).message;
		expect((error as ImportError).detail.problem).toBe('unrecognised');
		expect(message).toContain('unrecognised.csv');
		expect(message).toContain('tried Asterisk CDR');
		expect(message).toContain('Grandstream UCM CDR');
		expect(message).toContain('columns found: "Zeitpunkt", "Warteschlange", "Bearbeiter", "Dauer"');
		expect(message).toContain('still needed: arrival');
		expect(message).toContain('--map arrival="COLUMN"');
	});

	it('a mapping makes it import', async () => {
		const result = await importFixtures(['unrecognised.csv'], {
			mapping: { arrival: 'Zeitpunkt', queue: 'Warteschlange', agent: 'Bearbeiter', talk: 'Dauer' }
		});
		expect(await calls(result.table)).toEqual([
			// no answer time or wait in the file: the wait is unknown
			['unrecognised.csv:2', 'Karten', 'Meier', 'answered', null, 180, '2024-03-04 09:00:00'],
			['unrecognised.csv:3', 'Karten', 'Schulz', 'answered', null, 120, '2024-03-04 09:05:00']
		]);
	});

	it('column names that collide with the pipeline’s own or differ only in case are renamed', () => {
		expect(dedupe(['agent', 'Agent', '__line', 'stage', 'AGENT'])).toEqual(['agent', 'Agent_2', '__line_2', 'stage', 'AGENT_3']);
	});
});

describe('cutting files into record pieces', () => {
	const streamOf = (text: string, chunk = 7) => {
		const bytes = new TextEncoder().encode(text);
		return new ReadableStream<Uint8Array>({
			start(controller) {
				for (let i = 0; i < bytes.length; i += chunk) controller.enqueue(bytes.slice(i, i + chunk));
				controller.close();
			}
		});
	};
	const cut = async (text: string, options: Parameters<typeof recordPieces>[2], target = 16) => {
		const pieces = [];
		for await (const piece of recordPieces(streamOf(text), target, options))
			pieces.push({ text: new TextDecoder().decode(piece.bytes), records: piece.records });
		return pieces;
	};

	it('a quote opens a quoted field only at a field start: O"Brien is text', async () => {
		const text = 'id,name\n1,O"Brien\n2,"a, b\nc"\n3,x\n';
		const pieces = await cut(text, { quoted: true });
		expect(pieces.map((p) => p.text).join('')).toBe(text);
		// Every piece ends at a record end: the quoted line break stays inside its record.
		for (const p of pieces) expect(p.text.endsWith('\n')).toBe(true);
		expect(pieces.reduce((n, p) => n + p.records, 0)).toBe(4);
		expect(pieces.some((p) => p.text.startsWith('c"'))).toBe(false);
	});

	it('a record longer than the limit stops with the line it starts on', async () => {
		const text = 'id,name\n1,ok\n2,"never closed\n' + 'x'.repeat(200) + '\n';
		const error = await cut(text, { quoted: true, maxRecordBytes: 100, fileName: 'long.csv' }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ImportError);
		expect((error as ImportError).detail).toMatchObject({ problem: 'malformed', file: 'long.csv', line: 3 });
		expect((error as ImportError).message).toContain('a record longer than 100 bytes starts here (a quote that is never closed?)');
		// The page says the same in the user's language: the words are the app's messages, with the values.
		const zh = extraText((error as ImportError).detail, 'zh-CN')!;
		expect(zh).toContain('100');
		expect(zh).toMatch(/[\u4e00-\u9fff]/);
		expect(zh).not.toMatch(/record|quote/);
	});

	it('one long record is scanned once: 20 MB in one record with small chunks finishes', async () => {
		const big = 'id,note\n1,"' + 'y'.repeat(20_000_000) + '"\n2,z\n';
		const bytes = new TextEncoder().encode(big);
		const stream = new ReadableStream<Uint8Array>({
			start(controller) {
				for (let i = 0; i < bytes.length; i += 65_536) controller.enqueue(bytes.slice(i, i + 65_536));
				controller.close();
			}
		});
		let total = 0;
		let records = 0;
		for await (const piece of recordPieces(stream, 1024 * 1024, { quoted: true, maxRecordBytes: 64_000_000 })) {
			total += piece.bytes.byteLength;
			records += piece.records;
		}
		expect(total).toBe(bytes.byteLength);
		expect(records).toBe(3);
	}, 20_000);

	it('cancel takes effect between steps', async () => {
		const controller = new AbortController();
		controller.abort();
		const error = await cut('a\nb\n', { quoted: false, signal: controller.signal }).catch((e: unknown) => e);
		expect((error as ImportError).detail.problem).toBe('cancelled');
	});
});

describe('times with an explicit offset', () => {
	it('are instants, shown in the import’s local time (UTC+8 here), not with the offset dropped', async () => {
		const file =
			'call_id,arrival,answer,end\nZ1,2024-03-04T01:00:00Z,2024-03-04T01:00:10Z,2024-03-04T01:03:00Z\nZ2,2024-03-04 09:05:00+08:00,2024-03-04 09:05:20+08:00,2024-03-04 09:08:00+08:00\nZ3,2024-03-04T10:10:00+09:00,2024-03-04T10:10:05+09:00,2024-03-04T10:12:00+09:00\n';
		const result = await importFixtures([['offsets.csv', file]], { utcOffsetSeconds: 8 * 3600 });
		expect((await calls(result.table)).map((c) => [c[0], c[4], c[6]])).toEqual([
			['Z1', 10, '2024-03-04 09:00:00'],
			['Z2', 20, '2024-03-04 09:05:00'],
			['Z3', 5, '2024-03-04 09:10:00']
		]);
	});
});

describe('dates out of range', () => {
	it('years such as 1900 and 2999 are bad rows, named with their value', async () => {
		const file =
			'call_id,arrival,answer,end\nY1,1900-01-01 09:00:00,1900-01-01 09:00:10,1900-01-01 09:03:00\nY2,2999-01-01 09:00:00,2999-01-01 09:00:10,2999-01-01 09:03:00\nY3,2024-03-04 09:00:00,2024-03-04 09:00:10,2024-03-04 09:03:00\n';
		const result = await importFixtures([['years.csv', file]]);
		expect((await calls(result.table)).map((c) => c[0])).toEqual(['Y3']);
		const entry = result.quality.entries.find((e) => e.code === 'date_range')!;
		expect(entry).toMatchObject({ kind: 'skipped', count: 2 });
		expect(entry.examples.map((e) => [e.line, e.value])).toEqual([
			[2, 'arrival 1900-01-01 09:00:00'],
			[3, 'arrival 2999-01-01 09:00:00']
		]);
	});
});
