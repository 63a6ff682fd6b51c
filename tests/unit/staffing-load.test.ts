import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { engine, importFixtures } from './import-helpers';
import { staffingLoadQuery, type StaffingLoadRow } from '$lib/metrics/staffing-load';
import { refAsteriskCdr, refBank, refQueueLog, type RefResult } from '../reference';
import { refStaffingLoad } from '../reference/erlang';
import { EMPTY_FILTER } from '$lib/filters/filter';

/*
 * The per-interval load and the agents seen, from the app's pipeline and SQL, against the
 * reference's calls counted row by row (real exports, tests/fixtures/real/, UTC offset 0).
 */
const real = (name: string) => new Uint8Array(readFileSync(fileURLToPath(new URL(`../fixtures/real/${name}`, import.meta.url))));

const CASES: { file: string; ref: (bytes: Uint8Array) => RefResult; minutes: 15 | 60 }[] = [
	{ file: 'queue_log-freepbx-2010.txt', ref: (b) => refQueueLog(b, { utcOffsetHours: 0 }), minutes: 60 },
	{ file: 'asterisk-master-lab-2015.csv', ref: (b) => refAsteriskCdr(b), minutes: 15 },
	{ file: 'bank-feb1999.txt', ref: (b) => refBank(b), minutes: 60 }
];

describe.each(CASES)('staffing load per interval: $file', ({ file, ref, minutes }) => {
	it('offered, AHT, waits, agents seen and busy equal the row-by-row count', async () => {
		const bytes = real(file);
		const expected = refStaffingLoad(ref(bytes).calls, minutes);
		const { table } = await importFixtures([[file, bytes]], { utcOffsetSeconds: 0 });
		const rows = (await (await engine()).query(staffingLoadQuery(table, EMPTY_FILTER, minutes))) as unknown as StaffingLoadRow[];
		expect(rows.map((r) => r.key)).toEqual(expected.map((e) => e.key));
		expect(expected.some((e) => e.agents_seen > 0)).toBe(true);
		rows.forEach((row, i) => {
			const want = expected[i]!;
			const label = `${file} ${want.key}`;
			expect([Number(row.offered), Number(row.answered), Number(row.abandoned), Number(row.agents_seen)], label).toEqual([
				want.offered,
				want.answered,
				want.abandoned,
				want.agents_seen
			]);
			expect(Number(row.wait_sum_s), label).toBeCloseTo(want.wait_sum_s, 3);
			expect(Number(row.agents_busy), label).toBeCloseTo(want.agents_busy, 6);
			if (want.aht_s === null) expect(row.aht_s ?? null, label).toBeNull();
			else expect(Number(row.aht_s), label).toBeCloseTo(want.aht_s, 6);
		});
	}, 120_000);
});
