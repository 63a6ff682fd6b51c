import type { Query } from '$lib/engine/types';
import type { Dialect } from '$lib/sql/dialect';
import { intervalOptionsQuery, intervalServiceQuery, intervalStaffingQuery } from '../interval-measures';
import { TOP } from '../service';
import type { ViewQuestion } from './spec';

/**
 * The views an interval dataset answers (`interval-measures.ts`), by the same names as the
 * per-call views they stand for. The others need per-call data: the wait distribution and its
 * reach (an interval table holds sums of waits, not waits), the incident window (calls in
 * progress at a moment), per-agent views (an interval table names no agent).
 */
export type IntervalViewSpec = (request: ViewQuestion, table: string, d: Dialect) => Query;

/** An agent or outcome filter cannot be told from an interval table: refused, never left out silently. */
function checked(request: ViewQuestion): ViewQuestion {
	if (request.filter.agent || request.filter.outcome) throw new Error('An interval dataset names no agent and no outcome: it cannot be filtered by them');
	return request;
}

export const INTERVAL_VIEWS = {
	summary: (r, table, d) => intervalServiceQuery(table, r.settings, checked(r).filter, { by: 'none' }, d),
	intervals: (r, table, d) => intervalServiceQuery(table, r.settings, checked(r).filter, { by: 'time', size: r.settings.interval }, d),
	queues: (r, table, d) => intervalServiceQuery(table, r.settings, checked(r).filter, { by: 'queue', limit: TOP.queues }, d),
	reportQueues: (r, table, d) => intervalServiceQuery(table, r.settings, checked(r).filter, { by: 'queue', limit: TOP.report }, d),
	staffingLoad: (r, table, d) => {
		if (r.settings.interval === 'week') throw new Error('The staffing load is per interval of a day, not per week');
		return intervalStaffingQuery(table, checked(r).filter, r.settings.interval, d);
	},
	options: (_r, table, d) => intervalOptionsQuery(table, d)
} satisfies Record<string, IntervalViewSpec>;
