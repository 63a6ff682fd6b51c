import type { Query, Row } from '$lib/db/types';
import type { Dialect } from '$lib/metrics/dialect';
import { staffingLoadQuery } from '$lib/metrics/staffing-load';
import { afterOnsetHistogramQuery, incidentByQuery, incidentQuery } from '$lib/metrics/incident';
import { dashboardViews, histogramRange, optionsQuery, viewQuery, waitReachQuery } from '$lib/metrics/service';
import { RequestError, VIEW_NAMES, type ViewName, type ViewRequest } from './request';

/**
 * The one place the API maps a view's name to SQL: each builder takes the checked request
 * and the dataset's table, and uses the same view functions as the Service level page, with
 * the same settings, so the server's rows are the page's rows. Views whose bins depend on
 * the data (the wait histogram, service after onset) ask their reach first, as the page does.
 * Each view is rendered in the engine's dialect (`d`); a view written for DuckDB only is
 * refused on another engine (501), never answered with other SQL.
 */
type Ask = (query: Query) => Promise<Row[]>;
type Builder = (request: ViewRequest, table: string, ask: Ask, d: Dialect) => Promise<Query>;

/** Views not rendered for the clickhouse dialect yet. */
export const DUCKDB_ONLY: readonly ViewName[] = ['staffingLoad'];

const reachOf = (rows: Row[], key: string) => (rows[0]?.[key] == null ? null : Number(rows[0][key]));
const windowOf = ({ settings }: ViewRequest) => ({ onset: settings.onset!, end: settings.end, longS: settings.longS });
const dashboard = (r: ViewRequest, d: Dialect, reach: number | null = null) => dashboardViews(r.settings, r.settings.interval, reach, d);

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
	// The staffing page's per-interval load (DuckDB's SQL only, so far).
	staffingLoad: async (r, table) => staffingLoadQuery(table, r.filter, r.settings.interval)
};

/** The rows of a checked request's view over `table`, in dialect `d`. */
export async function runNamedView(request: ViewRequest, table: string, ask: Ask, d: Dialect): Promise<Row[]> {
	if (d.id !== 'duckdb' && DUCKDB_ONLY.includes(request.view))
		throw new RequestError(
			501,
			'not_supported',
			`view: ${request.view} is not written for ${d.id} yet; this server answers ${VIEW_NAMES.filter((v) => !DUCKDB_ONLY.includes(v)).join(', ')}`
		);
	return ask(await VIEWS[request.view](request, table, ask, d));
}
