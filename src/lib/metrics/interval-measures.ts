import type { Query, SqlParam } from '$lib/engine/types';
import { tableName } from '$lib/sql/identifiers';
import { filterWhere, type Filter, type FilterSchema } from '$lib/filters/filter';
import type { Dialect } from '$lib/sql/dialect';
import { DUCKDB } from '$lib/sql/dialect-duckdb';
import type { IntervalSize, ServiceSettings, SlVariant } from './service';

/**
 * The service measures of `service.ts` over an interval table (one row per queue per interval,
 * the columns `INTERVAL_TABLE_COLUMNS` lists): the same definitions, each a weighted sum over
 * the rows, never an average of the rows' averages.
 *
 * volume, offered  Σ offered (an interval table has no calls that ended in the IVR)
 * answered         Σ answered;  abandoned  Σ abandoned
 * unanswered       Σ (offered − answered − abandoned), at least 0 a row
 * short_abandoned  Σ short abandons, known only when every row gives them
 * answered_within  Σ answered within T, known only when every row gives it at the T asked
 *                  (a table says how many were answered within its own T, never within another)
 * service level    answered_within / the variant's denominator (as `service.ts`)
 * ASA              Σ wait / Σ answered, over the rows that give the wait
 * AHT              Σ handle time / Σ handled (handled = answered where the file does not say),
 *                  over the rows that give the handle time (or talk, with hold and wrap where given)
 * abandonment      as `service.ts`: short abandons leave both counts under `exclude_short`
 *
 * A figure the table cannot tell is NULL with the reason beside it: `service_level_reason`
 * ('threshold': the file's T is another; 'not_given': no count answered within T;
 * 'short_abandons': the variant needs short abandons the file does not give) and
 * `abandon_rate_reason` ('short_abandons'). `file_threshold_s` is the file's T, and
 * `interval_minutes` its longest interval: a grouping by time finer than it is not an answer
 * (its rows hold longer intervals), and the pages ask at the file's length or coarser.
 */

export { INTERVAL_TABLE_COLUMNS, type IntervalColumn } from '$lib/imports/interval-table';

/** The filter over an interval table: queue and the interval's start; agents and outcomes are not in it. */
export const INTERVALS_SCHEMA: FilterSchema = {
	columns: { queue: 'queue', from: 'interval_start', to: 'interval_start' },
	outcomes: [],
	outcomeLabel: () => undefined
};

/** Why a figure is null on an interval dataset (the page says it in words: `service.intervals.reason.*`). */
export type IntervalReason = 'threshold' | 'not_given' | 'short_abandons';

/** Handle time of a row: the file's sum, else talk with hold and wrap where given. */
const HANDLE = `coalesce(handle_s_sum, talk_s_sum + coalesce(hold_s_sum, 0) + coalesce(wrap_s_sum, 0))`;

/** The per-group sums the answer is computed from (`t`: T as SQL). */
function intervalSums(d: Dialect, t: string): string[] {
	const total = (expr: string) => d.bigint(d.orZero(`sum(${expr})`));
	return [
		`${total('offered')} AS c_offered`,
		`${total('answered')} AS c_answered`,
		`${total('abandoned')} AS c_abandoned`,
		`${total('short_abandoned')} AS short_sum`,
		`${total('greatest(offered - answered - abandoned, 0)')} AS c_unanswered`,
		`${total('answered_within')} AS within_sum`,
		`${d.countIf(null)} AS n_rows`,
		`${d.countIf('short_abandoned IS NOT NULL')} AS n_short`,
		`${d.countIf('answered_within IS NOT NULL')} AS n_given`,
		`${d.countIf(`answered_within IS NOT NULL AND sl_threshold_s = ${t}`)} AS n_at_t`,
		`max(sl_threshold_s) AS file_threshold_s`,
		`max(interval_minutes) AS c_minutes`,
		`${d.orZero(d.sumIf('wait_s_sum', 'wait_s_sum IS NOT NULL'))} AS wait_sum`,
		`${d.orZero(d.sumIf('answered', 'wait_s_sum IS NOT NULL'))} AS wait_n`,
		`${d.orZero(d.sumIf(HANDLE, `${HANDLE} IS NOT NULL`))} AS handle_sum`,
		`${d.orZero(d.sumIf('coalesce(handled, answered)', `${HANDLE} IS NOT NULL`))} AS handle_n`
	];
}

/** The answer's columns over the sums: the service view's columns (`ServiceRow`), and the reasons. */
function intervalColumns(d: Dialect, variant: SlVariant): string {
	const shortKnown = 'n_short = n_rows';
	const short = `CASE WHEN ${shortKnown} THEN short_sum END`;
	const within = 'CASE WHEN n_at_t = n_rows THEN within_sum END';
	const denominator = { count: 'c_offered', exclude: 'c_answered', exclude_short: `c_offered - ${short}` }[variant];
	const abandonRate =
		variant === 'exclude_short' ? `(c_abandoned - ${short}) / ${d.nullIf(`c_offered - ${short}`, '0')}` : `c_abandoned / ${d.nullIf('c_offered', '0')}`;
	const slReason = `CASE WHEN n_at_t < n_rows AND n_given = n_rows THEN 'threshold' WHEN n_at_t < n_rows THEN 'not_given'${
		variant === 'exclude_short' ? ` WHEN NOT (${shortKnown}) THEN 'short_abandons'` : ''
	} END`;
	const abandonReason = variant === 'exclude_short' ? `CASE WHEN NOT (${shortKnown}) THEN 'short_abandons' END` : 'NULL';
	return `c_offered AS volume, c_offered AS offered, c_answered AS answered, c_abandoned AS abandoned, ${short} AS short_abandoned, c_unanswered AS unanswered, ${within} AS answered_within,
  wait_sum / ${d.nullIf('wait_n', '0')} AS asa_s, handle_sum / ${d.nullIf('handle_n', '0')} AS aht_s,
  ${within} / ${d.nullIf(denominator, '0')} AS service_level, ${abandonRate} AS abandon_rate,
  ${slReason} AS service_level_reason, ${abandonReason} AS abandon_rate_reason, file_threshold_s, c_minutes AS interval_minutes`;
}

/** How an interval view groups its rows: none, the interval start bucketed, or the queue (busiest first). */
export type IntervalGrouping = { by: 'none' } | { by: 'time'; size: IntervalSize } | { by: 'queue'; limit: number };

/** The WHERE of a filter over an interval table (agents and outcomes are not in it: `intervalsAnswer` refuses them). */
export function intervalWhere(filter: Filter, d: Dialect, params: SqlParam[]): string {
	const { where, params: own } = filterWhere(filter, INTERVALS_SCHEMA, d);
	params.push(...own);
	return where;
}

/** A service view (summary, over time, per queue) over the interval table `table`. */
export function intervalServiceQuery(table: string, settings: ServiceSettings, filter: Filter, grouping: IntervalGrouping, d: Dialect = DUCKDB): Query {
	const params: SqlParam[] = [];
	const t = d.value(settings.thresholdS, params);
	const key = grouping.by === 'time' ? d.bucket(grouping.size, 'interval_start') : grouping.by === 'queue' ? `coalesce(queue, '')` : null;
	const scope = grouping.by === 'time' ? 'interval_start IS NOT NULL' : d.always;
	const where = intervalWhere(filter, d, params);
	const counts = `SELECT ${key ? `${key} AS key, ` : ''}${intervalSums(d, t).join(', ')}
  FROM ${tableName(table)}
  WHERE ${scope} AND ${where}${key ? `\n  GROUP BY ${d.groupBy(['key'])}` : ''}`;
	const keyColumn = grouping.by === 'time' ? `${d.timeText('key')} AS key, ` : key ? 'key, ' : '';
	const order =
		grouping.by === 'time'
			? '\nORDER BY key'
			: grouping.by === 'queue'
				? `\nORDER BY c_offered DESC, key\nLIMIT ${Math.max(1, Math.floor(grouping.limit))}`
				: '';
	return { sql: `SELECT ${keyColumn}${intervalColumns(d, settings.variant)}\nFROM (\n  ${counts}\n) AS counts${order}`, params };
}

/**
 * The staffing formulas' load per interval (`StaffingLoadRow`) from the table: offered,
 * answered, abandoned and the AHT as above. `wait_sum_s` (the patience estimate's waits of the
 * offered calls) only where the file gives the time to abandon; `agents_seen` is the agents
 * logged in on average (staffed seconds / the interval), NULL where the file has no staffed time:
 * interval reports name no agent. `agents_busy` is the handle time of the interval's calls over
 * its length (the carried load, counted in the interval the calls arrived in).
 */
export function intervalStaffingQuery(table: string, filter: Filter, size: Exclude<IntervalSize, 'week'>, d: Dialect = DUCKDB): Query {
	const params: SqlParam[] = [];
	const seconds = size === 'day' ? 86_400 : Number(size) * 60;
	const where = intervalWhere(filter, d, params);
	const allKnown = (column: string) => `CASE WHEN ${d.countIf(`${column} IS NULL`)} = 0 THEN sum(${column}) END`;
	const counts = `SELECT ${d.bucket(size, 'interval_start')} AS k,
    ${d.bigint(d.orZero('sum(offered)'))} AS c_offered, ${d.bigint(d.orZero('sum(answered)'))} AS c_answered, ${d.bigint(d.orZero('sum(abandoned)'))} AS c_abandoned,
    ${d.orZero(d.sumIf(HANDLE, `${HANDLE} IS NOT NULL`))} AS handle_sum,
    ${d.bigint(d.orZero(d.sumIf('coalesce(handled, answered)', `${HANDLE} IS NOT NULL`)))} AS c_handled,
    ${allKnown('wait_s_sum')} + ${allKnown('abandon_wait_s_sum')} AS wait_sum_s,
    ${allKnown('staffed_s')} AS staffed, max(interval_minutes) AS c_minutes
  FROM ${tableName(table)}
  WHERE interval_start IS NOT NULL AND ${where}
  GROUP BY ${d.groupBy(['k'])}`;
	// Inner names differ from the columns': ClickHouse reads an alias wherever its name appears, `sum(offered)` too.
	const sql = `SELECT ${d.timeText('k')} AS key, c_offered AS offered, c_answered AS answered, c_abandoned AS abandoned,
  handle_sum / ${d.nullIf('c_handled', '0')} AS aht_s, c_handled AS handled, wait_sum_s,
  staffed / ${seconds} AS agents_seen, handle_sum / ${seconds} AS agents_busy, c_minutes AS interval_minutes
FROM (
  ${counts}
) AS counts
ORDER BY k`;
	return { sql, params };
}

/** The filter menus' choices: the queues, busiest first (an interval table names no agent). */
export function intervalOptionsQuery(table: string, d: Dialect = DUCKDB): Query {
	return {
		sql: `SELECT 'queue' AS field, queue AS value, ${d.bigint(d.orZero('sum(offered)'))} AS n FROM ${tableName(table)} WHERE queue IS NOT NULL AND queue <> '' GROUP BY queue ORDER BY n DESC, value`,
		params: []
	};
}

/** Each measure's definition over an interval table, in words (the command line's JSON carries them). */
export function intervalMetricDefinitions(settings: ServiceSettings): Record<string, string> {
	const T = settings.thresholdS;
	const slBase = {
		count: 'offered calls',
		exclude: 'answered calls (abandons left out)',
		exclude_short: 'offered calls less short abandons (as the file counts them)'
	}[settings.variant];
	return {
		volume: 'calls offered, summed over the intervals (an interval report has no calls that ended in the IVR)',
		offered: 'calls offered, summed over the intervals',
		answered: 'calls answered, summed over the intervals',
		abandoned: 'calls abandoned, summed over the intervals',
		unanswered: 'offered less answered less abandoned, summed over the intervals',
		short_abandoned: 'short abandons as the file counts them, summed (null when a row does not give them)',
		answered_within: `calls answered within ${T} s, summed (null when the file gives them within another T, or not at all)`,
		service_level: `answered within ${T} s / ${slBase}`,
		asa_s: 'Σ wait of answered calls / Σ answered calls, seconds (the file’s ASA weighted by its answered calls)',
		aht_s: 'Σ handle time / Σ handled calls, seconds (the file’s AHT weighted by its handled calls)',
		abandon_rate:
			settings.variant === 'exclude_short'
				? '(abandoned − short abandons) / (offered − short abandons), short abandons as the file counts them'
				: 'abandoned / offered (short abandons included)',
		service_level_reason: 'why the service level is null: threshold (the file gives another T), not_given, short_abandons',
		file_threshold_s: 'the T of the service level the file gives'
	};
}
