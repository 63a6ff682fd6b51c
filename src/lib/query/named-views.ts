import type { Query, Row } from '$lib/engine/types';
import type { Dialect } from '$lib/sql/dialect';
import { DUCKDB } from '$lib/sql/dialect-duckdb';
import type { ViewSpec } from '$lib/metrics/service';
import type { DatasetKind } from '$lib/imports/saved-dataset';
import { aggregatesViewQuery } from '$lib/preagg/service-aggregate-clickhouse';
import type { Aggregates } from '$lib/preagg/clickhouse-aggregate';
import {
	DASHBOARD_VIEWS,
	aggregateQuestion,
	asViewRows,
	neededView,
	renderView,
	viewSpecOf,
	type NamedViewRequest,
	type ViewName,
	type ViewRows
} from '$lib/metrics/views/registry';

/**
 * Named views (`metrics/views/registry.ts`) asked of an engine that takes SQL: the server's
 * API (after the request is checked), the report in the browser or on the command line, and
 * the command line's figures. A view whose bins depend on the data (the wait histogram,
 * service after onset) has the view it needs asked first, as the page does.
 */
type Ask = (query: Query) => Promise<Row[]>;

export { DASHBOARD_VIEWS };

/** The rows of the view `request` needs before its own SQL can be written (none for most views). */
async function neededRows(request: NamedViewRequest, table: string, ask: Ask, d: Dialect, aggregates: Aggregates | null): Promise<Row[]> {
	const needed = neededView(request.view, request.kind);
	return needed ? ask(await namedViewQuery({ ...request, view: needed }, table, ask, d, aggregates)) : [];
}

/**
 * A dashboard view's question, as the registry renders it (the wait histogram's bins from
 * the dataset's reach of waits, asked through `reach`), or null for any other view.
 */
export async function dashboardViewSpec(request: NamedViewRequest, reach: () => Promise<Row[]>, d: Dialect = DUCKDB): Promise<ViewSpec | null> {
	if (!DASHBOARD_VIEWS.some((name) => name === request.view)) return null;
	return viewSpecOf(request, d, neededView(request.view, request.kind) ? await reach() : []);
}

/**
 * A checked request's SQL: over ClickHouse's pre-aggregates `aggregates` where one answers the
 * question exactly, else over `table` as the registry renders it.
 */
export async function namedViewQuery(
	request: NamedViewRequest,
	table: string,
	ask: Ask,
	d: Dialect,
	aggregates: Aggregates | null = null,
	known?: Row[]
): Promise<Query> {
	const needed = known ?? (await neededRows(request, table, ask, d, aggregates));
	const question = aggregates && d.id === 'clickhouse' ? aggregateQuestion(request, needed) : null;
	const fromAggregate = question && aggregatesViewQuery(aggregates!, question, request.settings, request.filter);
	return fromAggregate || renderView(request, table, d, needed);
}

/**
 * The rows of a checked request's view over `table` (or its pre-aggregates), in dialect `d`;
 * `needed`: the rows of its `neededView` when the caller has them already (remembered).
 */
export async function runNamedView(
	request: NamedViewRequest,
	table: string,
	ask: Ask,
	d: Dialect,
	aggregates: Aggregates | null = null,
	needed?: Row[]
): Promise<Row[]> {
	return ask(await namedViewQuery(request, table, ask, d, aggregates, needed));
}

/** How a view's rows are asked: of a server by name, or of an engine here through `localViews`. Typed by the view's name. */
export type AskView = <N extends ViewName>(request: NamedViewRequest<N>) => Promise<ViewRows[N][]>;

/**
 * Named views answered from a table through an engine's `ask` (the browser's, Node's, a store's);
 * `kind`: what the table holds, for requests that do not say (an interval dataset's views differ).
 */
export function localViews(ask: Ask, table: string, d: Dialect = DUCKDB, aggregate: Aggregates | null = null, kind?: DatasetKind): AskView {
	return async <N extends ViewName>(request: NamedViewRequest<N>) =>
		asViewRows<N>(await runNamedView(kind && !request.kind ? { ...request, kind } : request, table, ask, d, aggregate));
}
