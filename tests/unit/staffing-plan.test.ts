import { describe, expect, it } from 'vitest';
import { staffIntervals, staffIntervalsInSlices, shortIntervals } from '$lib/metrics/staffing-plan';
import { intervalLabel, staffingLines } from '$lib/metrics/staffing-summary';
import type { StaffingLoadRow } from '$lib/metrics/staffing-load';
import { refErlangA, refRequiredC, refServiceLevelC } from '../reference/erlang';

const row = (key: string, offered: number, aht: number | null, seen: number, abandoned = 0, waitSum = 0): StaffingLoadRow => ({
	key,
	offered,
	answered: offered - abandoned,
	abandoned,
	aht_s: aht,
	handled: aht == null ? 0 : offered - abandoned,
	wait_sum_s: waitSum,
	agents_seen: seen,
	agents_busy: 0
});

const settings = { goal: 0.8, thresholdS: 20, shortAbandonS: 5, variant: 'count' as const, intervalS: 3600 };

describe('staffing per interval', () => {
	const rows = [
		row('2024-03-04 13:00:00', 120, 180, 8, 10, 1200),
		row('2024-03-04 14:00:00', 400, 240, 6, 30, 6000),
		row('2024-03-04 15:00:00', 5, null, 0, 5, 300)
	];
	const plan = staffIntervals(rows, settings);

	it('Erlang C needed per interval, as the textbook form finds it', () => {
		expect(plan.intervals.map((i) => i.needed_c)).toEqual([
			refRequiredC(120, 3600, 180, 0.8, 20),
			refRequiredC(400, 3600, 240, 0.8, 20),
			refRequiredC(5, 3600, plan.pooledAhtS!, 0.8, 20)
		]);
		// 13:00 with its 8 agents seen: A = 6 Erlangs.
		expect(plan.intervals[0]!.sl_c_seen).toBeCloseTo(refServiceLevelC(8, 6, 20, 180), 10);
	});

	it('pools AHT (weighted by calls handled) and patience (Σ wait / Σ abandons) over the intervals', () => {
		expect(plan.pooledAhtS).toBeCloseTo((110 * 180 + 370 * 240) / 480, 10);
		expect(plan.intervals[2]!.aht_s).toBeCloseTo(plan.pooledAhtS!, 10);
		expect(plan.patience!.meanS).toBeCloseTo(7500 / 45, 10);
	});

	it('Erlang A needed: the fewest agents whose answered-within-T share meets the goal', () => {
		const first = plan.intervals[0]!;
		const patience = 7500 / 45;
		expect(refErlangA(first.needed_a!, 120, 3600, 180, patience, 20).answeredWithin).toBeGreaterThanOrEqual(0.8);
		expect(refErlangA(first.needed_a! - 1, 120, 3600, 180, patience, 20).answeredWithin).toBeLessThan(0.8);
	});

	it('without abandons there is no Erlang A', () => {
		const none = staffIntervals([row('2024-03-04 13:00:00', 120, 180, 8)], settings);
		expect(none.patience).toBeNull();
		expect(none.intervals[0]!.needed_a).toBeNull();
		expect(none.intervals[0]!.needed_c).toBe(refRequiredC(120, 3600, 180, 0.8, 20));
	});

	it('the worst interval is the one short of the most agents, in a sentence in both languages', () => {
		const worst = plan.intervals[1]!;
		expect(shortIntervals(plan.intervals)[0]).toBe(worst);
		const options = { goal: 0.8, thresholdS: 20, intervalMinutes: 60 };
		expect(staffingLines(plan.intervals, { ...options, lang: 'en' })).toEqual([
			`14:00–15:00: ${worst.needed_c} agents needed for 80/20 (Erlang C; ${worst.needed_a} with abandonment, Erlang A), 6 seen`
		]);
		expect(staffingLines(plan.intervals, { ...options, lang: 'zh-CN' })[0]).toBe(
			`14:00–15:00：达到 80/20 需要 ${worst.needed_c} 名座席员（Erlang C；计入放弃的 Erlang A 为 ${worst.needed_a} 名），数据中见到 6 名`
		);
		expect(staffingLines(plan.intervals, { ...options, lang: 'en', count: 3 })).toHaveLength(3);
		const enough = staffIntervals([row('2024-03-04 13:00:00', 10, 180, 9)], settings).intervals;
		expect(staffingLines(enough, { ...options, lang: 'en' })).toEqual(['Every interval had at least the agents Erlang C needs for 80/20.']);
	});

	it('interval labels: clock range, with the date across days, the date alone for days', () => {
		expect(intervalLabel('2024-03-04 23:45:00', 15, false)).toBe('23:45–00:00');
		expect(intervalLabel('2024-03-04 14:00:00', 60, true)).toBe('2024-03-04 14:00–15:00');
		expect(intervalLabel('2024-03-04 00:00:00', 1440, true)).toBe('2024-03-04');
	});
});

describe('staffing planned a slice at a time (the page’s thread stays free)', () => {
	const rows = Array.from({ length: 97 }, (_, i) =>
		row(`2024-03-04 ${String(i % 24).padStart(2, '0')}:00:00`, 20 + ((i * 37) % 300), i % 11 ? 150 + (i % 7) * 20 : null, i % 9, i % 5, 60 * (i % 13))
	);

	it('gives the plan of every interval, in order, as the plan made at once', async () => {
		const sliced = await staffIntervalsInSlices(rows, settings, new AbortController().signal, 10);
		expect(sliced).toEqual(staffIntervals(rows, settings));
	});

	it('stops, with nothing, when a newer load aborts it', async () => {
		const controller = new AbortController();
		const pending = staffIntervalsInSlices(rows, settings, controller.signal, 10);
		controller.abort();
		expect(await pending).toBeNull();
	});
});
