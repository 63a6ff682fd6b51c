import { describe, expect, it } from 'vitest';
import { tableFromArrays } from 'apache-arrow';
import { arrowToRows } from '$lib/engine/arrow';
import { openNodeEngine } from '$lib/engine/node';

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
});
