import type { DialectId, SqlParam } from './query';

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

/**
 * An interval of arrival time a view groups calls by: 15, 30 or 60 minutes, a day, or a week
 * (starting on Monday). Charts of a day's calls and the staffing formulas take a day or less
 * (`Exclude<IntervalSize, 'week'>`); cubes, 15 or 60 minutes.
 */
export type IntervalSize = 15 | 30 | 60 | 'day' | 'week';

/** A setting that is a time ('YYYY-MM-DD HH:MM:SS', or null): the incident window's edges. */
export interface TimeSetting {
	time: string | null;
}

/** Numbers and times a view reads (thresholds, bin widths, a window), as a relation or as inline values. */
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
	/** What a view's id adds for this dialect ('' for DuckDB, whose ids predate dialects): equal ids, equal SQL. */
	idTag: string;
	/** A condition that always holds, and one that never does. */
	always: string;
	never: string;
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
	/** Settings (numbers, or times) under the relation name `name`. */
	settings<K extends string>(name: string, values: Record<K, number | TimeSetting>): Settings<K>;
	/** A condition as a column or a count's filter: unknown (NULL) read as false where the engine would not. */
	known(condition: string): string;
	/**
	 * A query over a derived relation `name` (trusted SQL `select`): a CTE after the settings'
	 * `prelude`, or a subquery in its place where there are no CTEs. `body` is the query, given
	 * what its FROM names the relation with.
	 */
	withRelation(prelude: string, name: string, select: string, body: (from: string) => string, options?: { reused?: boolean }): string;
	/** `expr`, or 0 where it is NULL. */
	orZero(expr: string): string;
	/** Sum of `expr` over rows meeting `condition` (NULL over none). */
	sumIf(expr: string, condition: string): string;
	/** Distinct non-null values of `expr` over rows meeting `condition`. */
	countDistinctIf(expr: string, condition: string): string;
	/** A number rounded to a whole one as a 64-bit integer. */
	bigint(expr: string): string;
	/** Milliseconds since the epoch of a time (one known not NULL where it is asked). */
	epochMs(expr: string): string;
	/** The time `expr` milliseconds after the epoch. */
	timeOfMs(expr: string): string;
	/** The interval of `widthMs` milliseconds, numbered from the epoch, that time `expr` (known not NULL) falls in. */
	intervalNumber(expr: string, widthMs: number): string;
	/** One row per interval of `widthMs` a span from `fromMs` to `toMs` touches: its number (set-returning). */
	intervalsTouched(fromMs: string, toMs: string, widthMs: number): string;
	/** A LEFT JOIN that keeps one match per row (the right side's keys are unique). */
	leftJoin: string;
	/** A LEFT JOIN keeping every match (an equality join: other conditions go in the aggregates over it). */
	leftJoinAll: string;
	/** The digits of a text, in order (`+86 138-1234` → `861381234`). */
	digits(expr: string): string;
	/** Whether a text matches a regular expression (`pattern`: trusted, without quotes). */
	matches(expr: string, pattern: string): string;
	/** Rows meeting `condition` (all rows when null). */
	countIf(condition: string | null): string;
	/** Mean of the non-null values of `expr` over rows meeting `condition`; NULL over none. */
	meanIf(expr: string, condition: string): string;
	nullIf(a: string, b: string): string;
	/** Start of the arrival-time interval of `column`. */
	bucket(size: IntervalSize, column: string): string;
	/** A timestamp as text 'YYYY-MM-DD HH:MM:SS'. */
	timeText(expr: string): string;
	/** The interpolated quantile `q` (a trusted number) of `expr`. */
	quantile(expr: string, q: number): string;
	/** A UNION's rows in `order` (an ORDER BY clause). */
	orderUnion(union: string, order: string): string;
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
