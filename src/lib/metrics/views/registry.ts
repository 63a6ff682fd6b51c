import type { Query, Row } from '$lib/sql/query';
import type { Dialect } from '$lib/sql/dialect';
import { viewQuery, type ViewSpec } from '../service';
import { afterOnset, incident, incidentAgents, incidentQueues } from './incident-views';
import { agents, intervals, options, queues, reportAgents, reportQueues, summary, waitReach, waits } from './service-views';
import { staffingLoad } from './staffing-load-view';
import { agentEvents } from './agent-events-view';
import { callbacks, repeatCallers } from './caller-views';
import type { ViewRows } from './rows';
import { INTERVAL_VIEWS } from './interval-views';
import type { NamedViewSpec, ViewQuestion } from './spec';

export type { ViewRows } from './rows';
export { QUEUE_LOG_VIEWS } from './agent-events-view';

/**
 * The only map from a view's name to the view. Every path asks views by these names: the
 * Service level page (rendered in the browser, or sent by name to the server that serves it),
 * the report, the command line and the server's API. Each spec is rendered in the dialect of
 * the engine that answers it, and its rows have the type `ViewRows` names (every view has one:
 * checked here).
 */
export const VIEWS = {
	summary,
	intervals,
	queues,
	agents,
	waits,
	waitReach,
	options,
	incident,
	incidentQueues,
	afterOnset,
	staffingLoad,
	reportQueues,
	reportAgents,
	incidentAgents,
	agentEvents,
	callbacks,
	repeatCallers
} satisfies Record<keyof ViewRows, NamedViewSpec>;

export type ViewName = keyof typeof VIEWS;
export const VIEW_NAMES = Object.keys(VIEWS) as ViewName[];

/** A view asked by name (`N`: which one, when the caller knows). */
export type NamedViewRequest<N extends ViewName = ViewName> = ViewQuestion<N>;

/**
 * An engine's rows as view `N`'s (`ViewRows`): the one place a view's rows get their type. The
 * engines have made them plain already (numbers, text, null: `engine/types.ts`).
 */
export const asViewRows = <N extends ViewName>(rows: readonly object[]): ViewRows[N][] => rows as ViewRows[N][];

const specOf = (name: ViewName): NamedViewSpec => VIEWS[name];

/** Whether a request is over an interval dataset (`interval-views.ts` answers it). */
const overIntervals = (request: Pick<NamedViewRequest, 'kind'>): boolean => request.kind === 'intervals';

/** The views an interval dataset answers; the others need per-call data, and the pages say so in their place. */
export const INTERVAL_VIEW_NAMES = Object.keys(INTERVAL_VIEWS) as (keyof typeof INTERVAL_VIEWS & ViewName)[];

/** Whether a dataset of this kind answers the view at all. */
export const answers = (name: ViewName, kind: NamedViewRequest['kind']): boolean => kind !== 'intervals' || name in INTERVAL_VIEWS;

/** The view whose rows `name`'s SQL reads, if any (asked first); an interval dataset's views read none. */
export const neededView = (name: ViewName, kind?: NamedViewRequest['kind']): ViewName | null =>
	kind === 'intervals' ? null : ((specOf(name).needs as ViewName | undefined) ?? null);

/** Whether a request can be asked at all: a windowed view needs an onset. */
export const askable = (request: NamedViewRequest): boolean =>
	answers(request.view, request.kind) && (overIntervals(request) || !specOf(request.view).windowed || !!request.settings.onset);

/** The Service level page's views that a filter change repaints: the ones cubes answer. */
export const DASHBOARD_VIEWS = ['summary', 'intervals', 'queues', 'agents', 'waits'] as const satisfies readonly ViewName[];

/** A view's `ViewSpec` (the views cubes can answer), or null for a view that is only SQL. */
export function viewSpecOf(request: NamedViewRequest, d: Dialect, needed: Row[] = []): ViewSpec | null {
	if (overIntervals(request)) return null; // cubes are built from calls
	const spec = specOf(request.view);
	return 'spec' in spec ? spec.spec(request, d, needed) : null;
}

/** A view's SQL over the calls table `table`, in dialect `d`; `needed` are the rows of its `neededView`. */
export function renderView(request: NamedViewRequest, table: string, d: Dialect, needed: Row[] = []): Query {
	if (overIntervals(request)) {
		const intervalView = (INTERVAL_VIEWS as Partial<Record<ViewName, (typeof INTERVAL_VIEWS)['summary']>>)[request.view];
		if (!intervalView) throw new Error(`The ${request.view} view needs per-call data: an interval dataset cannot answer it`);
		return intervalView(request, table, d);
	}
	const spec = specOf(request.view);
	return 'spec' in spec ? viewQuery(table, spec.spec(request, d, needed), request.filter) : spec.query(request, table, d, needed);
}

/** ClickHouse's pre-aggregate's question for a view, where it answers the view exactly; `needed` are the rows of its `neededView`. */
export const aggregateQuestion = (request: NamedViewRequest, needed: Row[] = []) =>
	overIntervals(request) ? null : (specOf(request.view).aggregate?.(request, needed) ?? null);
