import type { Query } from '$lib/engine/types';
import { tableName } from '$lib/sql/identifiers';
import { CALLS_SCHEMA, filterWhere, type FilterSchema, type Filter } from '$lib/filters/filter';
import { CLICKHOUSE } from '$lib/sql/dialect-clickhouse';
import { answerOverCounts, groupView, intervalView, summaryView, type ServiceSettings, type ViewSpec } from '$lib/metrics/service';
import type { AggregateQuestion } from '$lib/metrics/views/spec';
import { HELD_SHORT_ABANDONS, HELD_THRESHOLDS, isHeld, SERVICE_AGGREGATE } from './service-aggregate-columns';

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
