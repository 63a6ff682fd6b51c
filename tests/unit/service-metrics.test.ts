import { beforeAll, describe, expect, it } from 'vitest';
import { engine, importFixtures } from './import-helpers';
import { DEFAULT_SETTINGS, groupQuery, intervalQuery, summaryQuery, waitHistogramQuery, type ServiceSettings } from '$lib/metrics/service';
import { afterOnsetHistogramQuery, incidentByQuery, incidentQuery } from '$lib/metrics/incident';
import type { Query } from '$lib/engine/types';
import { EMPTY_FILTER } from '$lib/filters/filter';

const num = (rows: Record<string, unknown>[]) =>
	rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
async function run(query: Query) {
	return num(await (await engine()).query(query));
}

/*
 * Master.csv, by hand (T = 20 s, S = 5 s):
 *   waits: answered 10, 30, 5; abandoned 3 (short), 45; BUSY 20 (unanswered)
 *   offered 6, answered 3, within 20 s: 2 (10, 5), abandoned 2, short 1
 *   SL count 2/6, exclude 2/3, exclude_short 2/5
 *   ASA (10+30+5)/3 = 15; AHT (180+120+300)/3 = 200
 *   abandonment: count and exclude 2/6; exclude_short (2−1)/(6−1) = 0.2
 */
describe('service metrics on Asterisk CDRs', () => {
	let table = '';
	beforeAll(async () => {
		table = (await importFixtures(['Master.csv'])).table;
	});

	it('counts, ASA, AHT and abandonment', async () => {
		const [s] = await run(summaryQuery(table, DEFAULT_SETTINGS, EMPTY_FILTER));
		expect(s).toMatchObject({ volume: 6, offered: 6, answered: 3, abandoned: 2, short_abandoned: 1, unanswered: 1, answered_within: 2 });
		expect(s!.asa_s).toBeCloseTo(15);
		expect(s!.aht_s).toBeCloseTo(200);
		expect(s!.abandon_rate).toBeCloseTo(2 / 6);
	});

	it.each([
		['count', 2 / 6],
		['exclude', 2 / 6],
		['exclude_short', 0.2]
	] as const)('abandonment follows the abandon treatment %s: %f', async (variant, expected) => {
		const [s] = await run(summaryQuery(table, { ...DEFAULT_SETTINGS, variant }, EMPTY_FILTER));
		expect(s!.abandon_rate).toBeCloseTo(expected);
	});

	it.each([
		['count', 2 / 6],
		['exclude', 2 / 3],
		['exclude_short', 2 / 5]
	] as const)('service level, abandons %s: %f', async (variant, expected) => {
		const [s] = await run(summaryQuery(table, { ...DEFAULT_SETTINGS, variant }, EMPTY_FILTER));
		expect(s!.service_level).toBeCloseTo(expected);
	});

	it('threshold and short-abandon settings are honoured', async () => {
		const settings: ServiceSettings = { thresholdS: 30, shortAbandonS: 2, variant: 'count' };
		const [s] = await run(summaryQuery(table, settings, EMPTY_FILTER));
		expect(s).toMatchObject({ answered_within: 3, short_abandoned: 0 });
		expect(s!.service_level).toBeCloseTo(3 / 6);
		expect(s!.abandon_rate).toBeCloseTo(2 / 6);
	});

	it('per hour and per 30 minutes', async () => {
		const hours = await run(intervalQuery(table, DEFAULT_SETTINGS, EMPTY_FILTER, 60));
		expect(hours.map((h) => [h.key, h.volume, h.answered])).toEqual([
			['2024-03-04 09:00:00', 5, 3],
			['2024-03-04 10:00:00', 1, 0]
		]);
		const halves = await run(intervalQuery(table, DEFAULT_SETTINGS, EMPTY_FILTER, 30));
		expect(halves.map((h) => [h.key, h.volume, h.answered_within])).toEqual([
			['2024-03-04 09:00:00', 4, 1],
			['2024-03-04 09:30:00', 1, 1],
			['2024-03-04 10:00:00', 1, 0]
		]);
	});

	it('per queue and per agent', async () => {
		const queues = await run(groupQuery(table, DEFAULT_SETTINGS, EMPTY_FILTER, 'queue'));
		expect(queues.map((q) => [q.key, q.volume, q.answered, q.abandoned, q.unanswered])).toEqual([
			['8001', 4, 3, 1, 0],
			['8002', 2, 0, 1, 1]
		]);
		expect(queues[0]!.service_level).toBeCloseTo(2 / 4);
		const agents = await run(groupQuery(table, DEFAULT_SETTINGS, EMPTY_FILTER, 'agent'));
		expect(agents.map((a) => [a.key, a.answered, a.asa_s, a.aht_s])).toEqual([
			['SIP/agent101', 2, 7.5, 240],
			['SIP/agent102', 1, 30, 120]
		]);
	});

	it('filters by queue, agent, outcome and time range', async () => {
		const [q] = await run(summaryQuery(table, DEFAULT_SETTINGS, { ...EMPTY_FILTER, queue: '8002' }));
		expect(q).toMatchObject({ volume: 2, answered: 0 });
		const [a] = await run(summaryQuery(table, DEFAULT_SETTINGS, { ...EMPTY_FILTER, agent: 'SIP/agent101' }));
		expect(a).toMatchObject({ volume: 2, answered_within: 2 });
		const [o] = await run(summaryQuery(table, DEFAULT_SETTINGS, { ...EMPTY_FILTER, outcome: 'abandoned' }));
		expect(o).toMatchObject({ volume: 2, abandoned: 2 });
		const [t] = await run(summaryQuery(table, DEFAULT_SETTINGS, { ...EMPTY_FILTER, from: '2024-03-04 09:05:00', to: '2024-03-04 09:40:00' }));
		expect(t).toMatchObject({ volume: 3, answered: 1, abandoned: 2 });
	});

	it('a filter value is data, never SQL', async () => {
		const [s] = await run(summaryQuery(table, DEFAULT_SETTINGS, { ...EMPTY_FILTER, queue: "8001' OR '1'='1" }));
		expect(s!.volume).toBe(0);
	});

	it('wait-time histogram, long waits in an overflow bin of their own', async () => {
		const bins = await run(waitHistogramQuery(table, EMPTY_FILTER, 10, 40));
		// answered 10, 30, 5 → bins 10–20, 30–40, 0–10; abandoned 3 → 0–10, 45 → overflow (≥ 40, no end)
		expect(bins.map((b) => [b.bin_start, b.bin_end, b.answered, b.abandoned])).toEqual([
			[0, 10, 1, 1],
			[10, 20, 1, 0],
			[30, 40, 1, 0],
			[40, null, 0, 1]
		]);
	});
});

/*
 * mapped-utf8.csv around an onset at 14:28:00:
 *   M1 in service (answered 14:20:15, ended 14:31:33) → 213 s after onset
 *   M2 in service (14:25:40–14:29:00) → 60 s;  M3 in service (14:27:05–14:33:00) → 300 s
 *   M4 waiting (arrived 14:27:30), abandoned 14:28:30 → ended early
 *   M5 waiting (arrived 14:27:50), answered 14:28:10
 *   M6, M7 arrive after the onset
 */
describe('incident window on any dataset', () => {
	let table = '';
	beforeAll(async () => {
		table = (await importFixtures(['mapped-utf8.csv'])).table;
	});
	const onset = '2024-03-04 14:28:00';

	it('calls in progress at onset, completed, ended early, service after onset', async () => {
		const [i] = await run(incidentQuery(table, { onset, end: null, longS: 120 }, EMPTY_FILTER));
		expect(i).toMatchObject({ in_progress: 5, in_service: 3, completed: 3, still_in_service: 0, waiting: 2, waiting_answered: 1, ended_early: 1 });
		expect(i!.completed_share).toBeCloseTo(1);
		expect(i!.median_after_onset_s).toBeCloseTo(213);
		expect(i!.max_after_onset_s).toBeCloseTo(300);
		expect(i!.long_share).toBeCloseTo(2 / 3);
	});

	it('a window end: only calls ended by then count as completed', async () => {
		const [i] = await run(incidentQuery(table, { onset, end: '2024-03-04 14:30:00', longS: 120 }, EMPTY_FILTER));
		expect(i).toMatchObject({ in_service: 3, completed: 1, still_in_service: 2 });
		expect(i!.completed_share).toBeCloseTo(1 / 3);
	});

	it('per department and per agent', async () => {
		const depts = await run(incidentByQuery(table, { onset, end: null, longS: 120 }, EMPTY_FILTER, 'queue'));
		expect(depts.map((d) => [d.key, d.in_progress, d.in_service, d.ended_early])).toEqual([
			['座席一部', 2, 2, 0],
			['座席二部', 2, 1, 1],
			['座席三部', 1, 0, 0]
		]);
		const agents = await run(incidentByQuery(table, { onset, end: null, longS: 120 }, EMPTY_FILTER, 'agent'));
		expect(agents.map((a) => [a.key, a.max_after_onset_s])).toEqual([
			['彭昭', 213],
			['税远容', 300],
			['罗希', 60]
		]);
	});

	it('distribution of service time after onset', async () => {
		const bins = await run(afterOnsetHistogramQuery(table, { onset, end: null, longS: 120 }, EMPTY_FILTER, 60, 240));
		// 60 → 60–120, 213 → 180–240, 300 → overflow (≥ 240)
		expect(bins.map((b) => [b.bin_start, b.bin_end, b.calls])).toEqual([
			[60, 120, 1],
			[180, 240, 1],
			[240, null, 1]
		]);
		// The bins reach the 90th percentile: of 60, 213 and 300 s, the third value (300).
		const [i] = await run(incidentQuery(table, { onset, end: null, longS: 120 }, EMPTY_FILTER));
		expect(i!.reach_after_onset_s).toBe(300);
	});

	it('service metrics on the same file', async () => {
		const [s] = await run(summaryQuery(table, DEFAULT_SETTINGS, EMPTY_FILTER));
		// waits answered 15, 40, 5, 20, 2 (≤ 20 s: 4); abandoned 60, 3 (short)
		expect(s).toMatchObject({ volume: 7, answered: 5, abandoned: 2, short_abandoned: 1, answered_within: 4 });
		expect(s!.service_level).toBeCloseTo(4 / 7);
		expect(s!.asa_s).toBeCloseTo(16.4);
		expect(s!.aht_s).toBeCloseTo(388.2);
		expect(s!.abandon_rate).toBeCloseTo(2 / 7);
	});
});
