import type { SqlParam } from './query';
import type { Dialect, IntervalSize } from './dialect';

const MIN_NORMAL = 2.2250738585072014e-308;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A value as a ClickHouse literal: the only way user values reach ClickHouse SQL (it has no
 * bound parameters before 19.x). Strings are quoted with every quote, backslash and control
 * character escaped (`\\`, `\'`, `\xHH`), so nothing can end the literal; text that is not
 * well-formed Unicode (a lone surrogate) is refused, since it could not arrive as it was.
 */
export function clickhouseLiteral(value: SqlParam): string {
	if (value === null) return 'NULL';
	if (typeof value === 'boolean') return value ? '1' : '0';
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new Error(`Not a finite number: ${value}`);
		// 18.16's parser rejects subnormal literals (5e-324 is a syntax error); none is a setting.
		if (value !== 0 && Math.abs(value) < MIN_NORMAL) throw new Error(`A number too close to zero for ClickHouse: ${value}`);
		// toFloat64 keeps the column type the same whatever the value's digits look like.
		return Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER ? String(value) : `toFloat64(${JSON.stringify(value)})`;
	}
	if (typeof value !== 'string') throw new Error('Not a literal value');
	if (LONE_SURROGATE.test(value)) throw new Error('Text with a lone surrogate cannot be sent');
	return `'${value.replace(/[\\'\u0000-\u001f\u007f]/g, (c) => (c === '\\' ? '\\\\' : c === "'" ? "\\'" : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`))}'`;
}

/** Calls' times are wall-clock times without a zone: stored and read as UTC so they stay as written. */
const ZONE = `'UTC'`;

// Every time function is told the zone: 18.16 returns toStartOfHour(DateTime('UTC')) in the
// server's zone, and formatDateTime would print it there (8 h off on a server in Shanghai).
const BUCKETS: Record<IntervalSize, (column: string) => string> = {
	15: (c) => `toStartOfFifteenMinutes(${c}, ${ZONE})`,
	30: (c) => `toDateTime(intDiv(toUInt32(${c}), 1800) * 1800, ${ZONE})`,
	60: (c) => `toStartOfHour(${c}, ${ZONE})`,
	day: (c) => `toStartOfDay(${c}, ${ZONE})`,
	week: (c) => `toDateTime(toMonday(${c}, ${ZONE}), ${ZONE})`
};

/**
 * A condition over Nullable columns is Nullable, and an aggregate of a Nullable argument is
 * NULL over no rows (countIf(outcome <> 'other') of nothing is NULL, not 0): unknown is false.
 */
export const knownTrue = (condition: string) => `ifNull(${condition}, 0)`;

/** The rows a mean of `expr` over `condition` counts: those meeting it with a value. */
export const meanRows = (expr: string, condition: string) => knownTrue(`(${expr}) IS NOT NULL AND (${condition})`);

/** ClickHouse's pieces: the subset 18.16 and current versions share (see dialect.ts). */
export const CLICKHOUSE: Dialect = {
	id: 'clickhouse',
	idTag: '|clickhouse',
	always: '1',
	never: '0',
	value: (value) => clickhouseLiteral(value),
	timestamp: (value) => `toDateTime(${clickhouseLiteral(value)}, ${ZONE})`,
	// Which also keeps the key analysis off it: a time filter on the calls table skips no
	// partition (questions on the pre-aggregate's grain read that instead).
	timeCondition: knownTrue,
	settings(_name, values) {
		const keys = Object.keys(values) as (keyof typeof values)[];
		return {
			prelude: '',
			params: [],
			using: '',
			ref: Object.fromEntries(
				keys.map((k) => {
					const value = values[k];
					if (typeof value === 'number') return [k, `toFloat64(${clickhouseLiteral(value)})`];
					return [k, value.time === null ? 'NULL' : `toDateTime(${clickhouseLiteral(value.time)}, ${ZONE})`];
				})
			) as Record<keyof typeof values, string>
		};
	},
	known: knownTrue,
	// No CTEs: the relation is a subquery where the query reads it.
	withRelation: (_prelude, name, select, body) => body(`(\n${select}\n) AS ${name}`),
	orZero: (expr) => `ifNull(${expr}, 0)`,
	sumIf: (expr, condition) => `sumIf(${expr}, ${knownTrue(condition)})`,
	countDistinctIf: (expr, condition) => `uniqExactIf(${expr}, ${knownTrue(condition)})`,
	bigint: (expr) => `toInt64(round(${expr}))`,
	// Times are whole seconds here; assumeNotNull keeps a Nullable column's number out of Nullable.
	epochMs: (expr) => `toInt64(assumeNotNull(${expr})) * 1000`,
	timeOfMs: (expr) => `toDateTime(intDiv(${expr}, 1000), ${ZONE})`,
	intervalNumber: (expr, widthMs) => `intDiv(toInt64(assumeNotNull(${expr})) * 1000, ${Number(widthMs)})`,
	// No range joins (nor unnest): each span's intervals as an array, one row each.
	intervalsTouched: (fromMs, toMs, widthMs) => {
		const w = Number(widthMs);
		return `arrayJoin(arrayMap(i -> intDiv(${fromMs}, ${w}) + i, range(toUInt64(intDiv(${toMs}, ${w}) - intDiv(${fromMs}, ${w}) + 1))))`;
	},
	leftJoin: 'ANY LEFT JOIN',
	leftJoinAll: 'ALL LEFT JOIN',
	digits: (expr) => `replaceRegexpAll(${expr}, '[^0-9]', '')`,
	matches: (expr, pattern) => `match(${expr}, '${pattern}')`,
	countIf: (condition) => (condition ? `countIf(${knownTrue(condition)})` : 'count()'),
	// avgIf over no rows is nan, not NULL: a sum over a count, NULL when there is nothing to count.
	meanIf: (expr, condition) => `sumIf(${expr}, ${knownTrue(condition)}) / nullIf(countIf(${meanRows(expr, condition)}), 0)`,
	nullIf: (a, b) => `nullIf(${a}, ${b})`,
	bucket: (size, column) => BUCKETS[size](column),
	timeText: (expr) => `formatDateTime(${expr}, '%Y-%m-%d %H:%M:%S', ${ZONE})`,
	quantile: (expr, q) => `quantile(${Number(q)})(${expr})`,
	// 18.16 orders only a UNION's last SELECT: the union is a subquery here.
	orderUnion: (union, order) => `SELECT * FROM (\n${union}\n)\n${order}`,
	groupBy: (keys) => keys.join(', '),
	// 18.16 is not three-valued throughout (NULL AND 0 is NULL there, FALSE in SQL): each side of
	// an OR is settled first, unknown as false, which leaves exactly SQL's true rows.
	or: (a, b) => `(${knownTrue(a)} OR ${knownTrue(b)})`,
	secondsBetween: (from, to) => `toFloat64(toInt64(${to}) - toInt64(${from}))`,
	aggregateIf(aggregate, expr, condition) {
		const rows = `${expr} IS NOT NULL AND ${condition}`;
		const [name, q] = aggregate.split(' ');
		// quantile_disc's position, 1-based: ceil(n × q), at least 1 (checked against DuckDB's in the tests).
		const value =
			name === 'median'
				? `quantileIf(0.5)(${expr}, ${knownTrue(rows)})`
				: name === 'max'
					? `maxIf(${expr}, ${knownTrue(rows)})`
					: `arrayElement(arraySort(groupArrayIf(${expr}, ${knownTrue(rows)})), toUInt64(greatest(1, ceil(countIf(${knownTrue(rows)}) * ${Number(q)}))))`;
		// Over no rows ClickHouse gives nan or 0, not NULL.
		return `if(countIf(${knownTrue(rows)}) = 0, NULL, ${value})`;
	}
};
