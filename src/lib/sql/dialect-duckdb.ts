import type { Dialect, IntervalSize } from './dialect';

/** DuckDB's pieces: what service.ts wrote before dialects, unchanged. */
export const DUCKDB: Dialect = {
	id: 'duckdb',
	idTag: '',
	always: 'TRUE',
	never: 'FALSE',
	value(value, params) {
		params.push(value);
		return '?';
	},
	timestamp(value, params) {
		params.push(value);
		return 'CAST(? AS TIMESTAMP)';
	},
	timeCondition: (condition) => condition,
	settings(name, values) {
		const keys = Object.keys(values) as (keyof typeof values)[];
		return {
			prelude: `${name} AS (SELECT ${keys.map((k) => `CAST(? AS ${typeof values[k] === 'number' ? 'DOUBLE' : 'TIMESTAMP'}) AS ${String(k)}`).join(', ')})`,
			params: keys.map((k) => {
				const value = values[k];
				return typeof value === 'number' ? value : value.time;
			}),
			using: name,
			ref: Object.fromEntries(keys.map((k) => [k, `${name}.${String(k)}`])) as Record<keyof typeof values, string>
		};
	},
	known: (condition) => condition,
	// NOT MATERIALIZED: DuckDB would otherwise materialise it, which costs more (~7 ms in the
	// browser) than a whole view does on a cube. (Never re-reference a prelude relation after it:
	// DuckDB-WASM 1.32 then binds the inlined one wrongly.)
	// A relation read once is NOT MATERIALIZED: DuckDB would otherwise materialise it, which costs
	// more (~7 ms in the browser) than a whole view does on a cube. (Never re-reference a prelude
	// relation after it: DuckDB-WASM 1.32 then binds the inlined one wrongly.) One read twice
	// is left to DuckDB, which reads the calls once for both.
	withRelation: (prelude, name, select, body, { reused = false } = {}) =>
		`WITH ${prelude ? `${prelude},\n` : ''}${name} AS ${reused ? '' : 'NOT MATERIALIZED '}(\n${select}\n)\n${body(name)}`,
	orZero: (expr) => `coalesce(${expr}, 0)`,
	sumIf: (expr, condition) => `sum(${expr}) FILTER (WHERE ${condition})`,
	countDistinctIf: (expr, condition) => `count(DISTINCT ${expr}) FILTER (WHERE ${condition})`,
	bigint: (expr) => `CAST(round(${expr}) AS BIGINT)`,
	epochMs: (expr) => `epoch_ms(${expr})`,
	timeOfMs: (expr) => `epoch_ms(CAST(${expr} AS BIGINT))`,
	// time_bucket's minutes and days start at the same boundaries (its origin, 2000-01-03, is a multiple of a day).
	intervalNumber: (expr, widthMs) => `CAST(floor(epoch_ms(${expr}) / ${Number(widthMs)}) AS BIGINT)`,
	intervalsTouched: (fromMs, toMs, widthMs) =>
		`unnest(range(CAST(floor(${fromMs} / ${Number(widthMs)}) AS BIGINT), CAST(floor(${toMs} / ${Number(widthMs)}) AS BIGINT) + 1))`,
	leftJoin: 'LEFT JOIN',
	leftJoinAll: 'LEFT JOIN',
	digits: (expr) => `regexp_replace(${expr}, '[^0-9]', '', 'g')`,
	matches: (expr, pattern) => `regexp_matches(${expr}, '${pattern}')`,
	countIf: (condition) => (condition ? `count(*) FILTER (WHERE ${condition})` : 'count(*)'),
	meanIf: (expr, condition) => `avg(${expr}) FILTER (WHERE ${condition})`,
	nullIf: (a, b) => `nullif(${a}, ${b})`,
	// Weeks start on Monday: time_bucket's default origin for day-sized widths, 2000-01-03, is one.
	bucket: (size: IntervalSize, column) =>
		`time_bucket(${size === 'day' ? `INTERVAL 1 DAY` : size === 'week' ? `INTERVAL 7 DAY` : `INTERVAL ${Number(size)} MINUTE`}, ${column})`,
	timeText: (expr) => `strftime(${expr}, '%Y-%m-%d %H:%M:%S')`,
	quantile: (expr, q) => `quantile_cont(${expr}, ${Number(q)})`,
	orderUnion: (union, order) => `${union}\n${order}`,
	groupBy: () => 'ALL',
	or: (a, b) => `(${a}) OR (${b})`,
	secondsBetween: (from, to) => `epoch(${to} - ${from})`,
	aggregateIf(aggregate, expr, condition) {
		const [name, q] = aggregate.split(' ');
		return `${name === 'quantile_disc' ? `quantile_disc(${expr}, ${Number(q)})` : `${name}(${expr})`} FILTER (WHERE ${condition})`;
	}
};
