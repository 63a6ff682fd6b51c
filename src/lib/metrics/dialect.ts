import type { DialectId, SqlParam } from '$lib/db/types';

export type { DialectId };

/**
 * The SQL pieces that differ between engines, so each metric view is written once (its
 * conditions and ratios in service.ts) and rendered for the engine that runs it:
 *
 * duckdb      DuckDB (browser and Node): values bound as `?`, settings in a one-row CTE,
 *             `count(*) FILTER (WHERE …)`, `time_bucket`, `strftime`, `quantile_cont`.
 * clickhouse  the subset that runs on ClickHouse 18.16 (Debian's) and on current ClickHouse:
 *             no CTEs, no FILTER, no window functions, no GROUP BY ALL, no `::`, no query
 *             parameters — values are inlined by `clickhouseLiteral` (the one escaping
 *             function, property-tested); countIf/sumIf; toStartOf… / intDiv buckets;
 *             formatDateTime; `quantile` (interpolated, as quantile_cont, exact up to 8192 values).
 */

/** Interval widths a view can group arrival by. */
export type BucketSize = 15 | 30 | 60 | 'day' | 'week';

/** Numbers a view reads (thresholds, bin widths), as a relation or as inline values. */
export interface Settings<K extends string> {
	/** Leading CTEs (DuckDB) or '' (ClickHouse), and the values they bind. */
	prelude: string;
	params: SqlParam[];
	/** The relation to join, or '' when the values are inline. */
	using: string;
	/** Each setting as an SQL expression. */
	ref: Record<K, string>;
}

export interface Dialect {
	id: DialectId;
	/** A condition that always holds. */
	always: string;
	/** A user value in SQL: bound (`?`, pushed onto `params`) or an escaped literal. */
	value(value: SqlParam, params: SqlParam[]): string;
	/** A 'YYYY-MM-DD HH:MM:SS' value as a timestamp. */
	timestamp(value: string, params: SqlParam[]): string;
	/**
	 * A WHERE condition on a time column that may be NULL, false where it is unknown. (ClickHouse
	 * 18.16 fails `arrival < …` outright, "Cannot compare unsigned long with DB::Null", once a
	 * part holds a NULL arrival: the partition's min/max of the key column holds NULL.)
	 */
	timeCondition(condition: string): string;
	/** Numeric settings under the relation name `name`. */
	settings<K extends string>(name: string, values: Record<K, number>): Settings<K>;
	/** Rows meeting `condition` (all rows when null). */
	countIf(condition: string | null): string;
	/** Mean of the non-null values of `expr` over rows meeting `condition`; NULL over none. */
	meanIf(expr: string, condition: string): string;
	nullIf(a: string, b: string): string;
	/** Start of the arrival-time interval of `column`. */
	bucket(size: BucketSize, column: string): string;
	/** A timestamp as text 'YYYY-MM-DD HH:MM:SS'. */
	timeText(expr: string): string;
	/** The interpolated quantile `q` (a trusted number) of `expr`. */
	quantile(expr: string, q: number): string;
	/** GROUP BY clause for a relation whose group columns are `keys`. */
	groupBy(keys: string[]): string;
	/** `a OR b` with SQL's three-valued logic (TRUE when either is, whatever the other). */
	or(a: string, b: string): string;
	/** Seconds from timestamp `from` to `to`, as a double. */
	secondsBetween(from: string, to: string): string;
	/**
	 * An aggregate of the non-null values of `expr` over rows meeting `condition`, NULL over
	 * none: `median`, `max`, or `quantile_disc Q` (the smallest value with at least Q of the
	 * values at or below it).
	 */
	aggregateIf(aggregate: 'median' | 'max' | `quantile_disc ${number}`, expr: string, condition: string): string;
}
