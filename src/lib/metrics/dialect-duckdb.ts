import type { BucketSize, Dialect } from './dialect';

/** DuckDB's pieces: what service.ts wrote before dialects, unchanged. */
export const DUCKDB: Dialect = {
	id: 'duckdb',
	always: 'TRUE',
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
			prelude: `${name} AS (SELECT ${keys.map((k) => `CAST(? AS DOUBLE) AS ${String(k)}`).join(', ')})`,
			params: keys.map((k) => values[k]),
			using: name,
			ref: Object.fromEntries(keys.map((k) => [k, `${name}.${String(k)}`])) as Record<keyof typeof values, string>
		};
	},
	countIf: (condition) => (condition ? `count(*) FILTER (WHERE ${condition})` : 'count(*)'),
	meanIf: (expr, condition) => `avg(${expr}) FILTER (WHERE ${condition})`,
	nullIf: (a, b) => `nullif(${a}, ${b})`,
	// Weeks start on Monday: time_bucket's default origin for day-sized widths, 2000-01-03, is one.
	bucket: (size: BucketSize, column) =>
		`time_bucket(${size === 'day' ? `INTERVAL 1 DAY` : size === 'week' ? `INTERVAL 7 DAY` : `INTERVAL ${Number(size)} MINUTE`}, ${column})`,
	timeText: (expr) => `strftime(${expr}, '%Y-%m-%d %H:%M:%S')`,
	quantile: (expr, q) => `quantile_cont(${expr}, ${Number(q)})`,
	groupBy: () => 'ALL',
	or: (a, b) => `(${a}) OR (${b})`,
	secondsBetween: (from, to) => `epoch(${to} - ${from})`,
	aggregateIf(aggregate, expr, condition) {
		const [name, q] = aggregate.split(' ');
		return `${name === 'quantile_disc' ? `quantile_disc(${expr}, ${Number(q)})` : `${name}(${expr})`} FILTER (WHERE ${condition})`;
	}
};
