import type { Query, Row } from '$lib/db/types';
import type { Dialect } from '$lib/metrics/dialect';
import { staffingLoadQuery } from '$lib/metrics/staffing-load';
import { afterOnsetHistogramQuery, incidentByQuery, incidentQuery } from '$lib/metrics/incident';
import { dashboardViews, histogramRange, optionsQuery, viewQuery, waitReachQuery } from '$lib/metrics/service';
import type { ViewName, ViewRequest } from './request';

/**
 * The one place the API maps a view's name to SQL: each builder takes the checked request
 * and the dataset's table, and uses the same view functions as the Service level page, with
 * the same settings, so the server's rows are the page's rows. Views whose bins depend on
 * the data (the wait histogram, service after onset) ask their reach first, as the page does.
 * Each view is rendered in the engine's dialect (`d`).
 */
type Ask = (query: Query) => Promise<Row[]>;
type Builder = (request: ViewRequest, table: string, ask: Ask, d: Dialect) => Promise<Query>;

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
	// The staffing page's per-interval load.
	staffingLoad: async (r, table, _ask, d) => staffingLoadQuery(table, r.filter, r.settings.interval, d)
};

/** The rows of a checked request's view over `table`, in dialect `d`. */
export async function runNamedView(request: ViewRequest, table: string, ask: Ask, d: Dialect): Promise<Row[]> {
	return ask(await VIEWS[request.view](request, table, ask, d));
}
