import { describe, expect, it } from 'vitest';
import { engine, importFixtures } from './import-helpers';
import type { Mapping } from '$lib/imports/canonical';
import { ImportError } from '$lib/imports/errors';
import type { ImportResult } from '$lib/imports/pipeline';
import { legWord } from '$lib/imports/leg-values';

const bytes = (text: string) => new TextEncoder().encode(text);

const MAPPING: Mapping = {
	call_id: 'Call ID',
	direction: 'Direction',
	status: 'Status',
	arrival: 'Start',
	answer: 'Answered',
	end: 'End',
	talk: 'Talk',
	agent: 'Agent',
	queue: 'Queue',
	from: 'From',
	to: 'To'
};
const HEADER = 'Call ID,Direction,Status,Start,Answered,End,Talk,Agent,Queue,From,To';

interface Call {
	call_id: string;
	agent: string | null;
	queue: string | null;
	arrival: string;
	answer: string | null;
	wait_s: number | null;
	talk_s: number | null;
	outcome: string;
}

async function calls(result: ImportResult): Promise<Call[]> {
	const db = await engine();
	return (
		await db.query<Record<string, unknown>>({
			sql: `SELECT call_id, agent, queue, strftime(arrival, '%H:%M:%S') AS arrival, strftime(answer, '%H:%M:%S') AS answer, wait_s, talk_s, outcome
			      FROM ${result.table} ORDER BY call_id`,
			params: []
		})
	).map((r) => ({ ...(r as unknown as Call), wait_s: r.wait_s === null ? null : Number(r.wait_s), talk_s: r.talk_s === null ? null : Number(r.talk_s) }));
}

const count = (result: ImportResult, code: string) => result.quality.entries.find((e) => e.code === code)?.count ?? 0;

function importLegs(lines: string[], plan: Parameters<typeof importFixtures>[1] = {}) {
	return importFixtures([['legs.csv', bytes([HEADER, ...lines].join('\n') + '\n')]], { mapping: MAPPING, ...plan });
}

describe('leg log: legs into calls', () => {
	it('groups legs by call id; the answering agent leg gives agent, wait and talk; others rung are attempts', async () => {
		const result = await importLegs([
			'c1,Inbound,Answered,2024-03-01 09:00:00,2024-03-01 09:00:01,2024-03-01 09:03:00,179,,Sales,5551234,800',
			'c1,Internal,No answer,2024-03-01 09:00:05,,2024-03-01 09:00:20,0,201,Sales,800,201',
			'c1,Internal,Answered,2024-03-01 09:00:20,2024-03-01 09:00:30,2024-03-01 09:03:00,150,202,Sales,800,202',
			'c2,Inbound,Unanswered,2024-03-01 09:10:00,,2024-03-01 09:10:40,0,,Sales,5559999,800',
			'c2,Internal,No answer,2024-03-01 09:10:02,,2024-03-01 09:10:40,0,203,Sales,800,203'
		]);
		expect(await calls(result)).toEqual([
			{ call_id: 'c1', agent: '202', queue: 'Sales', arrival: '09:00:00', answer: '09:00:30', wait_s: 30, talk_s: 150, outcome: 'answered' },
			{ call_id: 'c2', agent: null, queue: 'Sales', arrival: '09:10:00', answer: null, wait_s: 40, talk_s: null, outcome: 'abandoned' }
		]);
		expect(count(result, 'legs')).toBe(3);
		expect(count(result, 'legs_attempts')).toBe(2);
		expect(result.rows).toBe(2);
	});

	it('a transfer keeps one call, counted; the talk is the first agent leg', async () => {
		const result = await importLegs([
			'c1,Inbound,Answered,2024-03-01 09:00:00,2024-03-01 09:00:00,2024-03-01 09:05:00,300,,Sales,5551234,800',
			'c1,Queue,Answered,2024-03-01 09:00:00,2024-03-01 09:00:12,2024-03-01 09:02:00,108,201,Sales,800,201',
			'c1,Internal,Answered,2024-03-01 09:02:00,2024-03-01 09:02:05,2024-03-01 09:05:00,175,305,Sales,201,305'
		]);
		expect(await calls(result)).toEqual([
			{ call_id: 'c1', agent: '201', queue: 'Sales', arrival: '09:00:00', answer: '09:00:12', wait_s: 12, talk_s: 108, outcome: 'answered' }
		]);
		expect(count(result, 'legs_transfers')).toBe(1);
	});

	it('outbound and internal calls are counted apart, never calls', async () => {
		const result = await importLegs([
			'c1,Inbound,Answered,2024-03-01 09:00:00,2024-03-01 09:00:09,2024-03-01 09:01:00,51,201,Sales,5551234,201',
			'o1,Outbound,Answered,2024-03-01 09:20:00,2024-03-01 09:20:10,2024-03-01 09:25:00,290,201,,201,5550000',
			'i1,Internal,Answered,2024-03-01 09:30:00,2024-03-01 09:30:03,2024-03-01 09:31:00,57,202,,201,202',
			'i1,Internal,No answer,2024-03-01 09:30:00,,2024-03-01 09:30:03,0,203,,201,203'
		]);
		expect((await calls(result)).map((c) => c.call_id)).toEqual(['c1']);
		expect(count(result, 'legs_outbound')).toBe(1);
		expect(count(result, 'legs_internal')).toBe(1);
		expect(count(result, 'legs_attempts')).toBe(0);
		const outbound = result.quality.entries.find((e) => e.code === 'legs_outbound')!;
		expect(outbound.kind).toBe('excluded');
		expect(outbound.examples[0]!.value).toBe('call o1: 201 → ***0000');
	});

	it('voicemail is not an agent answer: unanswered when agents rang, other when none did; counted', async () => {
		const result = await importLegs([
			'v1,Inbound,Answered,2024-03-01 09:00:00,2024-03-01 09:00:00,2024-03-01 09:01:30,90,,Sales,5551234,800',
			'v1,Queue,No answer,2024-03-01 09:00:00,,2024-03-01 09:00:25,0,201,Sales,800,201',
			'v1,Internal,Voicemail,2024-03-01 09:00:25,2024-03-01 09:00:25,2024-03-01 09:01:30,65,,Sales,800,VM',
			'v2,Inbound,Answered,2024-03-01 22:00:00,2024-03-01 22:00:00,2024-03-01 22:00:20,20,,Sales,5551234,800',
			'v2,Inbound,Closed,2024-03-01 22:00:00,2024-03-01 22:00:01,2024-03-01 22:00:20,19,,Sales,800,IVR'
		]);
		expect((await calls(result)).map((c) => [c.call_id, c.outcome, c.agent])).toEqual([
			['v1', 'unanswered', null],
			['v2', 'other', null]
		]);
		expect(count(result, 'legs_voicemail')).toBe(2);
		expect(count(result, 'legs_attempts')).toBe(1);
	});

	it('agents all busy: unanswered', async () => {
		const result = await importLegs([
			'b1,Inbound,No answer,2024-03-01 09:00:00,,2024-03-01 09:00:30,0,,Sales,5551234,800',
			'b1,Queue,Busy,2024-03-01 09:00:01,,2024-03-01 09:00:02,0,201,Sales,800,201'
		]);
		expect((await calls(result)).map((c) => [c.call_id, c.outcome, c.wait_s])).toEqual([['b1', 'unanswered', 30]]);
	});
});

describe('leg log: words in four languages', () => {
	it.each([
		['Answered', 'answered'],
		['已接听', 'answered'],
		['Contestada', 'answered'],
		['Atendida', 'answered'],
		['Unanswered', 'no_answer'],
		['未接', 'no_answer'],
		['No contestada', 'no_answer'],
		['Não atendida', 'no_answer'],
		['Voicemail', 'voicemail'],
		['语音信箱', 'voicemail'],
		['Buzón de voz', 'voicemail'],
		['Correio de voz', 'voicemail'],
		['Busy', 'busy'],
		['忙', 'busy'],
		['Ocupado', 'busy']
	])('status %s is %s', (word, expected) => expect(legWord('status', word)).toBe(expected));

	it.each([
		['Inbound', 'inbound'],
		['呼入', 'inbound'],
		['Entrante', 'inbound'],
		['Recebida', 'inbound'],
		['Outbound', 'outbound'],
		['呼出', 'outbound'],
		['Saliente', 'outbound'],
		['Efetuada', 'outbound'],
		['Internal', 'internal'],
		['内部', 'internal'],
		['Interna', 'internal']
	])('direction %s is %s', (word, expected) => expect(legWord('direction', word)).toBe(expected));

	it('a Chinese leg log imports by its words', async () => {
		const result = await importLegs([
			'c1,呼入,已接听,2024-03-01 09:00:00,2024-03-01 09:00:07,2024-03-01 09:01:00,53,201,售后,5551234,201',
			'c2,呼入,未接,2024-03-01 09:05:00,,2024-03-01 09:05:20,0,,售后,5551234,800',
			'c3,呼出,已接听,2024-03-01 09:06:00,2024-03-01 09:06:07,2024-03-01 09:07:00,53,201,,201,5551234'
		]);
		expect((await calls(result)).map((c) => [c.call_id, c.outcome])).toEqual([
			['c1', 'answered'],
			['c2', 'abandoned']
		]);
		expect(result.quality.mapping?.directions).toEqual(expect.arrayContaining([expect.objectContaining({ value: '呼入', class: 'inbound', basis: 'word' })]));
	});

	it('an unknown word stops the import with the list; assigned, it imports', async () => {
		const lines = [
			'c1,Inbound,Picked,2024-03-01 09:00:00,2024-03-01 09:00:07,2024-03-01 09:01:00,53,201,Sales,5551234,201',
			'c2,Inbound,Answered,2024-03-01 09:05:00,2024-03-01 09:05:03,2024-03-01 09:05:20,17,202,Sales,5551234,202'
		];
		const error = await importLegs(lines).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ImportError);
		const detail = (error as ImportError).detail;
		expect(detail.problem).toBe('unassigned_leg_values');
		expect(detail.column).toBe('Status');
		expect(detail.value).toBe('Picked (1)');
		expect(detail.legValues?.values.map((v) => v.value).sort()).toEqual(['Answered', 'Picked']);
		const result = await importLegs(lines, { statusValues: { Picked: 'answered' } });
		expect((await calls(result)).map((c) => c.outcome)).toEqual(['answered', 'answered']);
	});
});

describe('title lines and footer rows (any CSV)', () => {
	it('a semicolon leg log with a title, an export date, a 合计 row and a trailing one-value row', async () => {
		const text = [
			'通话记录报表;;;;;;;;;;',
			'导出时间 2024-03-02;;;;;;;;;;',
			'',
			HEADER.replaceAll(',', ';'),
			'c1;呼入;已接听;2024-03-01 09:00:00;2024-03-01 09:00:07;2024-03-01 09:01:00;53;201;售后;5551234;201',
			'c2;呼入;未接;2024-03-01 09:05:00;;2024-03-01 09:05:20;0;;售后;5551234;800',
			'合计;2;;;;;;;;;',
			';;;;;;;;;;2'
		].join('\n');
		const result = await importFixtures([['legs.csv', bytes(text + '\n')]], { mapping: MAPPING });
		expect(result.rows).toBe(2);
		expect(result.skipped.count).toBe(0);
		const titles = result.quality.entries.find((e) => e.code === 'title_rows')!;
		expect(titles.examples.map((e) => [e.line, e.value])).toEqual([
			[1, '通话记录报表'],
			[2, '导出时间 2024-03-02']
		]);
		const footer = result.quality.entries.find((e) => e.code === 'footer_rows')!;
		expect(footer.examples.map((e) => e.line)).toEqual([7, 8]);
		expect(footer.count).toBe(2);
	});

	it('a per-call CSV: `Totals,3886` under a wider header is a footer, not a bad row', async () => {
		const text = ['Call Report', 'call_id,arrival,answer,end,agent', 'a1,2024-03-01 09:00:00,2024-03-01 09:00:10,2024-03-01 09:02:00,201', 'Totals,3886'].join(
			'\n'
		);
		const result = await importFixtures([['calls.csv', bytes(text + '\n')]], {
			mapping: { call_id: 'call_id', arrival: 'arrival', answer: 'answer', end: 'end', agent: 'agent' }
		});
		expect(result.rows).toBe(1);
		expect(result.skipped.count).toBe(0);
		expect(result.quality.entries.find((e) => e.code === 'footer_rows')?.examples[0]).toMatchObject({ line: 4, value: 'Totals,3886' });
		expect(result.quality.entries.find((e) => e.code === 'title_rows')?.count).toBe(1);
	});

	it('a line of field types under the header is a title row (with a title above), a record among them is not', async () => {
		const text = [
			'Call Report',
			'call_id,arrival,answer,end,agent',
			'VARCHAR(20),DATETIME,DATETIME,DATETIME,VARCHAR(50)',
			'a1,2024-03-01 09:00:00,2024-03-01 09:00:10,2024-03-01 09:02:00,201',
			'a2,2024-03-01 09:05:00,2024-03-01 09:05:04,2024-03-01 09:06:00,202'
		].join('\n');
		const mapping = { call_id: 'call_id', arrival: 'arrival', answer: 'answer', end: 'end', agent: 'agent' };
		const result = await importFixtures([['calls.csv', bytes(text + '\n')]], { mapping });
		expect(result.rows).toBe(2);
		expect(result.skipped.count).toBe(0);
		const titles = result.quality.entries.find((e) => e.code === 'title_rows')!;
		expect(titles.examples.map((e) => [e.line, e.value])).toEqual([
			[1, 'Call Report'],
			[3, 'VARCHAR(20) DATETIME DATETIME DATETIME VARCHAR(50)']
		]);
		// A first record whose other times are words is a record (its arrival is a value), not a header line.
		const blank = ['call_id,arrival,answer,end,agent', 'a0,2024-03-01 08:59:00,none,n/a,Ann', ...text.split('\n').slice(3)].join('\n');
		const kept = await importFixtures([['calls.csv', bytes(blank + '\n')]], { mapping });
		expect(kept.quality.entries.find((e) => e.code === 'title_rows')).toBeUndefined();
		expect(kept.rows + kept.skipped.count).toBe(3);
	});
});
