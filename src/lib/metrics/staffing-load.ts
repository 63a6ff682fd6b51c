import type { Query } from '$lib/db/types';
import { tableName } from '$lib/db/identifiers';
import { serviceWhere, type IntervalSize, type ServiceFilter } from './service';
import type { Dialect } from './dialect';
import { DUCKDB } from './dialect-duckdb';
import { staffingLoadClickHouse } from './staffing-load-clickhouse';

/**
 * What the staffing formulas (`staffing.ts`) take from each interval, and the agents the data
 * shows working in it. Intervals are the service-level chart's: calls bucketed by arrival
 * (`intervalView` in `service.ts`), the same filter.
 *
 * offered      calls offered to agents (outcome ≠ other) that arrived in the interval
 * answered     of them, answered (outcome answered or interrupted)
 * abandoned    of them, abandoned
 * aht_s        mean talk + hold + wrap-up of those answered (as the AHT KPI); `handled` counts
 *              the calls it averages, so intervals can be pooled
 * wait_sum_s   seconds waited by the offered calls (answered, abandoned, unanswered alike):
 *              with the abandons, the patience estimate (`estimatePatience`)
 * agents_seen  distinct agents with a call in service at some moment of the interval: from its
 *              answer to answer + handle time (talk, or end − answer where talk is unknown,
 *              plus hold and wrap-up), whichever interval the call arrived in. Agents logged in
 *              but idle leave no trace in call records and are not counted.
 * agents_busy  agent-seconds in service within the interval / its length: the mean number of
 *              agents busy at once (the carried load, in Erlangs)
 */
export interface StaffingLoadRow {
	key: string;
	offered: number;
	answered: number;
	abandoned: number;
	aht_s: number | null;
	handled: number;
	wait_sum_s: number;
	agents_seen: number;
	agents_busy: number;
}

/** Seconds in an interval of the chart. */
export function intervalSeconds(size: IntervalSize): number {
	return size === 'day' ? 86_400 : Number(size) * 60;
}

/** The load per interval, in the engine's dialect (ClickHouse's rendering: `staffing-load-clickhouse.ts`). */
export function staffingLoadQuery(table: string, filter: ServiceFilter, size: IntervalSize, d: Dialect = DUCKDB): Query {
	if (d.id === 'clickhouse') return staffingLoadClickHouse(table, filter, size);
	const { where, params } = serviceWhere(filter);
	const seconds = intervalSeconds(size);
	const widthMs = seconds * 1000;
	const width = size === 'day' ? 'INTERVAL 1 DAY' : `INTERVAL ${Number(size)} MINUTE`;
	const answered = `outcome IN ('answered', 'interrupted')`;
	return {
		sql: `WITH c AS (
  SELECT time_bucket(${width}, arrival) AS bucket, outcome, agent, answer, wait_s,
    talk_s + coalesce(hold_s, 0) + coalesce(wrap_s, 0) AS handle_s,
    greatest(coalesce(talk_s, (epoch_ms(ended) - epoch_ms(answer)) / 1000.0, 0), 0) + coalesce(hold_s, 0) + coalesce(wrap_s, 0) AS busy_s
  FROM ${tableName(table)}
  WHERE arrival IS NOT NULL AND ${where}
),
load AS (
  SELECT bucket, bucket + ${width} AS bucket_end,
    count(*) FILTER (WHERE outcome <> 'other') AS offered,
    count(*) FILTER (WHERE ${answered}) AS answered,
    count(*) FILTER (WHERE outcome = 'abandoned') AS abandoned,
    avg(handle_s) FILTER (WHERE ${answered}) AS aht_s,
    count(handle_s) FILTER (WHERE ${answered}) AS handled,
    coalesce(sum(wait_s) FILTER (WHERE outcome <> 'other'), 0) AS wait_sum_s
  FROM c GROUP BY bucket
),
-- Each span in service is spread over the intervals it touches (numbered from the epoch:
-- time_bucket's minutes and days start at the same boundaries) and joined by that number.
-- A range join on the two inequalities took 15 s at 10,000,000 calls (16 months, hourly).
spans AS (
  SELECT agent, epoch_ms(answer) AS from_ms, epoch_ms(answer) + CAST(round(busy_s * 1000) AS BIGINT) AS to_ms
  FROM c WHERE ${answered} AND agent IS NOT NULL AND answer IS NOT NULL
),
touched AS (
  SELECT agent, from_ms, to_ms, unnest(range(CAST(floor(from_ms / ${widthMs}) AS BIGINT), CAST(floor(to_ms / ${widthMs}) AS BIGINT) + 1)) AS k
  FROM spans
),
-- A call of no length counts in the interval it starts in (its end is the interval's start).
seen AS (
  SELECT k,
    count(DISTINCT agent) FILTER (WHERE to_ms > k * ${widthMs} OR from_ms >= k * ${widthMs}) AS agents_seen,
    sum(least(to_ms, (k + 1) * ${widthMs}) - greatest(from_ms, k * ${widthMs})) / 1000.0 AS busy_s
  FROM touched GROUP BY k
)
SELECT strftime(l.bucket, '%Y-%m-%d %H:%M:%S') AS key, l.offered, l.answered, l.abandoned, l.aht_s, l.handled, l.wait_sum_s,
  coalesce(seen.agents_seen, 0) AS agents_seen, coalesce(seen.busy_s, 0) / ${seconds} AS agents_busy
FROM load l LEFT JOIN seen ON seen.k = CAST(floor(epoch_ms(l.bucket) / ${widthMs}) AS BIGINT)
ORDER BY l.bucket`,
		params
	};
}
