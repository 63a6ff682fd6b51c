import type { Query, SqlParam } from '$lib/sql/query';
import { tableName } from '$lib/sql/identifiers';
import type { Dialect } from '$lib/sql/dialect';
import { DUCKDB } from '$lib/sql/dialect-duckdb';
import { histogramRange, serviceWhere } from './service';
import type { Filter } from '$lib/filters/filter';

/**
 * Incident-window analysis on any canonical calls table: the story dataset's question
 * ("what happened to the calls in progress when the earthquake struck?") asked of any
 * onset time, with an optional window end.
 *
 * in service at onset   answered at or before the onset and ended after it
 * waiting at onset      arrived at or before the onset, not yet answered, and still waiting
 *                       (answered or ended after it)
 * in progress           in service + waiting
 * completed             in service at onset and ended normally (`answered`) within the
 *                       window (by its end, when one is given)
 * interrupted           in service at onset and cut off (`interrupted`)
 * ended early           interrupted, or waiting at onset and then abandoned or timed out
 * service after onset   for calls in service at onset: ended − onset, in seconds
 * long service share    share of those over `longS` seconds (default 120 s, the article's 2 minutes)
 * reach of service after onset  how far the distribution's bins go before one overflow bin, so
 *                       that one very long call does not flatten the rest into hairlines: the
 *                       90th percentile, but no more than twice the 75th (with a handful of
 *                       calls the 90th percentile is the longest call itself)
 */
export interface IncidentWindow {
	onset: string;
	end: string | null;
	longS: number;
}

/**
 * A long service after onset, by default: over two minutes, the threshold the earthquake article
 * uses, wherever the window is asked. A request may set another (`settings.longS`); the story's
 * own card keeps the article's figure (`ARTICLE_TWO_MINUTES_S` in `story/metrics.ts`).
 */
export const LONG_SERVICE_S = 120;

/** The window from an onset and an optional end, with the long-service threshold. */
export const incidentWindow = (onset: string, end: string | null): IncidentWindow => ({ onset, end, longS: LONG_SERVICE_S });

/**
 * The after-onset histogram's bins: up to the incident row's reach of service after onset (its
 * 90th percentile, see above), and past 3 minutes at least, so the 2-minute line stays inside
 * the regular bins. One rule for the page, the report and every engine's view.
 */
export const AFTER_ONSET_AT_LEAST_S = 180;
export function afterOnsetRange(row: { reach_after_onset_s: number | null } | undefined): { binS: number; maxS: number } {
	const reach = row?.reach_after_onset_s;
	return histogramRange(reach == null ? null : Number(reach), AFTER_ONSET_AT_LEAST_S);
}

/**
 * The calls in progress at the onset, each classified (definitions at the top of this file),
 * with the window's values as the dialect holds them (bound in a one-row relation `w`, or
 * inline). The flags are named apart (`__in_service`) because ClickHouse lets an answer's alias
 * (`… AS in_service`) replace a column of the same name inside the aggregates. A window without
 * an end is settled when the SQL is written (no `NULL IS NULL OR …` to evaluate).
 */
function classified(table: string, window: IncidentWindow, filter: Filter, d: Dialect) {
	const w = d.settings('w', { onset: { time: window.onset }, until: { time: window.end }, long_s: window.longS });
	const { onset, until, long_s } = w.ref;
	const { where, params } = serviceWhere(filter, d);
	const inService = `(answer <= ${onset} AND ended > ${onset})`;
	const waiting = d.or(`arrival <= ${onset} AND answer IS NULL AND ended > ${onset}`, `arrival <= ${onset} AND answer > ${onset}`);
	const scope = `${d.timeCondition(`arrival <= ${onset}`)} AND coalesce(ended, answer, arrival) > ${onset} AND ${where}`;
	const afterOnset = d.secondsBetween(onset, 'ended');
	const select = `  SELECT *,
    ${d.known(inService)} AS __in_service,
    ${waiting} AS __waiting,
    ${afterOnset} AS after_onset_s,
    ${window.end === null ? d.always : `ended <= ${until}`} AS __by_end,
    ${window.end === null ? d.never : `ended > ${until}`} AS __after_end,
    ${afterOnset} > ${long_s} AS __long
  FROM ${tableName(table)}${w.using ? `, ${w.using}` : ''}
  WHERE ${scope}`;
	return { prelude: w.prelude, select, params: [...w.params, ...params] };
}

/** A query over the classified calls `c`: `body` names them in its FROM. */
function overClassified(table: string, window: IncidentWindow, filter: Filter, d: Dialect, body: (from: string) => string): Query {
	const c = classified(table, window, filter, d);
	return { sql: d.withRelation(c.prelude, 'c', c.select, body), params: c.params };
}

function incidentColumns(d: Dialect): string {
	const inService = '__in_service';
	const count = (condition: string) => d.countIf(condition);
	const ofInService = (agg: Parameters<Dialect['aggregateIf']>[0]) => d.aggregateIf(agg, 'after_onset_s', inService);
	return `
  ${d.countIf(null)} AS in_progress,
  ${count(inService)} AS in_service,
  ${count(`${inService} AND outcome = 'answered' AND __by_end`)} AS completed,
  ${count(`${inService} AND __after_end`)} AS still_in_service,
  ${count('__waiting')} AS waiting,
  ${count(`${inService} AND outcome = 'interrupted'`)} AS interrupted,
  ${count(`__waiting AND outcome IN ('answered', 'interrupted')`)} AS waiting_answered,
  ${count(d.or(`${inService} AND outcome = 'interrupted'`, `__waiting AND outcome IN ('abandoned', 'unanswered')`))} AS ended_early,
  ${count(`${inService} AND outcome = 'answered' AND __by_end`)}
    / ${d.nullIf(count(inService), '0')} AS completed_share,
  ${ofInService('median')} AS median_after_onset_s,
  ${ofInService('max')} AS max_after_onset_s,
  ${count(`${inService} AND __long`)} / ${d.nullIf(count(inService), '0')} AS long_share,
  least(${ofInService('quantile_disc 0.9')}, 2 * ${ofInService('quantile_disc 0.75')}) AS reach_after_onset_s`;
}

export interface IncidentRow {
	in_progress: number;
	in_service: number;
	completed: number;
	still_in_service: number;
	interrupted: number;
	waiting: number;
	waiting_answered: number;
	ended_early: number;
	completed_share: number | null;
	median_after_onset_s: number | null;
	max_after_onset_s: number | null;
	long_share: number | null;
	reach_after_onset_s: number | null;
}

export function incidentQuery(table: string, window: IncidentWindow, filter: Filter, d: Dialect = DUCKDB): Query {
	return overClassified(table, window, filter, d, (c) => `SELECT ${incidentColumns(d)}\nFROM ${c}`);
}

export function incidentByQuery(table: string, window: IncidentWindow, filter: Filter, by: 'queue' | 'agent', d: Dialect = DUCKDB): Query {
	const column = by === 'agent' ? 'agent' : 'queue';
	return overClassified(
		table,
		window,
		filter,
		d,
		(c) => `SELECT coalesce(${column}, '') AS key, ${incidentColumns(d)}
FROM ${c}${by === 'agent' ? '\nWHERE __in_service' : ''}
GROUP BY ${d.groupBy(['key'])} ORDER BY in_progress DESC, key`
	);
}

/**
 * Service time after onset of the calls in service then, in `binS`-second bins up to `maxS`;
 * longer ones share one overflow bin (`bin_end` NULL) starting at `maxS`.
 */
export function afterOnsetHistogramQuery(table: string, window: IncidentWindow, filter: Filter, binS: number, maxS: number, d: Dialect = DUCKDB): Query {
	const params: SqlParam[] = [];
	// Bound (or inlined) in the order the SQL reads them.
	const body = (c: string) => {
		const v = (value: number) => d.value(value, params);
		return `SELECT bin * ${v(binS)} AS bin_start, CASE WHEN bin * ${v(binS)} >= ${v(maxS)} THEN NULL ELSE (bin + 1) * ${v(binS)} END AS bin_end, ${d.countIf(null)} AS calls
FROM (SELECT least(floor(greatest(after_onset_s, 0) / ${v(binS)}), round(${v(maxS)} / ${v(binS)})) AS bin FROM ${c} WHERE __in_service) AS k
GROUP BY bin ORDER BY bin`;
	};
	const query = overClassified(table, window, filter, d, body);
	return { sql: query.sql, params: [...query.params, ...params] };
}
