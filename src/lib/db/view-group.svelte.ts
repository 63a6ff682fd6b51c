import { untrack } from 'svelte';
import { cubes } from './client';
import { liveQuery, liveView, type Live } from './live.svelte';
import { server } from './remote.svelte';
import type { NamedViewRequest, ViewName } from './remote-views';
import type { Query, Row } from './types';
import type { Filter } from '$lib/filters/filter';
import type { ViewSpec } from '$lib/metrics/service';

type Named = { [K in ViewName]?: Row };

export interface ViewGroupSpec<Q extends Named, V extends Named, A extends Named = Record<never, Row>> {
	/** The calls table the group asks, or null while the dataset opens. */
	table: () => string | null;
	filter: () => Filter;
	/** The same question by name, for a holdline server when one serves the page. */
	remote?: (name: ViewName) => NamedViewRequest | undefined;
	/** Questions the filter does not move (menus, ranges): asked once per table. */
	queries: { [K in keyof Q]: (table: string) => Query };
	/** The views a filter change repaints; null while a view's inputs are not known yet. */
	views: { [K in keyof V]: () => ViewSpec | null };
	/**
	 * Questions the filter moves that no cube answers (the incident window's, asked of the
	 * table each time); null while their inputs are not known (no window, or a row they wait on).
	 */
	asks?: { [K in keyof A]: (table: string, filter: Filter) => Query | null };
}

export interface ViewGroup<Q extends Named, V extends Named, A extends Named = Record<never, Row>> {
	queries: { [K in keyof Q]: Live<Q[K] & Row> };
	views: { [K in keyof V]: Live<V[K] & Row> };
	asks: { [K in keyof A]: Live<A[K] & Row> };
	/** Every view has its answer for the current table and filter. */
	readonly ready: boolean;
	/** The first failure of the group, views first, then queries and asks. */
	readonly error: string | null;
	/** Cubes for the views are built (the browser's own engine; never under a server). */
	readonly indexed: boolean;
}

/**
 * A page's questions declared once, by name: each one's live rows, the group's readiness and
 * error, and the cubes (db/cubes.ts) that answer the views while a filter moves. Every entry
 * is read lazily, so a view may depend on a query of the same group (the wait histogram on
 * the dataset's reach of waits). Call during component initialisation.
 */
export function viewGroup<Q extends Named, V extends Named, A extends Named = Record<never, Row>>(spec: ViewGroupSpec<Q, V, A>): ViewGroup<Q, V, A> {
	const ask = (name: string) => spec.remote?.(name as ViewName);
	const queries = Object.fromEntries(
		Object.entries(spec.queries).map(([name, query]) => {
			const build = query as (table: string) => Query;
			return [
				name,
				liveQuery(() => {
					const table = spec.table();
					return table ? { ...build(table), remote: ask(name) } : null;
				})
			];
		})
	) as ViewGroup<Q, V, A>['queries'];
	const views = Object.fromEntries(
		Object.entries(spec.views).map(([name, view]) => [
			name,
			liveView(() => {
				const table = spec.table();
				const question = table && (view as () => ViewSpec | null)();
				return table && question ? { table, view: question, filter: spec.filter(), remote: ask(name) } : null;
			})
		])
	) as ViewGroup<Q, V, A>['views'];
	const asks = Object.fromEntries(
		Object.entries(spec.asks ?? {}).map(([name, query]) => [
			name,
			liveQuery(() => {
				const table = spec.table();
				const question = table && (query as (table: string, filter: Filter) => Query | null)(table, spec.filter());
				return question ? { ...question, remote: ask(name) } : null;
			})
		])
	) as ViewGroup<Q, V, A>['asks'];

	const viewStates = Object.values(views) as Live<Row>[];
	const ready = $derived(!!spec.table() && viewStates.every((v) => !v.loading));
	const error = $derived(
		[...viewStates, ...(Object.values(queries) as Live<Row>[]), ...(Object.values(asks) as Live<Row>[])].find((v) => v.error)?.error ?? null
	);

	// Once the first answers are in, index the filters users move first (ahead of their move),
	// once per table and views: not on every filter change, which would compete with it.
	const specs = () => Object.values(spec.views).map((view) => (view as () => ViewSpec | null)());
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
		const [list, filter] = untrack(() => [specs() as ViewSpec[], spec.filter()] as const);
		void cubes.prepare(table, list, filter).then((finished) => finished && indexKey === key && (indexedFor = key));
	});

	return {
		queries,
		views,
		asks,
		get ready() {
			return ready;
		},
		get error() {
			return error;
		},
		get indexed() {
			return !!indexKey && indexedFor === indexKey;
		}
	};
}
