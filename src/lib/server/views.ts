import type { Query, Row } from '$lib/db/types';
import { afterOnsetHistogramQuery, incidentByQuery, incidentQuery } from '$lib/metrics/incident';
import { dashboardViews, histogramRange, optionsQuery, viewQuery, waitReachQuery } from '$lib/metrics/service';
import type { ViewName, ViewRequest } from './request';

/**
 * The one place the API maps a view's name to SQL: each builder takes the checked request
 * and the dataset's table, and uses the same view functions as the Service level page, with
 * the same settings, so the server's rows are the page's rows. Views whose bins depend on
 * the data (the wait histogram, service after onset) ask their reach first, as the page does.
 */
type Ask = (query: Query) => Promise<Row[]>;
type Builder = (request: ViewRequest, table: string, ask: Ask) => Promise<Query>;

const reachOf = (rows: Row[], key: string) => (rows[0]?.[key] == null ? null : Number(rows[0][key]));
const windowOf = ({ settings }: ViewRequest) => ({ onset: settings.onset!, end: settings.end, longS: settings.longS });
const dashboard = (r: ViewRequest, reach: number | null = null) => dashboardViews(r.settings, r.settings.interval, reach);

export const VIEWS: Record<ViewName, Builder> = {
	summary: async (r, table) => viewQuery(table, dashboard(r).summary, r.filter),
	intervals: async (r, table) => viewQuery(table, dashboard(r).intervals, r.filter),
	queues: async (r, table) => viewQuery(table, dashboard(r).queues, r.filter),
	agents: async (r, table) => viewQuery(table, dashboard(r).agents, r.filter),
	waitReach: async (_r, table) => waitReachQuery(table),
	waits: async (r, table, ask) => viewQuery(table, dashboard(r, reachOf(await ask(waitReachQuery(table)), 'reach_s')).waits, r.filter),
	options: async (_r, table) => optionsQuery(table),
	incident: async (r, table) => incidentQuery(table, windowOf(r), r.filter),
	incidentQueues: async (r, table) => incidentByQuery(table, windowOf(r), r.filter, 'queue'),
	afterOnset: async (r, table, ask) => {
		// The page's bins: up to the 90th percentile of service after onset, and past 3 minutes.
		const range = histogramRange(reachOf(await ask(incidentQuery(table, windowOf(r), r.filter)), 'reach_after_onset_s'), 180);
		return afterOnsetHistogramQuery(table, windowOf(r), r.filter, range.binS, range.maxS);
	}
};

/** The rows of a checked request's view over `table`. */
export async function runNamedView(request: ViewRequest, table: string, ask: Ask): Promise<Row[]> {
	return ask(await VIEWS[request.view](request, table, ask));
}
