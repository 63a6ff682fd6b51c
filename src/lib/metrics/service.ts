import type { Query, Row, SqlParam } from '$lib/sql/query';
import { tableName } from '$lib/sql/identifiers';
import { CALLS_SCHEMA, filterWhere, type Filter } from '$lib/filters/filter';
import type { Dialect, DialectId, IntervalSize } from '$lib/sql/dialect';
import { DUCKDB } from '$lib/sql/dialect-duckdb';
import { CLICKHOUSE } from '$lib/sql/dialect-clickhouse';

/** The dialect renderers by name (an engine says which it speaks). */
export const DIALECTS: Record<DialectId, Dialect> = { duckdb: DUCKDB, clickhouse: CLICKHOUSE };

/**
 * The industry's standard service metrics over a canonical calls table (see
 * `imports/canonical.ts`). Every definition is written beside its SQL.
 *
 * offered      calls offered to agents: answered + abandoned + unanswered
 *              (outcome `other`, e.g. finished in the IVR, was never offered)
 * answered     outcome `answered` or `interrupted` (answered, then cut off)
 * abandoned    caller hung up while waiting (outcome `abandoned`)
 * short abandon  an abandon after waiting less than S seconds (default 5 s): a
 *              mis-dial or immediate hang-up, which some centers leave out
 * service level  answered within T seconds (default 20 s), as a share of
 *   `count`         offered (abandons count against the target)
 *   `exclude`       answered only (abandons ignored)
 *   `exclude_short` offered minus short abandons
 * ASA          average speed of answer: mean wait of answered calls
 * AHT          average handle time: mean of talk + hold + wrap (hold and wrap where
 *              the data has them) over answered calls
 * abandonment  follows the abandon treatment chosen for the service level:
 *   `count`, `exclude`  abandoned / offered (every abandon counts; `exclude` leaves
 *                       abandons out of the service level only)
 *   `exclude_short`     (abandoned − short abandons) / (offered − short abandons)
 */
export type SlVariant = 'count' | 'exclude' | 'exclude_short';
export const SL_VARIANTS: SlVariant[] = ['count', 'exclude', 'exclude_short'];

export interface ServiceSettings {
	/** T: answered within this many seconds counts as in service level. */
	thresholdS: number;
	/** S: abandons quicker than this are short abandons. */
	shortAbandonS: number;
	variant: SlVariant;
}

export const DEFAULT_SETTINGS: ServiceSettings = { thresholdS: 20, shortAbandonS: 5, variant: 'count' };

export interface ServiceRow {
	volume: number;
	offered: number;
	answered: number;
	abandoned: number;
	short_abandoned: number;
	unanswered: number;
	answered_within: number;
	service_level: number | null;
	asa_s: number | null;
	aht_s: number | null;
	abandon_rate: number | null;
}

/** WHERE conditions for a filter, values bound (DuckDB) or inlined as escaped literals (ClickHouse). */
export function serviceWhere(filter: Filter, d: Dialect = DUCKDB): { where: string; params: SqlParam[] } {
	return filterWhere(filter, CALLS_SCHEMA, d);
}

/**
 * A chart's question, independent of the filter: an optional grouping `key`, the rows it
 * counts (`scope`), its measures and how the per-group counts become the answer. The same
 * view is asked of the calls table (`viewQuery`) or of a pre-aggregated cube
 * (`preagg/cube.ts`), so both give the same rows.
 */
export interface ViewSpec {
	/** Equal ids, equal question: the grouping, the measures and every setting they use. */
	id: string;
	/** Leading CTEs (trusted SQL) and the values they bind, first. */
	prelude: string;
	preludeParams: SqlParam[];
	/** The prelude's one-row relations, joined to the rows. */
	using: string;
	key: string | null;
	scope: string;
	measures: Measure[];
	/** The answer's columns over `counts` (trusted SQL, one row per group). */
	columns: string;
	/** Whether the columns also read the prelude's relations (`using`). */
	columnsUse: boolean;
	/** Row order of the answer (over `counts`' columns), and how many rows it keeps. */
	order: string | null;
	limit: number | null;
	/** The dialect the view's SQL is written in. */
	dialect: DialectId;
	/** `columns`, `order` and `limit` in plain TypeScript, for answers summed in the page (`preagg/range-tables.ts`). */
	finish?: RowFinish;
}

/** A `counts` row: the group's key and each measure rolled up (counts, means or null). */
export type CountsRow = Record<string, string | number | null>;

/**
 * What `finishSql` does to `counts` rows, in TypeScript: each answer row from its counts, and
 * their order (`limit` is the view's). Written beside the SQL it mirrors; a test holds them equal.
 */
export interface RowFinish {
	/** The key as the answer shows it: the SQL's text of a timestamp ('YYYY-MM-DD HH:MM:SS'). */
	keyAsText: boolean;
	row(counts: CountsRow): Row;
	compare(a: CountsRow, b: CountsRow): number;
}

/** SQL's `x / nullif(y, 0)` over numbers (DuckDB divides integers as doubles). */
const ratio = (x: number | null, y: number | null) => (x == null || y == null || y === 0 ? null : x / y);
/** VARCHAR order (bytes of UTF-8, which is code point order), not UTF-16's. */
export function compareText(a: string, b: string): number {
	const x = [...a];
	const y = [...b];
	for (let i = 0; i < Math.min(x.length, y.length); i++) {
		const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
		if (d) return d;
	}
	return x.length - y.length;
}

/** The `counts` relation's SELECT: per-group measures from `from` (calls or a cube). */
function countsSelect(select: string, from: string, where: string, groupBy: string | null): string {
	return `  SELECT ${select}
  FROM ${from}
  WHERE ${where}
  ${groupBy ? `GROUP BY ${groupBy}` : ''}`;
}

/** The view's prelude and its `counts` relation (DuckDB: cubes are DuckDB's), for `finishSql` to follow. */
export function countsSql(view: ViewSpec, select: string, from: string, where: string, groupBy: string | null): string {
	return DUCKDB.withRelation(view.prelude, 'counts', countsSelect(select, from, where, groupBy), () => '').trimEnd();
}

/** The answer from a `counts` relation (`from`): columns, order and limit, the same wherever counts come from. */
export function finishSql(view: ViewSpec, from = 'counts'): string {
	return `SELECT ${view.columns} FROM ${from}${view.columnsUse && view.using ? `, ${view.using}` : ''}${view.order ? ` ORDER BY ${view.order}` : ''}${view.limit ? ` LIMIT ${view.limit}` : ''}`;
}

/**
 * What a measure is made of, for stores that keep it in pieces of their own (ClickHouse's
 * pre-aggregate, `preagg/service-aggregate-columns.ts`): the rows it counts (all when null),
 * or the expression it averages over the rows meeting a condition.
 */
export type MeasureParts = { count: string | null } | { mean: string; condition: string };

/**
 * One aggregate over calls. `stored` are the partial aggregates a cube keeps per group
 * (sums and counts, which add up across groups); `rollup` combines them into the measure.
 */
export interface Measure {
	name: string;
	row: string;
	stored: string[];
	rollup: string;
	parts: MeasureParts;
}

/** Rows meeting a condition: adds up as a sum of counts. (Cubes, DuckDB only, keep `stored`.) */
function countOf(d: Dialect, name: string, condition: string | null): Measure {
	const row = d.countIf(condition);
	return { name, row, stored: [`${row} AS ${name}`], rollup: `CAST(coalesce(sum(${name}), 0) AS BIGINT)`, parts: { count: condition } };
}

/** Mean of `expr` over rows meeting a condition: kept as sum and count of non-null values, divided at the end. */
function meanOf(d: Dialect, name: string, expr: string, condition: string): Measure {
	return {
		name,
		parts: { mean: expr, condition },
		row: d.meanIf(expr, condition),
		stored: [`sum(${expr}) FILTER (WHERE ${condition}) AS ${name}__sum`, `count(${expr}) FILTER (WHERE ${condition}) AS ${name}__n`],
		rollup: `sum(${name}__sum) / nullif(sum(${name}__n), 0)`
	};
}

const ANSWERED = `outcome IN ('answered', 'interrupted')`;
/** `serviceMeasures`' names, in their order. */
const SERVICE_MEASURE_NAMES = ['volume', 'offered', 'answered', 'abandoned', 'short_abandoned', 'unanswered', 'answered_within', 'asa_s', 'aht_s'];

/**
 * The measures, with T and S (`t`, `s`) as SQL expressions of the dialect. ClickHouse's
 * pre-aggregate derives its columns from these (`preagg/service-aggregate-columns.ts`).
 */
export function serviceMeasures(d: Dialect, { t, s }: Record<'t' | 's', string>): Measure[] {
	return [
		countOf(d, 'volume', null),
		countOf(d, 'offered', `outcome <> 'other'`),
		countOf(d, 'answered', ANSWERED),
		countOf(d, 'abandoned', `outcome = 'abandoned'`),
		countOf(d, 'short_abandoned', `outcome = 'abandoned' AND coalesce(wait_s, 0) < ${s}`),
		countOf(d, 'unanswered', `outcome = 'unanswered'`),
		countOf(d, 'answered_within', `${ANSWERED} AND wait_s <= ${t}`),
		meanOf(d, 'asa_s', 'wait_s', ANSWERED),
		meanOf(d, 'aht_s', 'talk_s + coalesce(hold_s, 0) + coalesce(wrap_s, 0)', ANSWERED)
	];
}

function denominator(variant: SlVariant): string {
	switch (variant) {
		case 'count':
			return 'offered';
		case 'exclude':
			return 'answered';
		case 'exclude_short':
			return 'offered - short_abandoned';
	}
}

function abandonRate(d: Dialect, variant: SlVariant): string {
	return variant === 'exclude_short'
		? `(abandoned - short_abandoned) / ${d.nullIf('offered - short_abandoned', '0')}`
		: `abandoned / ${d.nullIf('offered', '0')}`;
}

/** The counts, then the ratios over them; `key` is a trusted SQL expression or null. */
function serviceView(
	d: Dialect,
	id: string,
	settings: ServiceSettings,
	key: string | null,
	scope: string,
	order: string | null = null,
	limit: number | null = null,
	keyAsText = false
): ViewSpec {
	const keyColumn = key ? (keyAsText ? `${d.timeText('key')} AS key, ` : 'key, ') : '';
	// Thresholds as a one-row relation `p(t, s)`, bound first (or inline, where there are no CTEs).
	const p = d.settings('p', { t: settings.thresholdS, s: settings.shortAbandonS });
	const measures = serviceMeasures(d, p.ref);
	return {
		id: `${id}|t=${settings.thresholdS}|s=${settings.shortAbandonS}|v=${settings.variant}${d.idTag}`,
		prelude: p.prelude,
		preludeParams: p.params,
		using: p.using,
		key,
		scope,
		measures,
		columns: `${keyColumn}${measures.map((m) => m.name).join(', ')},
  answered_within / ${d.nullIf(denominator(settings.variant), '0')} AS service_level,
  ${abandonRate(d, settings.variant)} AS abandon_rate`,
		columnsUse: false,
		order,
		limit,
		dialect: d.id,
		finish: serviceFinish(settings.variant, !!key, keyAsText, order)
	};
}

/** `serviceView`'s columns and order in TypeScript (see `RowFinish`). */
function serviceFinish(variant: SlVariant, keyed: boolean, keyAsText: boolean, order: string | null): RowFinish {
	const n = (row: CountsRow, name: string) => row[name] as number | null;
	return {
		keyAsText,
		row: (c) => {
			const denominatorOf = variant === 'count' ? n(c, 'offered') : variant === 'exclude' ? n(c, 'answered') : n(c, 'offered')! - n(c, 'short_abandoned')!;
			const abandon =
				variant === 'exclude_short'
					? ratio(n(c, 'abandoned')! - n(c, 'short_abandoned')!, n(c, 'offered')! - n(c, 'short_abandoned')!)
					: ratio(n(c, 'abandoned'), n(c, 'offered'));
			const measures = Object.fromEntries(SERVICE_MEASURE_NAMES.map((name) => [name, c[name] ?? null]));
			return { ...(keyed ? { key: c.key } : {}), ...measures, service_level: ratio(n(c, 'answered_within'), denominatorOf), abandon_rate: abandon };
		},
		// 'key' (intervals: their text sorts as time) or 'volume DESC, key' (departments, agents).
		compare:
			order === 'key'
				? (a, b) => compareText(String(a.key), String(b.key))
				: (a, b) => (b.volume as number) - (a.volume as number) || compareText(String(a.key), String(b.key))
	};
}

/** The answer over a `counts` subquery (dialects without CTEs): columns, order and limit. */
export function answerOverCounts(view: ViewSpec, counts: string): string {
	return `SELECT ${view.columns}
FROM (
  ${counts}
) AS counts${view.order ? `\nORDER BY ${view.order}` : ''}${view.limit ? `\nLIMIT ${view.limit}` : ''}`;
}

/** A view asked of the calls table itself, in the view's dialect; the filter's values bound or inlined. */
export function viewQuery(table: string, view: ViewSpec, filter: Filter): Query {
	const d = DIALECTS[view.dialect];
	const { where, params } = serviceWhere(filter, d);
	const key = view.key ? `${view.key} AS key, ` : '';
	const select = `${key}${view.measures.map((m) => `${m.row} AS ${m.name}`).join(', ')}`;
	const from = `${tableName(table)}${view.using ? `, ${view.using}` : ''}`;
	const counts = countsSelect(select, from, `${view.scope} AND ${where}`, view.key ? d.groupBy(['key']) : null);
	return { sql: d.withRelation(view.prelude, 'counts', counts, (relation) => finishSql(view, relation)), params: [...view.preludeParams, ...params] };
}

export function summaryView(settings: ServiceSettings, d: Dialect = DUCKDB): ViewSpec {
	return serviceView(d, 'summary', settings, null, d.always);
}

export function summaryQuery(table: string, settings: ServiceSettings, filter: Filter, d: Dialect = DUCKDB): Query {
	return viewQuery(table, summaryView(settings, d), filter);
}

export type { IntervalSize };
/** The intervals a chart of a day's calls offers (the report's also include weeks). */
export const INTERVALS: Exclude<IntervalSize, 'week'>[] = [15, 30, 60, 'day'];

/** Per interval of arrival time: `key` is the interval start, 'YYYY-MM-DD HH:MM:SS'; weeks start on Monday. */
export function intervalView(settings: ServiceSettings, size: IntervalSize, d: Dialect = DUCKDB): ViewSpec {
	// Grouped by the bucket's timestamp and formatted once per interval, not once per call.
	return serviceView(d, `interval:${size}`, settings, d.bucket(size, 'arrival'), 'arrival IS NOT NULL', 'key', null, true);
}

export function intervalQuery(table: string, settings: ServiceSettings, filter: Filter, size: IntervalSize, d: Dialect = DUCKDB): Query {
	return viewQuery(table, intervalView(settings, size, d), filter);
}

export type GroupBy = 'queue' | 'agent';

/** Rows a chart shows (the page's top departments and agents) and a report's tables hold. */
export const TOP = { queues: 40, agents: 30, report: 1000 } as const;

/**
 * Per queue or agent, busiest first; `limit` keeps charts readable (the CSV takes all).
 * Per agent: answered calls only (abandons and unanswered calls reach no agent), and answered
 * calls with no agent recorded (e.g. the bank data's NO_SERVER) are one row with key ''.
 */
export function groupView(settings: ServiceSettings, by: GroupBy, limit = 1000, d: Dialect = DUCKDB): ViewSpec {
	const column = by === 'agent' ? 'agent' : 'queue';
	const top = Math.max(1, Math.floor(limit));
	return serviceView(d, `group:${column}:${top}`, settings, `coalesce(${column}, '')`, by === 'agent' ? ANSWERED : d.always, 'volume DESC, key', top);
}

export function groupQuery(table: string, settings: ServiceSettings, filter: Filter, by: GroupBy, limit = 1000, d: Dialect = DUCKDB): Query {
	return viewQuery(table, groupView(settings, by, limit, d), filter);
}

export interface WaitBin {
	bin_start: number;
	/** Null for the overflow bin: every wait of `maxS` or more, however long. */
	bin_end: number | null;
	answered: number;
	abandoned: number;
}

/**
 * Wait-time histogram of answered and abandoned calls: bins `binS` seconds wide from 0 to
 * `maxS` (a multiple of `binS`), and one overflow bin starting at `maxS` (its `bin_end` is
 * NULL) for every longer wait, so every call is counted once and none is drawn as a wait it
 * did not have.
 */
export function waitHistogramView(binS: number, maxS: number, d: Dialect = DUCKDB): ViewSpec {
	const b = d.settings('b', { w: binS, m: maxS });
	const { w, m } = b.ref;
	return {
		id: `waits|w=${binS}|m=${maxS}${d.idTag}`,
		prelude: b.prelude,
		preludeParams: b.params,
		using: b.using,
		key: `least(floor(greatest(wait_s, 0) / ${w}), round(${m} / ${w}))`,
		scope: `outcome IN ('answered', 'interrupted', 'abandoned') AND wait_s IS NOT NULL`,
		measures: [countOf(d, 'answered', ANSWERED), countOf(d, 'abandoned', `outcome = 'abandoned'`)],
		columns: `key * ${w} AS bin_start, CASE WHEN key * ${w} >= ${m} THEN NULL ELSE (key + 1) * ${w} END AS bin_end, answered, abandoned`,
		columnsUse: true,
		order: 'key',
		limit: null,
		dialect: d.id,
		finish: {
			keyAsText: false,
			row: (c) => {
				const start = (c.key as number) * binS;
				return { bin_start: start, bin_end: start >= maxS ? null : ((c.key as number) + 1) * binS, answered: c.answered, abandoned: c.abandoned };
			},
			compare: (a, b) => (a.key as number) - (b.key as number)
		}
	};
}

export function waitHistogramQuery(table: string, filter: Filter, binS: number, maxS: number, d: Dialect = DUCKDB): Query {
	return viewQuery(table, waitHistogramView(binS, maxS, d), filter);
}

/**
 * The quantile of the dataset's waits (answered and abandoned calls) that the histogram
 * reaches: 99 % of waits get bins of their own and the longest 1 % share the overflow bin.
 * Taken over the whole dataset, not the filter, so bins stay put (and comparable) while
 * filters move, and the cubes built for the histogram keep answering.
 */
export const WAIT_RANGE_QUANTILE = 0.99;

export function waitReachQuery(table: string, d: Dialect = DUCKDB): Query {
	// ClickHouse's `quantile` interpolates as quantile_cont does; past 8192 values it samples.
	return {
		sql: `SELECT ${d.quantile('greatest(wait_s, 0)', WAIT_RANGE_QUANTILE)} AS reach_s FROM ${tableName(table)}
WHERE outcome IN ('answered', 'interrupted', 'abandoned') AND wait_s IS NOT NULL`,
		params: []
	};
}

/** Choices for the filter menus and the dataset's time range. */
export function optionsQuery(table: string, d: Dialect = DUCKDB): Query {
	const union = `SELECT 'queue' AS field, queue AS value, ${d.countIf(null)} AS n FROM ${tableName(table)} WHERE queue IS NOT NULL GROUP BY queue
UNION ALL SELECT 'agent', agent, ${d.countIf(null)} FROM ${tableName(table)} WHERE agent IS NOT NULL GROUP BY agent`;
	return { sql: d.orderUnion(union, 'ORDER BY field, n DESC, value'), params: [] };
}

/** Bin widths a reader counts in (seconds): 1, 2, 5, 10, 15, 20, 30 s, then minutes and hours. */
const NICE_BIN_WIDTHS = [1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 43200, 86400];
/** At most this many regular bins: ~10 px a bar on a phone-width chart. */
export const MAX_BINS = 40;

/**
 * Bins for a duration histogram that reaches `reachS` (a high quantile of the data): the
 * narrowest round width that needs at most MAX_BINS bins, and the reach rounded up to it.
 * `atLeastS` keeps a reference (e.g. the threshold T) inside the regular bins.
 */
export function histogramRange(reachS: number | null, atLeastS = 0): { binS: number; maxS: number } {
	const reach = Math.max(1, Number.isFinite(reachS ?? NaN) ? reachS! : 0, atLeastS);
	const binS = NICE_BIN_WIDTHS.find((w) => Math.floor(reach / w) + 1 <= MAX_BINS) ?? Math.ceil(reach / (MAX_BINS - 1));
	// A reach on an edge gets one more bin, so the quantile's own value is not an overflow.
	return { binS, maxS: (Math.floor(reach / binS) + 1) * binS };
}

/** The wait histogram's bins: up to the dataset's high quantile of waits, and past T (× 1.5) at least. */
export function waitHistogramRange(thresholdS: number, reachS: number | null): { binS: number; maxS: number } {
	return histogramRange(reachS, thresholdS * 1.5);
}

/** The five charts of the Service level page, as a filter change repaints them (and the bench asks them). */
export function dashboardViews(settings: ServiceSettings, interval: IntervalSize, waitReachS: number | null, d: Dialect = DUCKDB) {
	const { binS, maxS } = waitHistogramRange(settings.thresholdS, waitReachS);
	return {
		summary: summaryView(settings, d),
		intervals: intervalView(settings, interval, d),
		queues: groupView(settings, 'queue', TOP.queues, d),
		agents: groupView(settings, 'agent', TOP.agents, d),
		waits: waitHistogramView(binS, maxS, d)
	};
}
