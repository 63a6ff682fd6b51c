import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { engine, fixture, importFixtures } from './import-helpers';
import { DEFAULT_SETTINGS, groupQuery, summaryQuery } from '$lib/metrics/service';
import type { ImportResult } from '$lib/imports/pipeline';
import type { QualityReport } from '$lib/imports/quality';
import type { Query } from '$lib/engine/types';
import {
	agentOfChannel,
	refAsteriskCdr,
	refBank,
	refFreeswitchCsv,
	refMetrics,
	refMetricsBy,
	refQueueLog,
	wallClock,
	type RefMetrics,
	type RefResult
} from '../reference';
import { EMPTY_FILTER } from '$lib/filters/filter';

/*
 * Conformance on real call-center exports (tests/fixtures/real/, provenance in its README):
 * each file goes through the app's own pipeline (detected format, default settings, UTC
 * offset 0) and the app's metric SQL, and is compared with the independent reference in
 * tests/reference/ (plain TypeScript, row by row, from the formats' documented rules).
 */

const real = (name: string) => new Uint8Array(readFileSync(fileURLToPath(new URL(`../fixtures/real/${name}`, import.meta.url))));

const num = (rows: Record<string, unknown>[]) =>
	rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
async function run(query: Query) {
	return num(await (await engine()).query(query));
}

const COUNTS = ['volume', 'offered', 'answered', 'abandoned', 'unanswered', 'answered_within'] as const;
const RATIOS = ['service_level', 'asa_s', 'aht_s'] as const;

function expectMetrics(actual: Record<string, unknown> | undefined, expected: RefMetrics, label: string) {
	expect(actual, `${label}: no row`).toBeDefined();
	const counts = Object.fromEntries(COUNTS.map((k) => [k, Number(actual![k])]));
	expect(counts, `${label}: counts`).toEqual(Object.fromEntries(COUNTS.map((k) => [k, expected[k]])));
	for (const k of RATIOS) {
		const want = expected[k];
		const got = actual![k];
		if (want === null) expect(got ?? null, `${label}: ${k}`).toBeNull();
		else expect(Number(got), `${label}: ${k}`).toBeCloseTo(want, 6);
	}
}

/** Quality codes the reference counts, with their kind in the app's report. */
const CODES = {
	phantom: 'excluded',
	in_progress_waiting: 'excluded',
	legs: 'merged',
	duplicate_id: 'merged',
	clock_skew: 'repaired',
	minute_precision: 'warning',
	in_progress_answered: 'warning',
	no_enterqueue: 'warning',
	cdr_outbound: 'excluded',
	cdr_internal: 'excluded',
	wait_unknown: 'warning'
} as const;

/** Warnings that mark the whole dataset (the report's flags). */
const FLAGS = ['minute_precision', 'wait_unknown'];

/** `kind:code` → count, from the reference's counters (zeros left out). */
function referenceQuality(ref: RefResult): Record<string, number> {
	const out: Record<string, number> = {};
	const from = (counts: Record<string, number>, kind: string) => {
		for (const [code, n] of Object.entries(counts)) if (code in CODES && n > 0) out[`${kind}:${code}`] = n;
	};
	from(ref.excluded, 'excluded');
	from(ref.merged, 'merged');
	from(ref.repaired, 'repaired');
	from(ref.warnings, 'warning');
	for (const [code, n] of Object.entries(ref.skipped)) if (n > 0) out[`skipped:${code}`] = n;
	return out;
}

interface RealCase {
	file: string;
	ref: (bytes: Uint8Array) => RefResult;
	/** A hand-written file of tests/fixtures/imports instead of a real one. */
	written?: boolean;
}

const CASES: RealCase[] = [
	{ file: 'bank-feb1999.txt', ref: (b) => refBank(b) },
	{ file: 'queue_log-freepbx-2010.txt', ref: (b) => refQueueLog(b, { utcOffsetHours: 0 }) },
	{ file: 'asterisk-master-lab-2015.csv', ref: (b) => refAsteriskCdr(b) },
	{ file: 'freeswitch-cdr-csv-vbee-2021.csv', ref: (b) => refFreeswitchCsv(b) },
	{ file: 'freeswitch-cdr-csv-excel-resaved-2020.csv', ref: (b) => refFreeswitchCsv(b) },
	// Asterisk CDR of PBXs with queues (no real export of one is stored yet): the same comparison.
	{ file: 'queue-mixed-Master.csv', ref: (b) => refAsteriskCdr(b), written: true },
	{ file: 'freepbx-queue-Master.csv', ref: (b) => refAsteriskCdr(b), written: true },
	{ file: 'freepbx-members-Master.csv', ref: (b) => refAsteriskCdr(b), written: true }
];

describe.each(CASES)('real file $file: app pipeline vs reference', ({ file, ref, written }) => {
	const bytes = written ? fixture(file) : real(file);
	const expected = ref(bytes);
	let result: ImportResult & { quality?: QualityReport };

	beforeAll(async () => {
		result = await importFixtures([[file, bytes]], { utcOffsetSeconds: 0 });
	}, 120_000);

	it('one imported row per reference call', () => {
		expect(result.rows).toBe(expected.calls.length);
	});

	it('overall metrics (default settings)', async () => {
		const [s] = await run(summaryQuery(result.table, DEFAULT_SETTINGS, EMPTY_FILTER));
		expectMetrics(s, refMetrics(expected.calls, { thresholdS: DEFAULT_SETTINGS.thresholdS, shortAbandonS: DEFAULT_SETTINGS.shortAbandonS }), file);
	});

	it('metrics per queue', async () => {
		const rows = await run(groupQuery(result.table, DEFAULT_SETTINGS, EMPTY_FILTER, 'queue'));
		const byKey = new Map(rows.map((r) => [String(r.key), r]));
		const want = refMetricsBy(expected.calls, 'queue', { thresholdS: DEFAULT_SETTINGS.thresholdS, shortAbandonS: DEFAULT_SETTINGS.shortAbandonS });
		expect([...byKey.keys()].sort()).toEqual([...want.keys()].sort());
		for (const [key, metrics] of want) expectMetrics(byKey.get(key), metrics, `${file} queue '${key}'`);
	});

	it('quality report: the same exclusions, merges, repairs, warnings and skips', () => {
		expect(result.quality, 'the import returns a quality report').toBeDefined();
		const quality = result.quality!;
		const actual: Record<string, number> = {};
		for (const e of quality.entries)
			if ((e.code in CODES || e.kind === 'skipped') && e.count > 0) actual[`${e.kind}:${e.code}`] = (actual[`${e.kind}:${e.code}`] ?? 0) + e.count;
		expect(actual).toEqual(referenceQuality(expected));
		expect({ calls: quality.calls, rowsRead: quality.rowsRead }).toEqual({ calls: expected.calls.length, rowsRead: expected.rowsRead });
		expect(quality.flags.slice().sort()).toEqual(FLAGS.filter((f) => (expected.warnings[f] ?? 0) > 0));
	});
});

describe('the reference on the real files', () => {
	it('bank: two rows answered more than the 5 s tolerance before arrival are bad rows', () => {
		expect(refBank(real('bank-feb1999.txt')).skipped).toEqual({ answer_before_arrival: 2 });
	});

	it('counts rows and calls as documented in the fixtures README', () => {
		const bank = refBank(real('bank-feb1999.txt'));
		expect(bank.rowsRead).toBe(33_344);
		expect(bank.calls.length + (bank.excluded.phantom ?? 0) + (bank.skipped.answer_before_arrival ?? 0)).toBe(33_344);
		const log = refQueueLog(real('queue_log-freepbx-2010.txt'));
		// 21 calls, the last still in progress (waiting) when the log ends.
		expect(log.calls.length + (log.excluded.in_progress_waiting ?? 0)).toBe(21);
		expect(refAsteriskCdr(real('asterisk-master-lab-2015.csv')).rowsRead).toBe(105);
		expect(refFreeswitchCsv(real('freeswitch-cdr-csv-vbee-2021.csv')).rowsRead).toBe(762);
		const excel = refFreeswitchCsv(real('freeswitch-cdr-csv-excel-resaved-2020.csv'));
		expect(excel.merged.duplicate_id).toBe(2);
		expect(excel.warnings.minute_precision).toBe(excel.calls.length);
	});
});

/*
 * The reference's own logic, on a hand-written multi-leg Asterisk CDR (21 columns, with
 * peeraccount, linkedid, sequence):
 *   1709543000.1  ring group 600: SIP/201 rings, no answer; SIP/202 answers at 09:00:12
 *                 (listed first in the file) → answered, agent SIP/202, wait 12, talk 180
 *   1709543100.4  IVR only (no dstchannel), linkedid empty → grouped by uniqueid → other
 *   1709543200.5  600 rings SIP/201, NO ANSWER, then the caller leaves a voicemail
 *                 (VoiceMail is not an agent) → abandoned, wait 09:05:00 → 09:05:40 = 40
 */
const MULTI_LEG_CDR = [
	`"","5551001","600","from-pstn","""Caller"" <5551001>","SIP/trunk-00000001","SIP/202-0000000a","Dial","SIP/201&SIP/202,20","2024-03-04 09:00:00","2024-03-04 09:00:12","2024-03-04 09:03:12",192,180,"ANSWERED","DOCUMENTATION","1709543000.3","","","1709543000.1",3`,
	`"","5551001","600","from-pstn","""Caller"" <5551001>","SIP/trunk-00000001","SIP/201-00000002","Dial","SIP/201&SIP/202,20","2024-03-04 09:00:00","","2024-03-04 09:00:12",12,0,"NO ANSWER","DOCUMENTATION","1709543000.2","","","1709543000.1",2`,
	`"","5551002","s","ivr-main","""Other, caller"" <5551002>","SIP/trunk-00000004","","Playback","welcome","2024-03-04 09:01:40","2024-03-04 09:01:40","2024-03-04 09:02:10",30,30,"ANSWERED","DOCUMENTATION","1709543100.4","","","",4`,
	`"","5551003","600","from-pstn","""Caller"" <5551003>","SIP/trunk-00000005","SIP/201-00000006","Dial","SIP/201,25","2024-03-04 09:05:00","","2024-03-04 09:05:25",25,0,"NO ANSWER","DOCUMENTATION","1709543200.6","","","1709543200.5",6`,
	`"","5551003","600","from-pstn","""Caller"" <5551003>","SIP/trunk-00000005","SIP/201-00000006","VoiceMail","201@default,u","2024-03-04 09:05:25","2024-03-04 09:05:26","2024-03-04 09:05:40",15,14,"ANSWERED","DOCUMENTATION","1709543200.5","","","1709543200.5",7`
].join('\r\n');

describe('the reference itself: a multi-leg Asterisk CDR', () => {
	const ref = refAsteriskCdr(MULTI_LEG_CDR);

	it('assembles legs into calls with the documented outcomes', () => {
		expect(ref.rowsRead).toBe(5);
		expect(ref.merged).toEqual({ legs: 2 });
		const calls = ref.calls.map((c) => ({ ...c, arrival: wallClock(c.arrival), answer: wallClock(c.answer), ended: wallClock(c.ended) }));
		expect(calls).toEqual([
			{
				id: '1709543000.1',
				queue: '600',
				agent: 'SIP/202',
				arrival: '2024-03-04 09:00:00',
				answer: '2024-03-04 09:00:12',
				ended: '2024-03-04 09:03:12',
				wait_s: 12,
				talk_s: 180,
				outcome: 'answered'
			},
			{
				id: '1709543100.4',
				queue: 's',
				agent: null,
				arrival: '2024-03-04 09:01:40',
				answer: null,
				ended: '2024-03-04 09:02:10',
				wait_s: 30,
				talk_s: null,
				outcome: 'other'
			},
			{
				id: '1709543200.5',
				queue: '600',
				agent: null,
				arrival: '2024-03-04 09:05:00',
				answer: null,
				ended: '2024-03-04 09:05:40',
				wait_s: 40,
				talk_s: null,
				outcome: 'abandoned'
			}
		]);
	});

	it('metrics over those calls', () => {
		expect(refMetrics(ref.calls)).toEqual({
			volume: 3,
			offered: 2,
			answered: 1,
			abandoned: 1,
			short_abandoned: 0,
			unanswered: 0,
			answered_within: 1,
			service_level: 0.5,
			asa_s: 12,
			aht_s: 180
		});
		expect([...refMetricsBy(ref.calls, 'queue').keys()]).toEqual(['600', 's']);
		expect([...refMetricsBy(ref.calls, 'agent').entries()].map(([k, m]) => [k, m.answered])).toEqual([['SIP/202', 1]]);
	});

	it('agent from a channel name', () => {
		expect(agentOfChannel('SIP/100-00000006')).toBe('SIP/100');
		expect(agentOfChannel('SIP/localhost:5020-00000001')).toBe('SIP/localhost:5020');
		expect(agentOfChannel('Local/2001@from-queue-0000001a;1')).toBe('Local/2001@from-queue');
		expect(agentOfChannel('PJSIP/agent-101-000000ff')).toBe('PJSIP/agent-101');
	});
});

/*
 * queue_log rules on a small hand-written log (epoch 1709542800 = 2024-03-04 09:00:00 UTC):
 *   c1  ENTERQUEUE, CONNECT (hold 8), COMPLETECALLER (hold 8, talk 60) → answered
 *   c1  reused: ENTERQUEUE again, ABANDON (waittime 3) → a second call, abandoned, short
 *   c2  CONNECT, COMPLETEAGENT without ENTERQUEUE → a call of its own (no_enterqueue)
 *   c3  ENTERQUEUE, EXITWITHTIMEOUT (waittime 30) → unanswered
 *   c4  ENTERQUEUE, CONNECT, no end → in progress, answered, talk unknown
 *   c5  ENTERQUEUE only → in progress, waiting: left out
 *   NONE rows and RINGNOANSWER ignored
 */
const QUEUE_LOG = [
	'1709542790|NONE|NONE|NONE|QUEUESTART|',
	'1709542800|c1|q1|NONE|ENTERQUEUE||5551001',
	'1709542805|c1|q1|SIP/201|RINGNOANSWER|5000',
	'1709542808|c1|q1|SIP/202|CONNECT|8|c1.9|3',
	'1709542868|c1|q1|SIP/202|COMPLETECALLER|8|60|1',
	'1709542900|c1|q2|NONE|ENTERQUEUE||5551001',
	'1709542903|c1|q2|NONE|ABANDON|1|1|3',
	'1709542950|c2|q1|SIP/203|CONNECT|12|c2.4|2',
	'1709543000|c2|q1|SIP/203|COMPLETEAGENT|12|50|1',
	'1709543100|c3|q2|NONE|ENTERQUEUE||5551003',
	'1709543130|c3|q2|NONE|EXITWITHTIMEOUT|1|1|30',
	'1709543200|c4|q1|NONE|ENTERQUEUE||5551004',
	'1709543215|c4|q1|SIP/201|CONNECT|15|c4.2|4',
	'1709543300|c5|q1|NONE|ENTERQUEUE||5551005'
].join('\n');

describe('the reference itself: queue_log rules', () => {
	const ref = refQueueLog(QUEUE_LOG);

	it('splits, keeps and leaves out calls as documented', () => {
		expect(ref.rowsRead).toBe(14);
		expect(ref.excluded).toEqual({ in_progress_waiting: 1 });
		expect(ref.warnings).toEqual({ no_enterqueue: 1, in_progress_answered: 1 });
		expect(ref.calls.map((c) => [c.id, c.queue, c.agent, wallClock(c.arrival), c.outcome, c.wait_s, c.talk_s])).toEqual([
			['c1', 'q1', 'SIP/202', '2024-03-04 09:00:00', 'answered', 8, 60],
			['c1', 'q2', null, '2024-03-04 09:01:40', 'abandoned', 3, null],
			['c2', 'q1', 'SIP/203', '2024-03-04 09:02:30', 'answered', 12, 50],
			['c3', 'q2', null, '2024-03-04 09:05:00', 'unanswered', 30, null],
			['c4', 'q1', 'SIP/201', '2024-03-04 09:06:40', 'answered', 15, null]
		]);
		expect(refMetrics(ref.calls)).toMatchObject({ offered: 5, answered: 3, abandoned: 1, short_abandoned: 1, unanswered: 1, answered_within: 3, aht_s: 55 });
	});
});

describe('the reference itself: Asterisk CDR of a PBX with queues', () => {
	const row = (c: ReturnType<typeof refAsteriskCdr>['calls'][number]) => [c.id, c.queue, c.agent, wallClock(c.arrival), c.outcome, c.wait_s, c.talk_s];

	it('leaves out the outbound and internal calls; inbound ones keep the rules, queued or not', () => {
		const ref = refAsteriskCdr(fixture('queue-mixed-Master.csv'));
		expect(ref.rowsRead).toBe(10);
		expect(ref.excluded).toEqual({ cdr_outbound: 3, cdr_internal: 2 });
		expect(ref.calls.map(row)).toEqual([
			['1709715600.1', '8001', 'SIP/agent101', '2024-03-06 09:00:00', 'answered', 15, 180],
			['1709716200.3', '8001', null, '2024-03-06 09:10:00', 'abandoned', 40, null],
			['1709716800.4', '8002', null, '2024-03-06 09:20:00', 'unanswered', 300, null],
			['1709717400.5', 's', null, '2024-03-06 09:30:00', 'other', 20, null],
			['1709717700.6', '6001', 'SIP/201', '2024-03-06 09:35:00', 'answered', 5, 60]
		]);
	});

	it('FreePBX queue legs answered at their start: waits unknown without member legs, known with them', () => {
		const alone = refAsteriskCdr(fixture('freepbx-queue-Master.csv'));
		expect(alone.warnings).toEqual({ wait_unknown: 2 });
		expect(alone.calls.map(row)).toEqual([
			['1709805600.1', '400', 'Local/101@from-queue', '2024-03-07 10:00:00', 'answered', null, null],
			['1709805900.3', '400', null, '2024-03-07 10:05:00', 'abandoned', 45, null],
			['1709806200.4', '400', 'Local/102@from-queue', '2024-03-07 10:10:00', 'answered', null, null]
		]);
		expect(refMetrics(alone.calls)).toMatchObject({ answered: 2, answered_within: 0, asa_s: null });
		const members = refAsteriskCdr(fixture('freepbx-members-Master.csv'));
		expect(members.warnings).toEqual({});
		expect(members.merged).toEqual({ legs: 4 });
		expect(members.calls.map(row)).toEqual([
			['1709805600.1', '400', 'SIP/101', '2024-03-07 10:00:00', 'answered', 14, 196],
			['1709805900.3', '400', null, '2024-03-07 10:05:00', 'abandoned', 45, null],
			['1709806200.4', '400', 'SIP/102', '2024-03-07 10:10:00', 'answered', 30, 90]
		]);
	});

	it('the real lab file has no queue legs: nothing is counted apart or flagged', () => {
		const lab = refAsteriskCdr(real('asterisk-master-lab-2015.csv'));
		expect({ excluded: lab.excluded, warnings: lab.warnings }).toEqual({ excluded: {}, warnings: {} });
	});
});
