import type { Query, Row, SqlParam } from '$lib/engine/types';
import { quoteIdent, tableName } from '$lib/sql/identifiers';
import { countsSql, finishSql, serviceWhere, type ViewSpec } from '$lib/metrics/service';
import { DUCKDB } from '$lib/sql/dialect-duckdb';
import type { Filter } from '$lib/filters/filter';
import type { IntervalSize } from '$lib/sql/dialect';

/**
 * Pre-aggregated answers for one view while one filter moves (a data-cube index, as in
 * Mosaic). A cube is grouped by the view's key and by the *active* filter dimension, with
 * every other filter applied when it is built. Moving the active filter then reads a few
 * thousand cube rows instead of millions of calls, and gives the same answer as the calls
 * table: answers are computed by the view's own SQL, partial counts and sums add up across
 * groups, and a time filter is answered only when its bounds fall on the bucket edges.
 */
export type CubeDim = 'queue' | 'agent' | 'outcome' | 'time';

export interface CubeAxis {
	dim: CubeDim;
	/** For `time`: the bucket width in minutes (each divides an hour). */
	grain: Extract<IntervalSize, 15 | 60> | null;
}

/**
 * Where cubes are made. The browser's engine has one connection: TEMP tables, private to it.
 * A server asks over a pool of connections to an in-memory database with its store attached
 * read-only (`server/engines.ts`): plain tables in a catalog of that database (`memory`),
 * which every connection sees while the store still refuses every write.
 */
export type CubeHome = { temp: true } | { catalog: string };
export const TEMP_CUBES: CubeHome = { temp: true };

/** The cube `name` as SQL names it in `home`: every part a checked identifier (a store's catalog is named after its file, quoted). */
export function cubeTable(name: string, home: CubeHome = TEMP_CUBES): string {
	return 'catalog' in home ? `${quoteIdent(home.catalog)}.main.${tableName(name)}` : tableName(name);
}

export const axisId = (axis: CubeAxis) => (axis.dim === 'time' ? `time:${axis.grain}` : axis.dim);

function axisKey(axis: CubeAxis): string {
	switch (axis.dim) {
		case 'queue':
			return 'queue';
		case 'agent':
			return 'agent';
		case 'outcome':
			return 'outcome';
		case 'time':
			return DUCKDB.bucket(axis.grain!, 'arrival');
	}
}

/** The filter without the axis's own dimension: what the cube is built under. */
export function contextOf(filter: Filter, dim: CubeDim): Filter {
	if (dim === 'time') return { ...filter, from: null, to: null };
	return { ...filter, [dim]: null };
}

/** 'YYYY-MM-DD HH:MM:SS' on a bucket edge of `grain` minutes (buckets start on the hour). */
export function onGrain(time: string | null, grain: Extract<IntervalSize, 15 | 60>): boolean {
	if (time == null) return true;
	const match = /^\d{4}-\d{2}-\d{2} \d{2}:(\d{2}):(\d{2})$/.exec(time);
	return !!match && match[2] === '00' && Number(match[1]) % grain === 0;
}

/** Whether a cube on `axis` can answer this filter's value of the axis's dimension. */
export function answers(axis: CubeAxis, filter: Filter): boolean {
	return axis.dim !== 'time' || (onGrain(filter.from, axis.grain!) && onGrain(filter.to, axis.grain!));
}

/**
 * Creates the cube `name` for `view` on `axis`, under the filter's other dimensions.
 *
 * A value axis (department, agent, outcome) keeps every value's *final* answer, ranked, plus
 * the answer with the axis unset and the answer over no calls at all: moving that filter
 * then reads finished rows, with nothing to plan but a lookup (planning an aggregate costs
 * the browser's engine more than running it on a few thousand rows). The time axis keeps
 * partial sums per bucket, since its answers depend on a range.
 *
 * Running totals per group (a range as the totals at its end minus those at its start, two rows
 * per group) were measured and are not used: in DuckDB-WASM the longer statement costs more than
 * the summing it saves (five lookups on hourly cubes of 1 M calls over 50 days, CPU in Node once warm:
 * 48–53 ms against 38–44 ms with these sums; the agent chart's 234,000-row cube 16–17 ms
 * against 15–16 ms).
 */
export function cubeBuildQuery(name: string, table: string, view: ViewSpec, axis: CubeAxis, filter: Filter, home: CubeHome = TEMP_CUBES): Query {
	const create = `CREATE OR REPLACE ${'temp' in home ? 'TEMP ' : ''}TABLE ${cubeTable(name, home)} AS`;
	const { where, params } = serviceWhere(contextOf(filter, axis.dim));
	const key = view.key ? `${view.key} AS key, ` : '';
	const source = `${tableName(table)}, ${view.using}`;
	const scope = `${view.scope} AND ${where}`;
	if (axis.dim === 'time')
		return {
			// Ordered by the axis so a range's rows sit together and the scan skips the rest.
			sql: `${create}
WITH ${view.prelude}
SELECT ${key}${axisKey(axis)} AS a, ${view.measures.flatMap((m) => m.stored).join(', ')}
FROM ${source}
WHERE ${scope}
GROUP BY ALL
ORDER BY a`,
			params: [...view.preludeParams, ...params]
		};
	const measures = view.measures.map((m) => `${m.row} AS ${m.name}`).join(', ');
	const from = `counts${view.columnsUse ? `, ${view.using}` : ''}`;
	const sets = view.key ? `(__a, key), (key)` : `(__a), ()`;
	const empty = view.key
		? ''
		: `
UNION ALL
SELECT 2 AS __all, NULL AS __a, 1 AS __rank, ${view.columns}
FROM (SELECT ${measures} FROM ${tableName(table)}, ${view.using} WHERE FALSE) AS counts`;
	return {
		sql: `${create}
${countsSql(view, `${axisKey(axis)} AS __a, grouping(__a) AS __all, ${key}${measures}`, source, scope, `GROUPING SETS (${sets})`)}
SELECT __all, __a, row_number() OVER (PARTITION BY __all, __a${view.order ? ` ORDER BY ${view.order}` : ''}) AS __rank, ${view.columns}
FROM ${from}${empty}
ORDER BY __all, __a, __rank`,
		params: [...view.preludeParams, ...params]
	};
}

/** The value a value-axis cube is asked for (`__a = ?`), or null for the axis unset (`__all = 1`). */
function askedValue(dim: Exclude<CubeDim, 'time'>, filter: Filter): { value: SqlParam } | null {
	// Same validation as the calls table's WHERE (an unknown outcome is no condition).
	const { params } = serviceWhere({ queue: null, agent: null, outcome: null, from: null, to: null, [dim]: filter[dim] });
	return params.length ? { value: params[0]! } : null;
}

/** The view's answer from a cube, for the filter's value of the axis's dimension. */
export function cubeAnswerQuery(name: string, view: ViewSpec, axis: CubeAxis, filter: Filter, home: CubeHome = TEMP_CUBES): Query {
	const cube = cubeTable(name, home);
	if (axis.dim !== 'time') {
		const asked = askedValue(axis.dim, filter);
		const params = asked ? [asked.value] : [];
		const match = asked ? '__all = 0 AND __a = ?' : '__all = 1';
		const top = view.limit ? ` AND __rank <= ${view.limit}` : '';
		// A view without a key always has one row: the answer over no calls when the value has none.
		const sql = view.key
			? `SELECT * EXCLUDE (__all, __a, __rank) FROM ${cube} WHERE ${match}${top} ORDER BY __rank`
			: `SELECT * EXCLUDE (__all, __a, __rank) FROM ${cube} WHERE (${match}) OR __all = 2 ORDER BY __all LIMIT 1`;
		return { sql, params };
	}
	const conditions: string[] = [];
	const params: SqlParam[] = [];
	if (filter.from) {
		conditions.push('a >= CAST(? AS TIMESTAMP)');
		params.push(filter.from);
	}
	if (filter.to) {
		conditions.push('a < CAST(? AS TIMESTAMP)');
		params.push(filter.to);
	}
	return {
		sql: `${countsSql(view, `${view.key ? 'key, ' : ''}${view.measures.map((m) => `${m.rollup} AS ${m.name}`).join(', ')}`, cube, conditions.length ? conditions.join(' AND ') : 'TRUE', view.key ? 'key' : null)}
${finishSql(view)}`,
		params: [...view.preludeParams, ...params]
	};
}

/** One value the cube holds on its axis (as the filter would carry it), or no row. */
export function cubeSampleQuery(name: string, axis: CubeAxis, home: CubeHome = TEMP_CUBES): Query {
	const cube = cubeTable(name, home);
	const sql =
		axis.dim === 'time'
			? `SELECT strftime(a, '%Y-%m-%d %H:%M:%S') AS value FROM ${cube} WHERE a IS NOT NULL LIMIT 1`
			: `SELECT __a AS value FROM ${cube} WHERE __all = 0 AND __a IS NOT NULL LIMIT 1`;
	return { sql, params: [] };
}

/** Every row of a cube, in the order its answers read them (to hold a value cube in memory). */
export function cubeRowsQuery(name: string, home: CubeHome = TEMP_CUBES): Query {
	return { sql: `SELECT * FROM ${cubeTable(name, home)} ORDER BY __all, __a, __rank`, params: [] };
}

/** A value cube's rows by group (`__all`, `__a`), each group in rank order, without those columns. */
export type HeldCube = Map<string, Row[]>;
const groupKey = (all: number, value: unknown) => JSON.stringify([all, value == null ? null : String(value)]);

/** Groups the rows of `cubeRowsQuery` for `heldAnswer`. */
export function holdCube(rows: Row[]): HeldCube {
	const held: HeldCube = new Map();
	for (const { __all, __a, __rank, ...row } of rows) {
		void __rank;
		const key = groupKey(Number(__all), __a);
		const group = held.get(key);
		if (group) group.push(row);
		else held.set(key, [row]);
	}
	return held;
}

/**
 * `cubeAnswerQuery`'s answer for a value axis, read from the held rows: the same rows, since
 * they are the rows that SQL selects (a group is ranked 1, 2, … in order, so `__rank <= limit`
 * is its first `limit` rows; a keyless view falls back to the answer over no calls, `__all = 2`).
 */
export function heldAnswer(held: HeldCube, view: ViewSpec, dim: Exclude<CubeDim, 'time'>, filter: Filter): Row[] {
	const asked = askedValue(dim, filter);
	const group = (asked ? held.get(groupKey(0, asked.value)) : held.get(groupKey(1, null))) ?? [];
	if (!view.key) {
		const row = group[0] ?? held.get(groupKey(2, null))?.[0];
		return row ? [row] : [];
	}
	return view.limit ? group.slice(0, view.limit) : group.slice();
}
