import type { Query, SqlParam } from '$lib/engine/types';
import { countsSql, finishSql, type ViewSpec } from '$lib/metrics/service';
import { DUCKDB } from '$lib/sql/dialect-duckdb';
import type { Filter } from '$lib/filters/filter';
import { cubeTable, type CubeHome } from './cube';
import { partsOf, summable } from './range-tables';

/**
 * A time cube's days: its buckets (15 or 60 minutes) summed per day of arrival, in the store's
 * local days as the buckets are. A time range is then the day rows of the whole days it holds
 * plus the bucket rows of the (at most two) days it cuts, so a range of weeks reads a few
 * thousand rows instead of every hour of it (the agents' hourly cube holds about 1.7 million rows
 * at 10,000,000 calls). Only views whose measures all add up (`summable`) have days: their
 * stored partials (counts, and the sums and counts of means) add up across days as across hours.
 */

/** A range of times [from, to), either end open when null; 'YYYY-MM-DD HH:MM:SS'. */
export interface TimeRange {
	from: string | null;
	to: string | null;
}

const TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const dayOf = (time: string) => `${time.slice(0, 10)} 00:00:00`;

/** The next day's start, or null past year 9999 (which the text form cannot hold). */
function nextDay(time: string): string | null {
	const next = new Date(Date.parse(`${time.slice(0, 10)}T00:00:00Z`) + 86_400_000);
	const year = next.getUTCFullYear();
	if (!(year <= 9999)) return null;
	return `${String(year).padStart(4, '0')}-${next.toISOString().slice(5, 10)} 00:00:00`;
}

/**
 * Where a range's calls are, by day and by bucket: the whole days inside [from, to) and the cut
 * parts of the first and last days (as ClickHouse's pre-aggregate splits them). `days` is null
 * when the range holds no whole day (within one day, across one midnight, or empty): then the
 * buckets alone answer it.
 */
export function splitDays({ from, to }: TimeRange): { days: TimeRange; cuts: TimeRange[] } | null {
	if ((from !== null && !TIME.test(from)) || (to !== null && !TIME.test(to))) return null;
	const firstWhole = from === null || from === dayOf(from) ? from : nextDay(from);
	if (from !== null && firstWhole === null) return null;
	const lastWhole = to === null ? null : dayOf(to);
	if (firstWhole !== null && lastWhole !== null && firstWhole >= lastWhole) return null;
	const cuts: TimeRange[] = [];
	if (from !== null && from !== firstWhole) cuts.push({ from, to: firstWhole });
	if (to !== null && to !== lastWhole) cuts.push({ from: lastWhole, to });
	return { days: { from: firstWhole, to: lastWhole }, cuts };
}

/** Whether a time cube of `view` gets days (its answers are sums of partials that add up). */
export const hasDays = (view: ViewSpec) => summable(view);

/** The columns of a time cube after its bucket `a`: every measure's partials, in `stored` order. */
const partColumns = (view: ViewSpec) => view.measures.flatMap(partsOf);

/**
 * Creates the days of the time cube `bucketsName` as `name`: the same columns, `a` the day.
 * Counts are cast back to the buckets' BIGINT (DuckDB sums BIGINTs as HUGEINT).
 */
export function dayCubeBuildQuery(name: string, bucketsName: string, view: ViewSpec, home: CubeHome): Query {
	const create = `CREATE OR REPLACE ${'temp' in home ? 'TEMP ' : ''}TABLE ${cubeTable(name, home)} AS`;
	const parts = view.measures.flatMap((m) =>
		'count' in m.parts
			? [`CAST(sum(${m.name}) AS BIGINT) AS ${m.name}`]
			: [`sum(${m.name}__sum) AS ${m.name}__sum`, `CAST(sum(${m.name}__n) AS BIGINT) AS ${m.name}__n`]
	);
	return {
		sql: `${create}
SELECT ${view.key ? 'key, ' : ''}${DUCKDB.bucket('day', 'a')} AS a, ${parts.join(', ')}
FROM ${cubeTable(bucketsName, home)}
GROUP BY ALL
ORDER BY a`,
		params: []
	};
}

/** `a` within a range, its bounds bound as parameters. */
function within(range: TimeRange, params: SqlParam[]): string {
	const conditions: string[] = [];
	if (range.from !== null) {
		conditions.push('a >= CAST(? AS TIMESTAMP)');
		params.push(range.from);
	}
	if (range.to !== null) {
		conditions.push('a < CAST(? AS TIMESTAMP)');
		params.push(range.to);
	}
	return conditions.length ? conditions.join(' AND ') : 'TRUE';
}

/**
 * The view's answer under the filter's time range from the day rows of its whole days and the
 * bucket rows of the days it cuts (each part its own range, so each reads only its rows of the
 * cubes, which are ordered by time), or null when the range holds no whole day. The same rows as
 * the buckets alone give (`cubeAnswerQuery`): the same partials summed, grouped differently.
 */
export function dayRangeAnswerQuery(daysName: string, bucketsName: string, view: ViewSpec, filter: Filter, home: CubeHome): Query | null {
	const split = splitDays(filter);
	if (!split) return null;
	const columns = [...(view.key ? ['key'] : []), ...partColumns(view)].join(', ');
	const params: SqlParam[] = [...view.preludeParams];
	const parts = [
		`SELECT ${columns} FROM ${cubeTable(daysName, home)} WHERE ${within(split.days, params)}`,
		...split.cuts.map((cut) => `SELECT ${columns} FROM ${cubeTable(bucketsName, home)} WHERE ${within(cut, params)}`)
	];
	const rollups = view.measures.map((m) => `${m.rollup} AS ${m.name}`).join(', ');
	return {
		sql: `${countsSql(view, `${view.key ? 'key, ' : ''}${rollups}`, `(\n${parts.join('\nUNION ALL\n')}\n) AS parts`, 'TRUE', view.key ? 'key' : null)}
${finishSql(view)}`,
		params
	};
}
