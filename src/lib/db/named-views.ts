import type { Query, Row } from '$lib/db/types';
import type { Dialect } from '$lib/metrics/dialect';
import { staffingLoadQuery } from '$lib/metrics/staffing-load';
import { afterOnsetHistogramQuery, incidentByQuery, incidentQuery } from '$lib/metrics/incident';
import { dashboardViews, groupView, histogramRange, optionsQuery, TOP, viewQuery, waitReachQuery, type ViewSpec } from '$lib/metrics/service';
import { DUCKDB } from '$lib/metrics/dialect-duckdb';
import { aggregateViewQuery, onAggregateGrain, type AggregateQuestion } from '$lib/metrics/service-aggregate-clickhouse';
import type { NamedViewRequest as ViewRequest, ViewName } from './remote-views';

/**
 * The one place a view's name becomes SQL, for the server's API (`lib/server/api.ts`, after
 * the request is checked) and for the report in the browser or the command line, which asks
 * its figures by name wherever they are computed. Each builder takes the request and the
 * dataset's table, and uses the same view functions as the Service level page, with the same
 * settings, so the server's rows are the page's rows. Views whose bins depend on
 * the data (the wait histogram, service after onset) ask their reach first, as the page does.
 * Each view is rendered in the engine's dialect (`d`).
 */
type Ask = (query: Query) => Promise<Row[]>;
type Builder = (request: ViewRequest, table: string, ask: Ask, d: Dialect) => Promise<Query>;

const reachOf = (rows: Row[], key: string) => (rows[0]?.[key] == null ? null : Number(rows[0][key]));
const windowOf = ({ settings }: ViewRequest) => ({ onset: settings.onset!, end: settings.end, longS: settings.longS });
const dashboard = (r: ViewRequest, d: Dialect, reach: number | null = null) => dashboardViews(r.settings, r.settings.interval, reach, d);
/** The staffing formulas plan per interval of a day: a week is refused when the request is checked. */
const dayInterval = ({ settings }: ViewRequest) => {
	if (settings.interval === 'week') throw new Error('The staffing load is per interval of a day, not per week');
	return settings.interval;
};

export const VIEWS: Record<ViewName, Builder> = {
	summary: async (r, table, _ask, d) => viewQuery(table, dashboard(r, d).summary, r.filter),
	intervals: async (r, table, _ask, d) => viewQuery(table, dashboard(r, d).intervals, r.filter),
	queues: async (r, table, _ask, d) => viewQuery(table, dashboard(r, d).queues, r.filter),
	agents: async (r, table, _ask, d) => viewQuery(table, dashboard(r, d).agents, r.filter),
	waitReach: async (_r, table, _ask, d) => waitReachQuery(table, d),
	waits: async (r, table, ask, d) => viewQuery(table, dashboard(r, d, reachOf(await ask(waitReachQuery(table, d)), 'reach_s')).waits, r.filter),
	options: async (_r, table, _ask, d) => optionsQuery(table, d),
	incident: async (r, table, _ask, d) => incidentQuery(table, windowOf(r), r.filter, d),
	incidentQueues: async (r, table, _ask, d) => incidentByQuery(table, windowOf(r), r.filter, 'queue', d),
	afterOnset: async (r, table, ask, d) => {
		// The page's bins: up to the 90th percentile of service after onset, and past 3 minutes.
		const range = histogramRange(reachOf(await ask(incidentQuery(table, windowOf(r), r.filter, d)), 'reach_after_onset_s'), 180);
		return afterOnsetHistogramQuery(table, windowOf(r), r.filter, range.binS, range.maxS, d);
	},
	// The staffing page's per-interval load.
	staffingLoad: async (r, table, _ask, d) => staffingLoadQuery(table, r.filter, dayInterval(r), d),
	// The report's tables: every department and agent (up to 1000), not the page's top 40 / 30.
	reportQueues: async (r, table, _ask, d) => viewQuery(table, groupView(r.settings, 'queue', TOP.report, d), r.filter),
	reportAgents: async (r, table, _ask, d) => viewQuery(table, groupView(r.settings, 'agent', TOP.report, d), r.filter)
};

/** The Service level page's views that a filter change repaints: the ones cubes answer (DuckDB). */
export const DASHBOARD_VIEWS = ['summary', 'intervals', 'queues', 'agents', 'waits'] as const satisfies readonly ViewName[];

/**
 * A dashboard view's question, as VIEWS asks it of the table (the wait histogram's bins from
 * the dataset's reach of waits, asked through `reach`), or null for any other view.
 */
export async function dashboardViewSpec(request: ViewRequest, reach: () => Promise<Row[]>, d: Dialect = DUCKDB): Promise<ViewSpec | null> {
	const view = DASHBOARD_VIEWS.find((name) => name === request.view);
	if (!view) return null;
	return dashboard(request, d, view === 'waits' ? reachOf(await reach(), 'reach_s') : null)[view];
}

/** The views ClickHouse's pre-aggregate can answer, as its question (`metrics/service-aggregate-clickhouse.ts`). */
const AGGREGATED: Partial<Record<ViewName, (r: ViewRequest) => AggregateQuestion>> = {
	summary: () => ({ view: 'summary' }),
	intervals: (r) => ({ view: 'intervals', size: r.settings.interval }),
	// The page's top departments (dashboardViews) and the report's, as above.
	queues: () => ({ view: 'queues', limit: TOP.queues }),
	reportQueues: () => ({ view: 'queues', limit: TOP.report })
};

/**
 * A checked request's SQL: over the pre-aggregate `aggregate` (ClickHouse only) where it answers
 * the question exactly, else over `table` as VIEWS render it.
 */
export async function namedViewQuery(request: ViewRequest, table: string, ask: Ask, d: Dialect, aggregate: string | null = null): Promise<Query> {
	const question = AGGREGATED[request.view]?.(request);
	if (aggregate && question && d.id === 'clickhouse' && onAggregateGrain(request.filter, request.settings))
		return aggregateViewQuery(aggregate, question, request.settings, request.filter);
	return VIEWS[request.view](request, table, ask, d);
}

/** The rows of a checked request's view over `table` (or its pre-aggregate), in dialect `d`. */
export async function runNamedView(request: ViewRequest, table: string, ask: Ask, d: Dialect, aggregate: string | null = null): Promise<Row[]> {
	return ask(await namedViewQuery(request, table, ask, d, aggregate));
}

/** How a view's rows are asked: of a server by name, or of an engine here through `localViews`. */
export type AskView = <T>(request: ViewRequest) => Promise<T[]>;

/** Named views answered from a table through an engine's `ask` (the browser's, Node's, a store's). */
export function localViews(ask: Ask, table: string, d: Dialect = DUCKDB, aggregate: string | null = null): AskView {
	return (request) => runNamedView(request, table, ask, d, aggregate) as Promise<never[]>;
}
