import type { Query } from '$lib/db/types';
import { tableName } from '$lib/db/identifiers';
import type { Dialect } from './dialect';
import { DUCKDB } from './dialect-duckdb';
import { clickhouseLiteral } from './dialect-clickhouse';
import { serviceWhere, type ServiceFilter } from './service';

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

const WINDOW_CTE = `w AS (SELECT CAST(? AS TIMESTAMP) AS onset, CAST(? AS TIMESTAMP) AS until, CAST(? AS DOUBLE) AS long_s)`;

/**
 * The window's values and the classification's column names, per dialect. DuckDB binds the
 * window in a CTE `w`; ClickHouse has no CTEs, so the values are inline and a window without an
 * end is settled when the SQL is written (no `NULL IS NULL OR …` to evaluate). Its flags are named apart (`__in_service`) because ClickHouse lets an
 * answer's alias (`… AS in_service`) replace a column of the same name inside the aggregates.
 */
interface Terms {
	onset: string;
	inService: string;
	waiting: string;
	/** Ended normally by the window's end (always, when it has none); still in service after it. */
	byEnd: string;
	afterEnd: string;
	longS: string;
}

const DUCKDB_TERMS: Terms = {
	onset: 'w.onset',
	inService: 'in_service',
	waiting: 'waiting',
	byEnd: '(until IS NULL OR ended <= until)',
	afterEnd: 'until IS NOT NULL AND ended > until',
	longS: 'long_s'
};

function clickhouseTerms(window: IncidentWindow, d: Dialect): Terms {
	const until = window.end === null ? null : d.timestamp(window.end, []);
	return {
		onset: d.timestamp(window.onset, []),
		inService: '__in_service',
		waiting: '__waiting',
		byEnd: until ? `ended <= ${until}` : '1',
		afterEnd: until ? `ended > ${until}` : '0',
		longS: clickhouseLiteral(window.longS)
	};
}

/** The calls in progress at the onset, each classified (definitions at the top of this file). */
function classified(table: string, where: string, d: Dialect = DUCKDB, t: Terms = DUCKDB_TERMS): string {
	const inService = `(answer <= ${t.onset} AND ended > ${t.onset})`;
	const waiting = d.or(`arrival <= ${t.onset} AND answer IS NULL AND ended > ${t.onset}`, `arrival <= ${t.onset} AND answer > ${t.onset}`);
	const scope = `${d.timeCondition(`arrival <= ${t.onset}`)} AND coalesce(ended, answer, arrival) > ${t.onset} AND ${where}`;
	if (d === DUCKDB)
		return `${WINDOW_CTE},
c AS (
  SELECT calls.*, w.*,
    ${inService} AS in_service,
    ${waiting} AS waiting,
    epoch(ended - w.onset) AS after_onset_s
  FROM ${tableName(table)} AS calls, w
  WHERE ${scope}
)`;
	return `(
  SELECT *,
    ifNull(${inService}, 0) AS ${t.inService},
    ${waiting} AS ${t.waiting},
    ${d.secondsBetween(t.onset, 'ended')} AS after_onset_s
  FROM ${tableName(table)}
  WHERE ${scope}
) AS c`;
}

function incidentColumns(d: Dialect = DUCKDB, t: Terms = DUCKDB_TERMS): string {
	const inService = t.inService;
	const count = (condition: string) => d.countIf(condition);
	const ofInService = (agg: Parameters<Dialect['aggregateIf']>[0]) => d.aggregateIf(agg, 'after_onset_s', inService);
	return `
  ${d.countIf(null)} AS in_progress,
  ${count(inService)} AS in_service,
  ${count(`${inService} AND outcome = 'answered' AND ${t.byEnd}`)} AS completed,
  ${count(`${inService} AND ${t.afterEnd}`)} AS still_in_service,
  ${count(t.waiting)} AS waiting,
  ${count(`${inService} AND outcome = 'interrupted'`)} AS interrupted,
  ${count(`${t.waiting} AND outcome IN ('answered', 'interrupted')`)} AS waiting_answered,
  ${count(d.or(`${inService} AND outcome = 'interrupted'`, `${t.waiting} AND outcome IN ('abandoned', 'unanswered')`))} AS ended_early,
  ${count(`${inService} AND outcome = 'answered' AND ${t.byEnd}`)}
    / ${d.nullIf(count(inService), '0')} AS completed_share,
  ${ofInService('median')} AS median_after_onset_s,
  ${ofInService('max')} AS max_after_onset_s,
  ${count(`${inService} AND after_onset_s > ${t.longS}`)} / ${d.nullIf(count(inService), '0')} AS long_share,
  least(${ofInService('quantile_disc 0.9')}, 2 * ${ofInService('quantile_disc 0.75')}) AS reach_after_onset_s`;
}

const INCIDENT_COLUMNS = incidentColumns();

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

export function incidentQuery(table: string, window: IncidentWindow, filter: ServiceFilter, d: Dialect = DUCKDB): Query {
	if (d !== DUCKDB) {
		const t = clickhouseTerms(window, d);
		return { sql: `SELECT ${incidentColumns(d, t)}\nFROM ${classified(table, serviceWhere(filter, d).where, d, t)}`, params: [] };
	}
	const { where, params } = serviceWhere(filter);
	return {
		sql: `WITH ${classified(table, where)} SELECT ${INCIDENT_COLUMNS} FROM c`,
		params: [window.onset, window.end, window.longS, ...params]
	};
}

export function incidentByQuery(table: string, window: IncidentWindow, filter: ServiceFilter, by: 'queue' | 'agent', d: Dialect = DUCKDB): Query {
	const column = by === 'agent' ? 'agent' : 'queue';
	if (d !== DUCKDB) {
		const t = clickhouseTerms(window, d);
		return {
			sql: `SELECT coalesce(${column}, '') AS key, ${incidentColumns(d, t)}
FROM ${classified(table, serviceWhere(filter, d).where, d, t)}${by === 'agent' ? `\nWHERE ${t.inService}` : ''}
GROUP BY key ORDER BY in_progress DESC, key`,
			params: []
		};
	}
	const { where, params } = serviceWhere(filter);
	return {
		sql: `WITH ${classified(table, where)} SELECT coalesce(${column}, '') AS key, ${INCIDENT_COLUMNS} FROM c ${by === 'agent' ? 'WHERE in_service' : ''} GROUP BY ALL ORDER BY in_progress DESC, key`,
		params: [window.onset, window.end, window.longS, ...params]
	};
}

/**
 * Service time after onset of the calls in service then, in `binS`-second bins up to `maxS`;
 * longer ones share one overflow bin (`bin_end` NULL) starting at `maxS`.
 */
export function afterOnsetHistogramQuery(table: string, window: IncidentWindow, filter: ServiceFilter, binS: number, maxS: number, d: Dialect = DUCKDB): Query {
	if (d !== DUCKDB) {
		const t = clickhouseTerms(window, d);
		const [w, m] = [clickhouseLiteral(binS), clickhouseLiteral(maxS)];
		return {
			sql: `SELECT bin * ${w} AS bin_start, CASE WHEN bin * ${w} >= ${m} THEN NULL ELSE (bin + 1) * ${w} END AS bin_end, ${d.countIf(null)} AS calls
FROM (SELECT least(floor(greatest(after_onset_s, 0) / ${w}), round(${m} / ${w})) AS bin FROM ${classified(table, serviceWhere(filter, d).where, d, t)} WHERE ${t.inService})
GROUP BY bin ORDER BY bin`,
			params: []
		};
	}
	const { where, params } = serviceWhere(filter);
	return {
		sql: `WITH ${classified(table, where)},
k AS (SELECT least(floor(greatest(after_onset_s, 0) / ?), round(? / ?)) AS bin FROM c WHERE in_service)
SELECT bin * ? AS bin_start, CASE WHEN bin * ? >= ? THEN NULL ELSE (bin + 1) * ? END AS bin_end, count(*) AS calls
FROM k GROUP BY bin ORDER BY bin`,
		params: [window.onset, window.end, window.longS, ...params, binS, maxS, binS, binS, binS, maxS, binS]
	};
}
