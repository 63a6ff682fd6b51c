import type { Query } from '$lib/engine/types';
import { tableName } from '$lib/sql/identifiers';
import { CALLS_SCHEMA, filterWhere, type FilterSchema, type Filter } from '$lib/filters/filter';
import { CLICKHOUSE, clickhouseLiteral } from '$lib/sql/dialect-clickhouse';
import {
	answerOverCounts,
	DEFAULT_SETTINGS,
	groupView,
	intervalView,
	summaryView,
	waitHistogramView,
	type ServiceSettings,
	type ViewSpec
} from '$lib/metrics/service';
import type { AggregateQuestion } from '$lib/metrics/views/spec';
import type { IntervalSize } from '$lib/metrics/service';
import { HELD_SHORT_ABANDONS, HELD_THRESHOLDS, isHeld, SERVICE_AGGREGATE, WAIT_AGGREGATE } from './service-aggregate-columns';
import type { Aggregates, Tiers } from './clickhouse-aggregate';

/**
 * The service views asked of ClickHouse's pre-aggregate (`preagg/clickhouse-aggregate.ts`: per
 * department and quarter hour of arrival) instead of the calls: the same view (its columns,
 * order and limit from service.ts), only its per-group counts are merged from the aggregate's
 * states. Used only where the question falls on the aggregate's grain (`onAggregateGrain`).
 */
export type { AggregateQuestion };

/** Year bounds of a time filter on the grain: inside what DateTime('UTC') holds, 1970–2105. */
const YEARS = { min: 1971, max: 2100 };
const QUARTER_HOUR = /^(\d{4})-\d{2}-\d{2} \d{2}:(00|15|30|45):00$/;
const onQuarterHour = (time: string | null) => {
	const m = time === null ? null : QUARTER_HOUR.exec(time);
	return time === null || (!!m && Number(m[1]) >= YEARS.min && Number(m[1]) <= YEARS.max);
};

/**
 * Whether the aggregate answers a question exactly. It holds departments and quarter hours of
 * arrival, and counts for the usual T and S: so a filter on departments and on arrival from/to
 * a quarter hour, with a held T and S. An agent or outcome filter, a time off the quarter
 * hours, or another T or S: the calls table. (An empty department name would match the
 * aggregate's '' for calls without one, where the calls' NULL matches nothing.)
 */
export function onAggregateGrain(filter: Filter, settings: ServiceSettings): boolean {
	const departments = [filter.queue, ...(filter.queues ?? [])];
	return (
		!filter.agent &&
		!filter.outcome &&
		departments.every((q) => q !== '') &&
		onQuarterHour(filter.from) &&
		onQuarterHour(filter.to) &&
		isHeld(HELD_THRESHOLDS, settings.thresholdS) &&
		isHeld(HELD_SHORT_ABANDONS, settings.shortAbandonS)
	);
}

/** The filter over the aggregate: departments as over calls, from/to on the quarter hour `slot`. */
const AGGREGATE_SCHEMA: FilterSchema = { ...CALLS_SCHEMA, columns: { queue: 'queue', from: 'slot', to: 'slot' }, timesNotNull: true };

function viewOf(question: AggregateQuestion, settings: ServiceSettings): { view: ViewSpec; key: string | null; scope: string } {
	switch (question.view) {
		case 'summary':
			return { view: summaryView(settings, CLICKHOUSE), key: null, scope: CLICKHOUSE.always };
		case 'intervals':
			// Every interval (30 min to a week) is a whole number of quarter hours: its start is the slot's.
			return { view: intervalView(settings, question.size, CLICKHOUSE), key: CLICKHOUSE.bucket(question.size, 'slot'), scope: 'has_arrival = 1' };
		case 'queues':
			// `queue` is already '' for calls without one, as the view's coalesce(queue, '').
			return { view: groupView(settings, 'queue', question.limit, CLICKHOUSE), key: 'queue', scope: CLICKHOUSE.always };
		default:
			throw new Error(`The department × quarter-hour aggregate does not answer the ${question.view} view`);
	}
}

/** A service view over the aggregate table: the view's own answer over merged counts. */
export function aggregateViewQuery(table: string, question: AggregateQuestion, settings: ServiceSettings, filter: Filter): Query {
	if (!onAggregateGrain(filter, settings)) throw new Error('This question is not on the aggregate’s grain: ask the calls table');
	const { view, key, scope } = viewOf(question, settings);
	const merged = SERVICE_AGGREGATE.merged(settings);
	const missing = view.measures.find((m) => !merged[m.name]);
	if (missing) throw new Error(`The aggregate holds no ${missing.name}`);
	const { where } = filterWhere(filter, AGGREGATE_SCHEMA, CLICKHOUSE);
	// NULL arrivals are kept at slot 1970-01-01: a time filter leaves them out, as over calls.
	const timed = filter.from || filter.to ? ' AND has_arrival = 1' : '';
	const select = [...(key ? [`${key} AS key`] : []), ...view.measures.map((m) => `${merged[m.name]} AS ${m.name}`)].join(', ');
	const groupBy = key ? '\n  GROUP BY key' : '';
	return {
		sql: answerOverCounts(view, `SELECT ${select}\n  FROM ${tableName(table)}\n  WHERE ${scope} AND ${where}${timed}${groupBy}`),
		params: []
	};
}

/** A quarter-hour time's day, and the next day's start ('YYYY-MM-DD 00:00:00'). */
const dayOf = (time: string) => `${time.slice(0, 10)} 00:00:00`;
const nextDay = (time: string) => `${new Date(Date.parse(`${time.slice(0, 10)}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)} 00:00:00`;

/** A range of times [from, to) (either end open when null). */
interface Range {
	from: string | null;
	to: string | null;
}

/** A unit of time (a day, a month): the start of the one a time is in, and of the next. */
interface Unit {
	startOf: (time: string) => string;
	next: (time: string) => string;
}

/** [from, to) as the whole units inside it, and the (at most two) cut parts at its ends. */
function splitOn({ from, to }: Range, unit: Unit): { whole: Range | null; cut: Range[] } {
	const firstWhole = from === null ? null : from === unit.startOf(from) ? from : unit.next(from);
	const lastWhole = to === null ? null : unit.startOf(to);
	if (firstWhole !== null && lastWhole !== null && firstWhole >= lastWhole) return { whole: null, cut: from! < to! ? [{ from, to }] : [] };
	const cut: Range[] = [];
	if (from !== null && from !== firstWhole) cut.push({ from, to: firstWhole });
	if (to !== null && to !== lastWhole) cut.push({ from: lastWhole, to });
	return { whole: { from: firstWhole, to: lastWhole }, cut };
}

const DAY: Unit = { startOf: dayOf, next: nextDay };

/** A time's month: its first day ('YYYY-MM-01 00:00:00'), and the next month's. */
const MONTH: Unit = {
	startOf: (time) => `${time.slice(0, 7)}-01 00:00:00`,
	next: (time) => {
		const [year, month] = [Number(time.slice(0, 4)), Number(time.slice(5, 7))];
		return month === 12 ? `${year + 1}-01-01 00:00:00` : `${year}-${String(month + 1).padStart(2, '0')}-01 00:00:00`;
	}
};

/**
 * Where a time filter's calls are, by quarter hour and by day: the whole days inside [from, to)
 * from the daily rows, and the quarter hours of the (at most two) days it cuts from the
 * quarter-hour rows, so a range of any length reads at most two days of quarter hours.
 */
export function splitRange(range: Range): { days: Range | null; slots: Range[] } {
	const { whole, cut } = splitOn(range, DAY);
	return { days: whole, slots: cut };
}

/**
 * A range of whole days (`splitRange`'s) split the same way: its whole months from the monthly
 * rows, the days of the (at most two) months it cuts from the daily rows.
 */
export function splitMonths(range: Range): { months: Range | null; days: Range[] } {
	const { whole, cut } = splitOn(range, MONTH);
	return { months: whole, days: cut };
}

/** The filter over the detail aggregates: departments, agent and outcome as over calls (times by `splitRange`). */
const GRID_SCHEMA: FilterSchema = {
	...CALLS_SCHEMA,
	columns: { queue: 'queue', agent: 'agent', outcome: 'outcome', from: 'slot', to: 'slot' },
	timesNotNull: true
};

/** One aggregate's tiers, with the grain keys and states a question reads. */
interface Grid extends Tiers {
	keys: string[];
	states: string[];
}

/** The coarsest rows a question may read: days and weeks need the days, any other answer adds up over months too. */
type Coarsest = 'slot' | 'day' | 'month';

/**
 * The grid's rows under `filter`, as one relation with the time as `slot`: the monthly rows for
 * the whole months (`coarsest` month, where the database has them), the daily rows for the
 * other whole days, the quarter-hour rows for the rest. Every part is filtered itself, so each
 * reads only its sort key's range.
 */
function gridRows(grid: Grid, filter: Filter, coarsest: Coarsest): string {
	const { where } = filterWhere({ ...filter, from: null, to: null }, GRID_SCHEMA, CLICKHOUSE);
	const timed = filter.from !== null || filter.to !== null;
	const range = { from: filter.from, to: filter.to };
	const { days, slots } = coarsest !== 'slot' ? splitRange(range) : { days: null, slots: timed ? [range] : [] };
	const { months, days: cutDays } = days && coarsest === 'month' && grid.months ? splitMonths(days) : { months: null, days: days ? [days] : [] };
	const within = (column: string, r: Range) => [
		...(r.from ? [`${column} >= ${CLICKHOUSE.timestamp(r.from, [])}`] : []),
		...(r.to ? [`${column} < ${CLICKHOUSE.timestamp(r.to, [])}`] : []),
		// The quarter hours are sorted by day first (`toDate(slot)`), which 18.16 narrows only on a
		// condition on that expression itself (profiled: the whole table read without it).
		...(column === 'slot' && r.from ? [`toDate(slot) >= toDate(${clickhouseLiteral(r.from.slice(0, 10))})`] : []),
		...(column === 'slot' && r.to ? [`toDate(slot) < toDate(${clickhouseLiteral((r.to === dayOf(r.to) ? r.to : nextDay(r.to)).slice(0, 10))})`] : [])
	];
	const part = (table: string, time: string, r: Range | null) => {
		const conditions = [where, ...(timed ? ['has_arrival = 1'] : []), ...(r ? within(time, r) : [])];
		return `SELECT ${[...grid.keys, `${time} AS slot`, ...grid.states].join(', ')} FROM ${tableName(table)} WHERE ${conditions.join(' AND ')}`;
	};
	const parts = [
		...(months ? [part(grid.months!, 'month', months)] : []),
		...cutDays.map((r) => part(grid.days, 'day', r)),
		...(coarsest === 'slot' && !timed ? [part(grid.slots, 'slot', null)] : []),
		...slots.map((r) => part(grid.slots, 'slot', r))
	];
	// A range with no quarter hour in it (from = to): no calls, as over the calls table.
	return parts.length ? parts.join('\n  UNION ALL ') : `${part(grid.slots, 'slot', null)} AND 0`;
}

/**
 * A view from the tiered aggregates (by quarter hour, day and month: per department, per
 * department × agent × outcome, or the wait histogram's), or null when they do not answer it exactly: an agent filter on the wait histogram
 * of a database without its per-agent counts, an empty name in a list, a time off the quarter
 * hours, another T or S.
 * The view's own key, scope and answer are read over the aggregate's columns, which carry the
 * calls' names (`queue`, `agent`, `outcome`, `wait_s` in whole seconds); only the intervals'
 * time is the aggregate's `slot`, and rows without an arrival its `has_arrival = 0`.
 */
function gridViewQuery(aggregates: Aggregates, question: AggregateQuestion, settings: ServiceSettings, filter: Filter): Query | null {
	// A list's empty name is a value: it would match the aggregates' '' (calls without one), where NULL matches nothing.
	if ((filter.queues ?? []).some((name) => name === '')) return null;
	if (!onQuarterHour(filter.from) || !onQuarterHour(filter.to)) return null;
	if (question.view === 'waits') {
		// An agent filter reads the per-agent counts, sorted by agent; any other, the smaller ones without it.
		const tables = filter.agent ? aggregates.agentWaits : aggregates.waits;
		if (!tables) return null;
		const view = waitHistogramView(question.binS, question.maxS, CLICKHOUSE);
		const merged = WAIT_AGGREGATE.merged(DEFAULT_SETTINGS);
		const grid = { ...tables, keys: ['queue', 'outcome', 'has_arrival', 'wait_s'], states: WAIT_AGGREGATE.columns.map((c) => c.name) };
		return overGrid(view, view.key, view.scope, merged, gridRows(grid, filter, 'month'));
	}
	// Without an agent or outcome in the question, the department's rows (a few a day, or a month) answer it.
	const byDepartment = !!aggregates.service && !filter.agent && !filter.outcome && question.view !== 'agents';
	const tiers = byDepartment ? aggregates.service : aggregates.detail;
	if (!tiers || !isHeld(HELD_THRESHOLDS, settings.thresholdS) || !isHeld(HELD_SHORT_ABANDONS, settings.shortAbandonS)) return null;
	const merged = SERVICE_AGGREGATE.merged(settings);
	const keys = byDepartment ? ['queue', 'has_arrival'] : ['queue', 'agent', 'outcome', 'has_arrival'];
	const grid = { ...tiers, keys, states: SERVICE_AGGREGATE.columns.map((c) => c.name) };
	const view =
		question.view === 'summary'
			? summaryView(settings, CLICKHOUSE)
			: question.view === 'intervals'
				? intervalView(settings, question.size, CLICKHOUSE)
				: groupView(settings, question.view === 'queues' ? 'queue' : 'agent', question.limit, CLICKHOUSE);
	if (question.view !== 'intervals') return overGrid(view, view.key, view.scope, merged, gridRows(grid, filter, 'month'));
	return overGrid(view, CLICKHOUSE.bucket(question.size, 'slot'), 'has_arrival = 1', merged, gridRows(grid, filter, coarsestFor(question.size)));
}

/** Intervals of a day or a week add up whole days; shorter ones need the quarter hours throughout. */
const coarsestFor = (size: IntervalSize): Coarsest => (size === 'day' || size === 'week' ? 'day' : 'slot');

/** The view's answer over the grid's merged states, grouped by its key. */
function overGrid(view: ViewSpec, key: string | null, scope: string, merged: Record<string, string>, rows: string): Query {
	const missing = view.measures.find((m) => !merged[m.name]);
	if (missing) throw new Error(`The aggregate holds no ${missing.name}`);
	const select = [...(key ? [`${key} AS key`] : []), ...view.measures.map((m) => `${merged[m.name]} AS ${m.name}`)].join(', ');
	return {
		sql: answerOverCounts(view, `SELECT ${select}\n  FROM (\n  ${rows}\n  ) AS grid\n  WHERE ${scope}${key ? '\n  GROUP BY key' : ''}`),
		params: []
	};
}

/**
 * A view's SQL from the pre-aggregates a database holds, or null when none answers it exactly
 * (then the calls table does). Intervals shorter than a day without an agent or outcome filter
 * read the department × quarter-hour aggregate; every other question on the grain goes to the
 * tiers (`gridViewQuery`): per department without an agent or outcome, else the detail's.
 */
export function aggregatesViewQuery(aggregates: Aggregates, question: AggregateQuestion, settings: ServiceSettings, filter: Filter): Query | null {
	const legacy = question.view === 'summary' || question.view === 'intervals' || question.view === 'queues';
	const subDay = question.view === 'intervals' && question.size !== 'day' && question.size !== 'week';
	if (aggregates.slots && legacy && onAggregateGrain(filter, settings) && (subDay || (!aggregates.detail && !aggregates.service)))
		return aggregateViewQuery(aggregates.slots, question, settings, filter);
	return gridViewQuery(aggregates, question, settings, filter);
}
