import type { Query, SqlParam } from '$lib/db/types';
import { tableName } from '$lib/db/identifiers';
import { CANONICAL_OUTCOMES, type CanonicalOutcome } from '$lib/imports/canonical';

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
 * abandonment  (abandoned − short abandons) / (offered − short abandons)
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

export interface ServiceFilter {
	queue: string | null;
	agent: string | null;
	outcome: CanonicalOutcome | null;
	/** Arrival in [from, to), local time 'YYYY-MM-DD HH:MM:SS'. */
	from: string | null;
	to: string | null;
}

export const NO_FILTER: ServiceFilter = { queue: null, agent: null, outcome: null, from: null, to: null };

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

/** WHERE conditions for a filter, values bound. */
export function serviceWhere(filter: ServiceFilter): { where: string; params: SqlParam[] } {
	const conditions: string[] = [];
	const params: SqlParam[] = [];
	const add = (sql: string, value: SqlParam) => {
		conditions.push(sql);
		params.push(value);
	};
	if (filter.queue) add('queue = ?', filter.queue);
	if (filter.agent) add('agent = ?', filter.agent);
	if (filter.outcome && CANONICAL_OUTCOMES.includes(filter.outcome)) add('outcome = ?', filter.outcome);
	if (filter.from) add('arrival >= CAST(? AS TIMESTAMP)', filter.from);
	if (filter.to) add('arrival < CAST(? AS TIMESTAMP)', filter.to);
	return { where: conditions.length ? conditions.join(' AND ') : 'TRUE', params };
}

/** Thresholds as a one-row relation `p(t, s)`, bound first. */
const SETTINGS_CTE = `p AS (SELECT CAST(? AS DOUBLE) AS t, CAST(? AS DOUBLE) AS s)`;

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

/** The counts, then the ratios over them; `group` is a trusted SQL expression or ''. */
function metricsSql(table: string, settings: ServiceSettings, where: string, group: string, extra = '', keyAsText = false): string {
	const keyCol = group ? `${group} AS key, ` : '';
	const groupBy = group ? `GROUP BY ALL` : '';
	return `WITH ${SETTINGS_CTE},
counts AS (
  SELECT ${keyCol}
    count(*) AS volume,
    count(*) FILTER (WHERE outcome <> 'other') AS offered,
    count(*) FILTER (WHERE outcome IN ('answered', 'interrupted')) AS answered,
    count(*) FILTER (WHERE outcome = 'abandoned') AS abandoned,
    count(*) FILTER (WHERE outcome = 'abandoned' AND coalesce(wait_s, 0) < p.s) AS short_abandoned,
    count(*) FILTER (WHERE outcome = 'unanswered') AS unanswered,
    count(*) FILTER (WHERE outcome IN ('answered', 'interrupted') AND wait_s <= p.t) AS answered_within,
    avg(wait_s) FILTER (WHERE outcome IN ('answered', 'interrupted')) AS asa_s,
    avg(talk_s + coalesce(hold_s, 0) + coalesce(wrap_s, 0)) FILTER (WHERE outcome IN ('answered', 'interrupted')) AS aht_s
  FROM ${tableName(table)}, p
  WHERE ${where}
  ${groupBy}
)
SELECT *${keyAsText ? ` REPLACE (strftime(key, '%Y-%m-%d %H:%M:%S') AS key)` : ''},
  answered_within / nullif(${denominator(settings.variant)}, 0) AS service_level,
  (abandoned - short_abandoned) / nullif(offered - short_abandoned, 0) AS abandon_rate
FROM counts ${extra}`;
}

function withSettings(settings: ServiceSettings, params: SqlParam[]): SqlParam[] {
	return [settings.thresholdS, settings.shortAbandonS, ...params];
}

export function summaryQuery(table: string, settings: ServiceSettings, filter: ServiceFilter): Query {
	const { where, params } = serviceWhere(filter);
	return { sql: metricsSql(table, settings, where, ''), params: withSettings(settings, params) };
}

export type IntervalSize = 15 | 30 | 60 | 'day';
export const INTERVALS: IntervalSize[] = [15, 30, 60, 'day'];

/** Per interval of arrival time: `key` is the interval start, 'YYYY-MM-DD HH:MM:SS'. */
export function intervalQuery(table: string, settings: ServiceSettings, filter: ServiceFilter, size: IntervalSize): Query {
	const { where, params } = serviceWhere(filter);
	const width = size === 'day' ? `INTERVAL 1 DAY` : `INTERVAL ${Number(size)} MINUTE`;
	// Grouped by the bucket's timestamp and formatted once per interval, not once per call.
	const bucket = `time_bucket(${width}, arrival)`;
	return { sql: metricsSql(table, settings, `arrival IS NOT NULL AND ${where}`, bucket, 'ORDER BY key', true), params: withSettings(settings, params) };
}

export type GroupBy = 'queue' | 'agent';

/** Per queue or agent, busiest first; `limit` keeps charts readable (the CSV takes all). */
export function groupQuery(table: string, settings: ServiceSettings, filter: ServiceFilter, by: GroupBy, limit = 1000): Query {
	const { where, params } = serviceWhere(filter);
	const column = by === 'agent' ? 'agent' : 'queue';
	const scope = by === 'agent' ? `agent IS NOT NULL AND ${where}` : where;
	return {
		sql: metricsSql(table, settings, scope, `coalesce(${column}, '')`, `ORDER BY volume DESC, key LIMIT ${Math.max(1, Math.floor(limit))}`),
		params: withSettings(settings, params)
	};
}

export interface WaitBin {
	bin_start: number;
	bin_end: number;
	answered: number;
	abandoned: number;
}

/**
 * Wait-time histogram of answered and abandoned calls, `binS` seconds wide; waits beyond
 * the last bin (`maxS`) fall into it, so every call is counted once.
 */
export function waitHistogramQuery(table: string, filter: ServiceFilter, binS: number, maxS: number): Query {
	const { where, params } = serviceWhere(filter);
	return {
		sql: `WITH b AS (SELECT CAST(? AS DOUBLE) AS w, CAST(? AS DOUBLE) AS m),
binned AS (
  SELECT least(floor(greatest(wait_s, 0) / b.w), floor((b.m - 1) / b.w)) AS i, outcome
  FROM ${tableName(table)}, b
  WHERE outcome IN ('answered', 'interrupted', 'abandoned') AND wait_s IS NOT NULL AND ${where}
)
SELECT i * (SELECT w FROM b) AS bin_start, (i + 1) * (SELECT w FROM b) AS bin_end,
  count(*) FILTER (WHERE outcome IN ('answered', 'interrupted')) AS answered,
  count(*) FILTER (WHERE outcome = 'abandoned') AS abandoned
FROM binned GROUP BY i ORDER BY i`,
		params: [binS, maxS, ...params]
	};
}

/** Choices for the filter menus and the dataset's time range. */
export function optionsQuery(table: string): Query {
	return {
		sql: `SELECT 'queue' AS field, queue AS value, count(*) AS n FROM ${tableName(table)} WHERE queue IS NOT NULL GROUP BY queue
UNION ALL SELECT 'agent', agent, count(*) FROM ${tableName(table)} WHERE agent IS NOT NULL GROUP BY agent
ORDER BY field, n DESC, value`,
		params: []
	};
}

export function rangeQuery(table: string): Query {
	return {
		sql: `SELECT strftime(min(arrival), '%Y-%m-%d %H:%M:%S') AS "from", strftime(max(arrival), '%Y-%m-%d %H:%M:%S') AS "to", count(*) AS rows FROM ${tableName(table)}`,
		params: []
	};
}
