import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metrics } from './cli-run';
import { CSV_HEADER, csvLine, generateCalls } from '$lib/synthetic/generate';

/**
 * Calls rolled up into intervals (`--by interval`) and written as an ACD's interval report,
 * read back by the interval import: the same figures. Counts are exact; averages are as exact as
 * they were written (ASA as m:ss, whole seconds: within half a second; AHT to a tenth of a second).
 */

type Row = Record<string, unknown>;
const metricsJson = async (...args: string[]) => JSON.parse((await metrics(...args)).stdout) as Row;

const mss = (seconds: number) => {
	const whole = Math.round(seconds);
	return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
};

/** The interval rows as a generic interval report: counts, ASA as m:ss, AHT in seconds, the count within T and its percentage. */
function intervalReport(rows: Row[]): string {
	const header = 'Interval Start,Offered,Answered Calls,Abandoned Calls,Answered within 20s,Service Level %,ASA,AHT';
	const lines = rows.map((r) => {
		const offered = Number(r.offered);
		const within = Number(r.answered_within);
		const percent = offered ? `${((within / offered) * 100).toFixed(2)}%` : '0.00%';
		const asa = r.asa_s == null ? '' : mss(Number(r.asa_s));
		const aht = r.aht_s == null ? '' : Number(r.aht_s).toFixed(1);
		return [r.key, offered, r.answered, r.abandoned, within, percent, asa, aht].join(',');
	});
	return [header, ...lines].join('\n') + '\n';
}

const COUNTS = ['volume', 'offered', 'answered', 'abandoned', 'answered_within'];

/** The figures of a reread row against the row written: counts exact, rates from them, averages within what was written. */
function expectSame(got: Row, want: Row, label: string) {
	for (const name of COUNTS) expect(Number(got[name]), `${label} ${name}`).toBe(Number(want[name]));
	for (const name of ['service_level', 'abandon_rate']) {
		if (want[name] == null) expect(got[name], `${label} ${name}`).toBeNull();
		else expect(Number(got[name]), `${label} ${name}`).toBeCloseTo(Number(want[name]), 12);
	}
	// A whole-second ASA per interval moves the mean by at most half a second; a tenth-second AHT by 0.05 s.
	for (const [name, within] of [
		['asa_s', 0.5],
		['aht_s', 0.05]
	] as const) {
		if (want[name] == null) expect(got[name], `${label} ${name}`).toBeNull();
		else expect(Math.abs(Number(got[name]) - Number(want[name])), `${label} ${name}`).toBeLessThanOrEqual(within + 1e-9);
	}
}

describe('npm run metrics -- calls --by interval, exported and imported as an interval report', () => {
	it('gives the same summary and the same figures per interval', async () => {
		const generated = [...generateCalls({ rows: 3000, seed: 17, start: '2024-03-04', incident: null, completeShare: 1, callsPerDay: 1500 })];
		const dir = mkdtempSync(join(tmpdir(), 'holdline-roundtrip-'));
		try {
			const calls = join(dir, 'calls.csv');
			writeFileSync(calls, [CSV_HEADER, ...generated.map(csvLine)].join('\n') + '\n');
			const rolled = await metricsJson(calls, '--by', 'interval', '--interval', '30', '--json');
			const written = rolled.by_interval as Row[];
			expect(written.length).toBeGreaterThan(48);

			const exported = join(dir, 'intervals.csv');
			writeFileSync(exported, intervalReport(written));
			const reread = await metricsJson(exported, '--by', 'interval', '--interval', '30', '--interval-length', '30', '--json');
			expect(reread).toMatchObject({ kind: 'intervals', interval_minutes: 30, rows: written.length });
			// The percentage beside each count agrees with it: no row is reported as disagreeing.
			expect((reread.quality as { entries: { code: string }[] }).entries.map((e) => e.code)).not.toContain('interval_sl_disagrees');

			expectSame(reread.summary as Row, rolled.summary as Row, 'summary');
			const again = reread.by_interval as Row[];
			expect(again.map((r) => r.key)).toEqual(written.map((r) => r.key));
			again.forEach((r, i) => expectSame(r, written[i]!, String(r.key)));
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}, 120_000);
});
