import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metrics } from './cli-run';
import { clock, CSV_HEADER, csvLine, generateCalls } from '$lib/synthetic/generate';
import { refIntervalMetrics, refIntervalMetricsBy, refRollup, type RefIntervalCall } from '../reference/interval-metrics';

const metricsJson = async (...args: string[]) => JSON.parse((await metrics(...args)).stdout) as Record<string, unknown>;

const MEASURES = ['offered', 'answered', 'abandoned', 'short_abandoned', 'unanswered', 'answered_within', 'asa_s', 'aht_s', 'service_level', 'abandon_rate'];
const close = (got: Record<string, unknown>, want: object, label: string) => {
	for (const name of MEASURES) {
		const w = (want as Record<string, unknown>)[name] as number | null;
		if (w === null) expect(got[name], `${label} ${name}`).toBeNull();
		else expect(Number(got[name]), `${label} ${name}`).toBeCloseTo(w, 6);
	}
};

describe('npm run metrics -- calls --by interval', () => {
	it('rolls the calls up into intervals: the same summary as the calls, and each interval as the reference rolls it up', async () => {
		const generated = [...generateCalls({ rows: 2000, seed: 5, start: '2024-03-04', incident: null, completeShare: 1, callsPerDay: 1000 })];
		const dir = mkdtempSync(join(tmpdir(), 'holdline-intervals-'));
		const file = join(dir, 'calls.csv');
		writeFileSync(file, [CSV_HEADER, ...generated.map(csvLine)].join('\n') + '\n');
		try {
			const [calls, rolled] = await Promise.all([
				metricsJson(file, '--variant', 'exclude_short', '--json'),
				metricsJson(file, '--by', 'interval', '--interval', '30', '--variant', 'exclude_short', '--json')
			]);
			const reference: RefIntervalCall[] = generated.map((c) => ({
				queue: c.department,
				arrival: clock(c.arrival),
				outcome: c.outcome,
				wait_s: c.wait_s,
				talk_s: c.talk_s,
				hold_s: c.hold_s,
				wrap_s: c.wrap_s
			}));
			const rows = refRollup(reference, 30);
			expect(rolled).toMatchObject({ kind: 'intervals', interval_minutes: 30, rows: rows.length });
			close(rolled.summary as Record<string, unknown>, calls.summary as object, 'summary vs calls');
			close(rolled.summary as Record<string, unknown>, refIntervalMetrics(rows, { variant: 'exclude_short' }), 'summary');
			const byInterval = rolled.by_interval as Record<string, unknown>[];
			const expected = refIntervalMetricsBy(rows, { minutes: 30 }, { variant: 'exclude_short' });
			expect(byInterval.map((r) => r.key)).toEqual(expected.map((r) => r.key));
			byInterval.forEach((r, i) => close(r, expected[i]!, String(r.key)));
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}, 120_000);
});
