import type { Query } from '$lib/engine/types';
import { tableName } from '$lib/sql/identifiers';
import type { Dialect } from '$lib/sql/dialect';
import { DUCKDB } from '$lib/sql/dialect-duckdb';
import { INTERVAL_TABLE_COLUMNS } from './interval-measures';
import type { IntervalSize, ServiceSettings } from './service';

/** Minutes of an interval of the table (a day is 1440). */
export const intervalMinutesOf = (size: Exclude<IntervalSize, 'week'>): number => (size === 'day' ? 1440 : Number(size));

/**
 * A per-call table rolled up into the interval table (one row per queue per interval of
 * arrival), with the per-call measures' own definitions (`service.ts`): offered = outcome ≠
 * other, answered = answered or interrupted, answered within T = answered with wait ≤ T, short
 * abandons under S, the sums of wait (answered calls), talk, hold, wrap and handle time (talk +
 * hold + wrap of the answered calls that have a talk time, `handled` of them), and the time to
 * abandon. Calls without an arrival time belong to no interval and are left out. What an ACD's
 * interval export of the same calls would hold, so the interval views over it answer as they
 * would over that export's import. DuckDB's SQL (ClickHouse would read its aliases, `queue` and
 * `offered`, inside its own expressions).
 */
export function intervalRollupQuery(table: string, settings: ServiceSettings, size: Exclude<IntervalSize, 'week'>, d: Dialect = DUCKDB): Query {
	// Numbers checked here and written as literals: they appear in the SQL out of the order values bind in.
	const [t, s] = [settings.thresholdS, settings.shortAbandonS].map((n) => {
		if (!Number.isFinite(n) || n < 0) throw new Error(`not a number of seconds: ${n}`);
		return String(Number(n));
	});
	const answered = `outcome IN ('answered', 'interrupted')`;
	const handle = 'talk_s + coalesce(hold_s, 0) + coalesce(wrap_s, 0)';
	// A sum over no such call is 0 (an interval without abandons gives 0 s of them); NULL only where the calls do not tell it.
	const sumOf = (expr: string, condition: string) => `CASE WHEN ${d.countIf(condition)} = 0 THEN 0 ELSE ${d.sumIf(expr, condition)} END`;
	const columns: Record<(typeof INTERVAL_TABLE_COLUMNS)[number][0], string> = {
		interval_start: d.bucket(size, 'arrival'),
		interval_index: 'CAST(NULL AS INTEGER)',
		interval_minutes: `CAST(${intervalMinutesOf(size)} AS INTEGER)`,
		queue: `coalesce(queue, '')`,
		offered: d.countIf(`outcome <> 'other'`),
		answered: d.countIf(answered),
		abandoned: d.countIf(`outcome = 'abandoned'`),
		short_abandoned: d.countIf(`outcome = 'abandoned' AND coalesce(wait_s, 0) < ${s}`),
		sl_threshold_s: `CAST(${t} AS INTEGER)`,
		answered_within: d.countIf(`${answered} AND wait_s <= ${t}`),
		stated_sl: 'CAST(NULL AS DOUBLE)',
		stated_sl_base: 'CAST(NULL AS VARCHAR)',
		wait_s_sum: sumOf('wait_s', answered),
		talk_s_sum: sumOf('talk_s', answered),
		hold_s_sum: sumOf('hold_s', answered),
		wrap_s_sum: sumOf('wrap_s', answered),
		handled: d.countIf(`${answered} AND talk_s IS NOT NULL`),
		handle_s_sum: sumOf(handle, answered),
		abandon_wait_s_sum: sumOf('wait_s', `outcome = 'abandoned'`),
		staffed_s: 'CAST(NULL AS DOUBLE)'
	};
	const select = INTERVAL_TABLE_COLUMNS.map(([name]) => `${columns[name]} AS ${name}`).join(',\n  ');
	return {
		sql: `SELECT ${select}
FROM ${tableName(table)}
WHERE arrival IS NOT NULL
GROUP BY ${d.bucket(size, 'arrival')}, coalesce(queue, '')
ORDER BY interval_start, queue`,
		params: []
	};
}
