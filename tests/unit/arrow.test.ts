import { describe, expect, it } from 'vitest';
import { tableFromArrays } from 'apache-arrow';
import { arrowToRows } from '$lib/engine/arrow';
import { openNodeEngine } from '$lib/engine/node';
import { nativeEngine, openNativeDatabase } from '$lib/engine/native';

/** What each record says of itself, BIGINTs as numbers: the plain row-by-row reading. */
function rowByRow(table: { toArray(): Array<{ toJSON(): Record<string, unknown> }> }) {
	return table.toArray().map((record) => Object.fromEntries(Object.entries(record.toJSON()).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
}

describe('Arrow results to rows', () => {
	it('reads every column of every batch as the records do, BIGINTs as numbers and nulls kept', () => {
		const first = tableFromArrays({ n: BigInt64Array.from([1n, -2n, 3n]), x: Float64Array.from([0.5, NaN, 2]), s: ['a', null, '座席一部'] });
		const second = tableFromArrays({ n: BigInt64Array.from([9_007_199_254_740_991n]), x: Float64Array.from([-1]), s: ['z'] });
		const table = first.concat(second);
		expect(table.batches.length).toBe(2);
		const rows = arrowToRows(table);
		expect(rows).toEqual(rowByRow(table));
		expect(rows[3]).toEqual({ n: 9_007_199_254_740_991, x: -1, s: 'z' });
		expect(rows[1]!.s).toBeNull();
		expect(arrowToRows(tableFromArrays({ n: new BigInt64Array(0) }))).toEqual([]);
	});

	it('reads a DuckDB answer of several batches: numbers, timestamps, text and nulls', async () => {
		const engine = await openNodeEngine();
		const rows = await engine.query({
			sql: `SELECT range AS i, TIMESTAMP '2008-05-12 14:28:00' + to_minutes(range) AS t, CASE WHEN range % 2 = 0 THEN 'even' END AS s, range / 4 AS x
FROM range(5000)`,
			params: []
		});
		// 5,000 rows come in more than one batch (DuckDB's vectors hold 2,048).
		const expected = Array.from({ length: 5000 }, (_, i) => ({ i, t: Date.UTC(2008, 4, 12, 14, 28 + i), s: i % 2 === 0 ? 'even' : null, x: i * 0.25 }));
		expect(rows).toEqual(expected);
	});

	it('gives DECIMAL and HUGEINT (a sum of integers) as the numbers they stand for, as native DuckDB does', async () => {
		const query = {
			sql: `SELECT sum(x) AS total, sum(x * 1.25) AS scaled, -12.345::DECIMAL(10, 3) AS negative, NULL::DECIMAL(10, 2) AS missing FROM (VALUES (1), (2), (4)) t(x)`,
			params: []
		};
		const expected = [{ total: 7, scaled: 8.75, negative: -12.345, missing: null }];
		expect(await (await openNodeEngine()).query(query)).toEqual(expected);
		const native = await nativeEngine(await openNativeDatabase(':memory:'));
		try {
			expect(await native.query(query)).toEqual(expected);
		} finally {
			native.close();
		}
	});

	it('gives a LIST of numbers as a typed array of its items (Arrow’s own values), and native DuckDB as an array of the same', async () => {
		const query = {
			sql: `SELECT list(CAST(i AS INTEGER) ORDER BY i) AS ints, list(i / 4 ORDER BY i) AS doubles, count(*) AS n FROM range(5000) t(i)`,
			params: []
		};
		const [row] = await (await openNodeEngine()).query(query);
		expect(row!.ints).toBeInstanceOf(Int32Array);
		expect(row!.doubles).toBeInstanceOf(Float64Array);
		expect(Array.from(row!.ints as Int32Array)).toEqual(Array.from({ length: 5000 }, (_, i) => i));
		expect(Array.from(row!.doubles as Float64Array)).toEqual(Array.from({ length: 5000 }, (_, i) => i / 4));
		expect(row!.n).toBe(5000);
		const native = await nativeEngine(await openNativeDatabase(':memory:'));
		try {
			const [plain] = await native.query(query);
			expect(Array.from(plain!.ints as ArrayLike<number>)).toEqual(Array.from(row!.ints as Int32Array));
			expect(Array.from(plain!.doubles as ArrayLike<number>)).toEqual(Array.from(row!.doubles as Float64Array));
		} finally {
			native.close();
		}
	});
});
