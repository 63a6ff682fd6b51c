import type { Query } from '$lib/db/types';
import { tableName } from '$lib/db/identifiers';
import { CLICKHOUSE } from './dialect-clickhouse';
import { serviceWhere, type IntervalSize, type ServiceFilter } from './service';
import { intervalSeconds } from './staffing-load';

/**
 * The staffing load (`staffing-load.ts`, definitions there) in ClickHouse 18.16's SQL: the same
 * rows as DuckDB's. Without CTEs the calls are read twice (per-interval counts, and the spans
 * in service); without range joins each span is spread over the intervals it touches with
 * arrayJoin, then joined to the intervals that have arrivals by their number. Times are in
 * whole milliseconds (as DuckDB's interval arithmetic), so the busy time adds up exactly.
 *
 * Intervals are numbered from the epoch (`k` = seconds ÷ width): DuckDB's time_bucket starts
 * minutes and days at the same boundaries (its origin, 2000-01-03, is a multiple of a day).
 */
export function staffingLoadClickHouse(table: string, filter: ServiceFilter, size: IntervalSize): Query {
	const d = CLICKHOUSE;
	const { where } = serviceWhere(filter, d);
	const seconds = intervalSeconds(size);
	const widthMs = seconds * 1000;
	const answered = `outcome IN ('answered', 'interrupted')`;
	const handle = `talk_s + ifNull(hold_s, 0) + ifNull(wrap_s, 0)`;
	const busy = `ifNull(greatest(ifNull(coalesce(talk_s, toFloat64(toInt64(ended) - toInt64(answer))), 0), 0) + ifNull(hold_s, 0) + ifNull(wrap_s, 0), 0)`;
	const calls = `FROM ${tableName(table)} WHERE arrival IS NOT NULL AND ${where}`;
	return {
		sql: `SELECT formatDateTime(toDateTime(k * ${seconds}, 'UTC'), '%Y-%m-%d %H:%M:%S', 'UTC') AS key,
  offered, answered, abandoned, aht_s, handled, wait_sum_s, agents_seen, busy_ms / 1000 / ${seconds} AS agents_busy
FROM (
  SELECT intDiv(toInt64(assumeNotNull(arrival)), ${seconds}) AS k,
    ${d.countIf(`outcome <> 'other'`)} AS offered,
    ${d.countIf(answered)} AS answered,
    ${d.countIf(`outcome = 'abandoned'`)} AS abandoned,
    ${d.meanIf(`(${handle})`, answered)} AS aht_s,
    ${d.countIf(`(${handle}) IS NOT NULL AND ${answered}`)} AS handled,
    ifNull(sumIf(wait_s, ifNull(outcome <> 'other', 0)), 0) AS wait_sum_s
  ${calls}
  GROUP BY k
) ANY LEFT JOIN (
  -- A call of no length counts in the interval it starts in (busy_to = the interval's start).
  SELECT k,
    uniqExactIf(agent_seen, to_ms > k * ${widthMs} OR from_ms >= k * ${widthMs}) AS agents_seen,
    sum(least(to_ms, (k + 1) * ${widthMs}) - greatest(from_ms, k * ${widthMs})) AS busy_ms
  FROM (
    SELECT assumeNotNull(agent) AS agent_seen,
      toInt64(assumeNotNull(answer)) * 1000 AS from_ms,
      from_ms + toInt64(round(${busy} * 1000)) AS to_ms,
      arrayJoin(arrayMap(i -> intDiv(from_ms, ${widthMs}) + i, range(toUInt64(intDiv(to_ms, ${widthMs}) - intDiv(from_ms, ${widthMs}) + 1)))) AS k
    ${calls} AND ${answered} AND agent IS NOT NULL AND answer IS NOT NULL
  )
  GROUP BY k
) USING k
ORDER BY k`,
		params: []
	};
}
