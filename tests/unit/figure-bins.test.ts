import { beforeAll, describe, expect, it } from 'vitest';
import { importFixtures } from './import-helpers';
import { bankDay, runRows } from './bank-day';
import { refBank } from '../reference/bank';
import { histogramRange, MAX_BINS, waitHistogramQuery, waitHistogramRange, waitReachQuery } from '$lib/metrics/service';
import { binDomainEnd, binLabel, binSpan } from '$lib/charts/bins';
import { afterOnsetHistogramQuery, incidentQuery } from '$lib/metrics/incident';
import { EMPTY_FILTER } from '$lib/filters/filter';

const NICE = [1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1800, 3600];
const fmt = (s: number) => `${s}s`;

const run = runRows;

describe('histogram bins chosen from the distribution', () => {
	it.each([1, 7, 19, 20, 59, 272, 355, 908, 1800, 7000])('reach %d s: a round width, at most MAX_BINS bins, the reach inside the bins', (reach) => {
		const { binS, maxS } = histogramRange(reach);
		expect(NICE).toContain(binS);
		expect(maxS % binS).toBe(0);
		expect(maxS).toBeGreaterThan(reach);
		expect(maxS / binS).toBeLessThanOrEqual(MAX_BINS);
		// The narrowest such width: one step narrower would need more than MAX_BINS bins.
		const narrower = NICE[NICE.indexOf(binS) - 1];
		if (narrower) expect(Math.floor(reach / narrower) + 1).toBeGreaterThan(MAX_BINS);
	});

	it('keeps the threshold T inside the regular bins when waits are short', () => {
		const { maxS } = waitHistogramRange(60, 5);
		expect(maxS).toBeGreaterThan(60);
	});

	it('labels the overflow bin "≥ x" and draws it apart from the last regular bin', () => {
		expect(binLabel({ bin_start: 0, bin_end: 10 }, fmt)).toBe('0s – 10s');
		expect(binLabel({ bin_start: 280, bin_end: null }, fmt)).toBe('≥ 280s');
		const [a] = binSpan({ bin_start: 280, bin_end: null }, 10, 280);
		expect(a).toBeGreaterThan(280);
		expect(binDomainEnd([{ bin_start: 280, bin_end: null }], 10, 280)).toBeGreaterThan(a);
		expect(binDomainEnd([{ bin_start: 0, bin_end: 10 }], 10, 280)).toBe(280);
	});
});

describe('wait histogram of a real bank day', () => {
	let table = '';
	let waits: number[] = [];
	beforeAll(async () => {
		const day = bankDay();
		table = (await importFixtures([['bank-day.txt', day]])).table;
		// Waits of answered and abandoned calls, row by row from the independent reference.
		waits = refBank(day)
			.calls.filter((c) => (c.outcome === 'answered' || c.outcome === 'abandoned') && c.wait_s != null)
			.map((c) => Math.max(0, c.wait_s!));
	}, 60_000);

	it('covers the data: 99 % of waits in regular bins, the rest in one honest overflow bin', async () => {
		const [{ reach_s }] = (await run(waitReachQuery(table))) as [{ reach_s: number }];
		const { binS, maxS } = waitHistogramRange(20, reach_s);
		const bins = await run(waitHistogramQuery(table, EMPTY_FILTER, binS, maxS));
		const total = (b: Record<string, unknown>) => Number(b.answered) + Number(b.abandoned);
		expect(bins.reduce((n, b) => n + total(b), 0)).toBe(waits.length);
		for (const b of bins) {
			const inBin = waits.filter((w) => w >= Number(b.bin_start) && (b.bin_end == null || w < Number(b.bin_end))).length;
			expect(total(b), `bin ${b.bin_start}`).toBe(inBin);
		}
		const overflow = bins.find((b) => b.bin_end == null);
		const over = waits.filter((w) => w >= maxS).length;
		expect(overflow ? total(overflow) : 0).toBe(over);
		expect(over / waits.length).toBeLessThanOrEqual(0.011);
		// No regular bin pretends to hold waits longer than its end.
		for (const b of bins.filter((b) => b.bin_end != null)) expect(Number(b.bin_end)).toBeLessThanOrEqual(maxS);
	});
});

describe('service after onset: one very long call does not set the scale', () => {
	// Ten calls in service at 14:28:00 ending 1 to 10 minutes later, and one ending 63 minutes later.
	const pad = (n: number) => String(n).padStart(2, '0');
	const ends = [...Array.from({ length: 10 }, (_, i) => i + 1), 63];
	const csv = [
		'呼叫编号,部门,坐席,来电时间,应答时间,结束时间,结果',
		...ends.map(
			(m, i) => `L${i},座席一部,A${i},2024-03-04 14:20:00,2024-03-04 14:20:10,2024-03-04 ${pad(14 + Math.floor((28 + m) / 60))}:${pad((28 + m) % 60)}:00,接通`
		)
	].join('\n');
	const window = { onset: '2024-03-04 14:28:00', end: null, longS: 120 };

	it('the bins reach the bulk; the 63-minute call is the overflow bin', async () => {
		const table = (await importFixtures([['long-call.csv', csv]])).table;
		const [i] = await run(incidentQuery(table, window, EMPTY_FILTER));
		const reach = Number(i!.reach_after_onset_s);
		expect(reach).toBeLessThan(63 * 60);
		expect(reach).toBeGreaterThanOrEqual(9 * 60); // the 90th percentile of the eleven: 10 minutes at most
		const { binS, maxS } = histogramRange(reach, 180);
		const bins = await run(afterOnsetHistogramQuery(table, window, EMPTY_FILTER, binS, maxS));
		const overflow = bins.filter((b) => b.bin_end == null);
		expect(overflow.map((b) => [b.bin_start, b.calls])).toEqual([[maxS, ends.filter((m) => m * 60 >= maxS).length]]);
		expect(overflow[0]!.calls).toBe(1);
		expect(bins.reduce((n, b) => n + Number(b.calls), 0)).toBe(ends.length);
	});
});
