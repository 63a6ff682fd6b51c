import type { Query } from '$lib/sql/query';
import { tableName } from '$lib/sql/identifiers';
import { serviceMeasures, serviceWhere, type IntervalSize } from './service';
import type { Dialect } from '$lib/sql/dialect';
import { DUCKDB } from '$lib/sql/dialect-duckdb';
import type { Filter } from '$lib/filters/filter';

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
export function intervalSeconds(size: Exclude<IntervalSize, 'week'>): number {
	return size === 'day' ? 86_400 : Number(size) * 60;
}

/**
 * The load per interval, in the engine's dialect. Offered, answered, abandoned and the handle
 * time are `serviceMeasures`' own (they read neither T nor S). The calls are read once per
 * part: the counts per interval of arrival, and the spans in service, each spread over the
 * intervals it touches (numbered from the epoch) and joined to the intervals with arrivals by
 * that number. (A range join on the two inequalities took 15 s at 10,000,000 calls, 16 months,
 * hourly; ClickHouse 18.16 has none.) Times are in whole milliseconds, so busy time adds up exactly.
 */
export function staffingLoadQuery(table: string, filter: Filter, size: Exclude<IntervalSize, 'week'>, d: Dialect = DUCKDB): Query {
	const { where, params } = serviceWhere(filter, d);
	const seconds = intervalSeconds(size);
	const widthMs = seconds * 1000;
	const measure = new Map(serviceMeasures(d, { t: 'NULL', s: 'NULL' }).map((m) => [m.name, m]));
	const row = (name: string) => measure.get(name)!.row;
	const condition = (name: string) => {
		const parts = measure.get(name)!.parts;
		return 'count' in parts ? parts.count! : parts.condition;
	};
	const handle = measure.get('aht_s')!.parts as { mean: string; condition: string };
	// In service from the answer for the talk time (or until it ended, where talk is unknown), hold and wrap-up.
	const busyS = d.orZero(
		`greatest(${d.orZero(`coalesce(talk_s, ${d.secondsBetween('answer', 'ended')})`)}, 0) + ${d.orZero('hold_s')} + ${d.orZero('wrap_s')}`
	);
	const calls = `  SELECT ${d.intervalNumber('arrival', widthMs)} AS arrival_k, outcome, agent, answer, ended, wait_s, talk_s, hold_s, wrap_s
  FROM ${tableName(table)}
  WHERE arrival IS NOT NULL AND ${where}`;
	const sql = d.withRelation(
		'',
		'c',
		calls,
		(c) => `SELECT ${d.timeText(d.timeOfMs(`k * ${widthMs}`))} AS key, offered, answered, abandoned, aht_s, handled, wait_sum_s,
  ${d.orZero('seen_agents')} AS agents_seen, ${d.orZero('busy_ms')} / 1000 / ${seconds} AS agents_busy
FROM (
  SELECT arrival_k AS k, ${row('offered')} AS offered, ${row('answered')} AS answered, ${row('abandoned')} AS abandoned,
    ${row('aht_s')} AS aht_s, ${d.countIf(`(${handle.mean}) IS NOT NULL AND ${handle.condition}`)} AS handled,
    ${d.orZero(d.sumIf('wait_s', condition('offered')))} AS wait_sum_s
  FROM ${c}
  GROUP BY arrival_k
) AS arrivals
${d.leftJoin} (
  -- A call of no length counts in the interval it starts in (its end is the interval's start).
  SELECT k,
    ${d.countDistinctIf('agent', `to_ms > k * ${widthMs} OR from_ms >= k * ${widthMs}`)} AS seen_agents,
    sum(least(to_ms, (k + 1) * ${widthMs}) - greatest(from_ms, k * ${widthMs})) AS busy_ms
  FROM (
    SELECT agent, from_ms, to_ms, ${d.intervalsTouched('from_ms', 'to_ms', widthMs)} AS k
    FROM (
      SELECT agent, ${d.epochMs('answer')} AS from_ms, ${d.epochMs('answer')} + ${d.bigint(`(${busyS}) * 1000`)} AS to_ms
      FROM ${c}
      WHERE ${condition('answered')} AND agent IS NOT NULL AND answer IS NOT NULL
    ) AS spans
  ) AS touched
  GROUP BY k
) AS seen USING (k)
ORDER BY k`,
		{ reused: true }
	);
	return { sql, params };
}
