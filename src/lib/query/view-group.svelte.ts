import { untrack } from 'svelte';
import { cubes } from './client';
import { liveNamed, liveView, type Live, type NamedAsk } from './live.svelte';
import { server } from './remote.svelte';
import type { Row } from '$lib/engine/types';
import { DUCKDB } from '$lib/sql/dialect-duckdb';
import type { ViewSpec } from '$lib/metrics/service';
import { answers, askable, neededView, renderView, viewSpecOf, type NamedViewRequest, type ViewName, type ViewRows } from '$lib/metrics/views/registry';

/** Views by name with their rows: the registry's (`ViewRows`), or a page's narrower view of them. */
type Named = { [K in ViewName]?: ViewRows[K] };
type Names<T extends Named> = (keyof T & ViewName)[];

export interface ViewGroupSpec<Q extends Named, V extends Named, A extends Named = Record<never, never>> {
	/** The calls table the group asks, or null while the dataset opens. */
	table: () => string | null;
	/** Each view's question by name (dataset, filter, settings); the registry renders it, or a holdline server answers it. */
	request: (name: ViewName) => NamedViewRequest | null;
	/** Questions the filter does not move (menus, ranges). */
	queries: Names<Q>;
	/** The views a filter change repaints, which cubes answer. */
	views: Names<V>;
	/** Questions the filter moves that no cube answers (the incident window's, asked of the table each time). */
	asks?: Names<A>;
}

export interface ViewGroup<Q extends Named, V extends Named, A extends Named = Record<never, never>> {
	queries: { [K in keyof Q]: Live<Q[K]> };
	views: { [K in keyof V]: Live<V[K]> };
	asks: { [K in keyof A]: Live<A[K]> };
	/** Every view has its answer for the current table and filter. */
	readonly ready: boolean;
	/** …and every view shows it (none waits for its frame). */
	readonly painted: boolean;
	/** The first failure of the group, views first, then queries and asks. */
	readonly error: string | null;
	/** Cubes for the views are built (the browser's own engine; never under a server). */
	readonly indexed: boolean;
	/**
	 * The time control is active (pointer over it, focus): the views' time cubes at `grain` under
	 * the other filters are built and held in the page, so a new range is summed there. Resolves
	 * when they are in (at once under a server, or before the first answers).
	 */
	activateTime(grain: 15 | 60): Promise<void>;
}

/**
 * A page's questions declared once, by name (`metrics/views/registry.ts`): each one's live
 * rows, the group's readiness and error, and the cubes (preagg/cubes.ts) that answer the views while
 * a filter moves. A view that needs another's rows (the wait histogram the dataset's reach of
 * waits, service after onset the incident row) is asked once that one of the group has
 * answered; a windowed view, once there is an onset. Call during component initialisation.
 */
export function viewGroup<Q extends Named, V extends Named, A extends Named = Record<never, never>>(spec: ViewGroupSpec<Q, V, A>): ViewGroup<Q, V, A> {
	const members = new Map<ViewName, Live<object>>();
	/** A member's question, or null while its table, its window or the rows it needs are not there. */
	const asked = (name: ViewName): NamedAsk | null => {
		const table = spec.table();
		const request = table && spec.request(name);
		if (!table || !request || !askable(request)) return null;
		const needs = neededView(name, request.kind);
		if (!needs) return { table, request };
		const needed = members.get(needs);
		// The needed view's rows as the registry's spec reads them (by column name).
		return needed && !needed.loading && needed.rows.length ? { table, request, needed: needed.rows as Row[] } : null;
	};
	const specOf = (name: ViewName): ViewSpec | null => {
		const question = asked(name);
		return question && viewSpecOf(question.request, DUCKDB, question.needed);
	};
	const group = <T>(names: ViewName[], live: (name: ViewName) => Live<object>) =>
		Object.fromEntries(
			names.map((name) => {
				const state = live(name);
				members.set(name, state);
				return [name, state];
			})
		) as T;
	const queries = group<ViewGroup<Q, V, A>['queries']>(spec.queries, (name) => liveNamed(() => asked(name)));
	// The first view (the page's cards) is shown as soon as it is answered, the others (charts) a frame later.
	const views = group<ViewGroup<Q, V, A>['views']>(spec.views, (name) =>
		liveView(
			() => {
				const question = asked(name);
				if (!question) return null;
				const { table, request, needed } = question;
				const view = viewSpecOf(request, DUCKDB, needed);
				// A view no cube answers (an interval dataset's) is asked of the table as the registry renders it.
				return { table, view, query: view ? undefined : renderView(request, table, DUCKDB, needed), filter: request.filter, remote: request };
			},
			{ later: name !== spec.views[0] }
		)
	);
	const asks = group<ViewGroup<Q, V, A>['asks']>(spec.asks ?? [], (name) => liveNamed(() => asked(name)));

	// A view the dataset does not answer at all (an interval dataset's agents and waits) is never asked: not waited for.
	const answered = (name: ViewName) => {
		const request = spec.request(name);
		return !request || answers(name, request.kind);
	};
	const viewStates = $derived(spec.views.filter(answered).map((name) => (views as Record<string, Live<object>>)[name]!));
	const ready = $derived(!!spec.table() && viewStates.every((v) => !v.loading));
	const painted = $derived(ready && viewStates.every((v) => !v.pending));
	const error = $derived(
		[...viewStates, ...(Object.values(queries) as Live<object>[]), ...(Object.values(asks) as Live<object>[])].find((v) => v.error)?.error ?? null
	);

	// Once the first answers are in, index the filters users move first (ahead of their move),
	// once per table and views: not on every filter change, which would compete with it.
	const specs = () => spec.views.map(specOf);
	const indexKey = $derived.by(() => {
		const table = spec.table();
		const list = specs();
		return table && list.every(Boolean) ? `${table}|${list.map((v) => v!.id).join()}` : '';
	});
	let indexedFor = $state('');
	let preparing = '';
	$effect(() => {
		const key = indexKey;
		const table = spec.table();
		// The server answers from its own store: the browser's cubes are for its own engine.
		if (!table || !ready || server.info || preparing === key) return;
		preparing = key;
		const [list, filter] = untrack(() => [specs() as ViewSpec[], spec.request(spec.views[0]!)?.filter] as const);
		if (filter) void cubes.prepare(table, list, filter).then((finished) => finished && indexKey === key && (indexedFor = key));
	});

	return {
		queries,
		views,
		asks,
		get ready() {
			return ready;
		},
		get painted() {
			return painted;
		},
		get error() {
			return error;
		},
		get indexed() {
			return !!indexKey && indexedFor === indexKey;
		},
		activateTime: (grain) =>
			untrack(() => {
				const table = spec.table();
				const list = specs();
				const filter = spec.request(spec.views[0]!)?.filter;
				if (!table || server.info || !ready || !filter || !list.every(Boolean)) return Promise.resolve();
				return cubes.activateTime(table, list as ViewSpec[], filter, grain);
			})
	};
}
