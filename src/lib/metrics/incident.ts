import type { Query } from '$lib/db/types';
import { tableName } from '$lib/db/identifiers';
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

function classified(table: string, where: string): string {
	return `${WINDOW_CTE},
c AS (
  SELECT calls.*, w.*,
    (answer <= w.onset AND ended > w.onset) AS in_service,
    (arrival <= w.onset AND answer IS NULL AND ended > w.onset) OR (arrival <= w.onset AND answer > w.onset) AS waiting,
    epoch(ended - w.onset) AS after_onset_s
  FROM ${tableName(table)} AS calls, w
  WHERE arrival <= w.onset AND coalesce(ended, answer, arrival) > w.onset AND ${where}
)`;
}

const INCIDENT_COLUMNS = `
  count(*) AS in_progress,
  count(*) FILTER (WHERE in_service) AS in_service,
  count(*) FILTER (WHERE in_service AND outcome = 'answered' AND (until IS NULL OR ended <= until)) AS completed,
  count(*) FILTER (WHERE in_service AND until IS NOT NULL AND ended > until) AS still_in_service,
  count(*) FILTER (WHERE waiting) AS waiting,
  count(*) FILTER (WHERE in_service AND outcome = 'interrupted') AS interrupted,
  count(*) FILTER (WHERE waiting AND outcome IN ('answered', 'interrupted')) AS waiting_answered,
  count(*) FILTER (WHERE (in_service AND outcome = 'interrupted') OR (waiting AND outcome IN ('abandoned', 'unanswered'))) AS ended_early,
  count(*) FILTER (WHERE in_service AND outcome = 'answered' AND (until IS NULL OR ended <= until))
    / nullif(count(*) FILTER (WHERE in_service), 0) AS completed_share,
  median(after_onset_s) FILTER (WHERE in_service) AS median_after_onset_s,
  max(after_onset_s) FILTER (WHERE in_service) AS max_after_onset_s,
  count(*) FILTER (WHERE in_service AND after_onset_s > long_s) / nullif(count(*) FILTER (WHERE in_service), 0) AS long_share,
  least(quantile_disc(after_onset_s, 0.9) FILTER (WHERE in_service), 2 * quantile_disc(after_onset_s, 0.75) FILTER (WHERE in_service)) AS reach_after_onset_s`;

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

export function incidentQuery(table: string, window: IncidentWindow, filter: ServiceFilter): Query {
	const { where, params } = serviceWhere(filter);
	return {
		sql: `WITH ${classified(table, where)} SELECT ${INCIDENT_COLUMNS} FROM c`,
		params: [window.onset, window.end, window.longS, ...params]
	};
}

export function incidentByQuery(table: string, window: IncidentWindow, filter: ServiceFilter, by: 'queue' | 'agent'): Query {
	const { where, params } = serviceWhere(filter);
	const column = by === 'agent' ? 'agent' : 'queue';
	return {
		sql: `WITH ${classified(table, where)} SELECT coalesce(${column}, '') AS key, ${INCIDENT_COLUMNS} FROM c ${by === 'agent' ? 'WHERE in_service' : ''} GROUP BY ALL ORDER BY in_progress DESC, key`,
		params: [window.onset, window.end, window.longS, ...params]
	};
}

/**
 * Service time after onset of the calls in service then, in `binS`-second bins up to `maxS`;
 * longer ones share one overflow bin (`bin_end` NULL) starting at `maxS`.
 */
export function afterOnsetHistogramQuery(table: string, window: IncidentWindow, filter: ServiceFilter, binS: number, maxS: number): Query {
	const { where, params } = serviceWhere(filter);
	return {
		sql: `WITH ${classified(table, where)},
k AS (SELECT least(floor(greatest(after_onset_s, 0) / ?), round(? / ?)) AS bin FROM c WHERE in_service)
SELECT bin * ? AS bin_start, CASE WHEN bin * ? >= ? THEN NULL ELSE (bin + 1) * ? END AS bin_end, count(*) AS calls
FROM k GROUP BY bin ORDER BY bin`,
		params: [window.onset, window.end, window.longS, ...params, binS, maxS, binS, binS, binS, maxS, binS]
	};
}
