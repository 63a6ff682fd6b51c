import { untrack } from 'svelte';
import { cubes, runQuery, runView, snapshotRows } from './client';
import type { ViewSpec } from '$lib/metrics/service';
import type { Filter } from '$lib/filters/filter';
import type { Query, Row } from '$lib/engine/types';
import type { Priority } from './coordinator';
import { askServer, server } from './remote.svelte';
import { DUCKDB } from '$lib/sql/dialect-duckdb';
import { asViewRows, renderView, type NamedViewRequest, type ViewName, type ViewRows } from '$lib/metrics/views/registry';

/**
 * A query whose result follows its inputs: `build` reads reactive state (the filter),
 * and each change re-runs it; an answer that arrives after a newer question is dropped.
 * `build` may return null while its inputs are not ready. Call during component initialisation.
 * `priority`: 'prefetch' for a question that must not hold up the ones a filter change repaints
 * first (the browser's engine answers one at a time, in priority order).
 */
export function liveQuery<T extends object>(build: () => Query | null, { priority = 'user' }: { priority?: Priority } = {}) {
	return follow<Query, T>(build, (q) => runQuery<T>(q, priority), snapshotRows);
}

/**
 * A named view asked of `table` (`metrics/views/registry.ts`): rendered here for the browser's
 * engine, and sent by name to a holdline server when one serves the page. `needed`: the rows of
 * the view this one reads first (its `neededView`).
 */
export interface NamedAsk<N extends ViewName = ViewName> {
	table: string;
	request: NamedViewRequest<N>;
	needed?: Row[];
}

/** Like `liveQuery`, for a named view that no cube answers: its rows have the view's type (`ViewRows`). */
export function liveNamed<N extends ViewName>(build: () => NamedAsk<N> | null, { priority = 'user' }: { priority?: Priority } = {}): Live<ViewRows[N]> {
	// Rendered once per change: the SQL is the key of a remembered (pinned) answer too.
	const rendered = () => {
		const asked = build();
		return asked && { query: renderView(asked.request, asked.table, DUCKDB, asked.needed), request: asked.request };
	};
	return follow<{ query: Query; request: NamedViewRequest<N> }, ViewRows[N]>(
		rendered,
		async ({ query, request }) => (server.info ? askServer(request, priority) : asViewRows<N>(await runQuery(query, priority))),
		({ query }) => {
			const known = snapshotRows(query);
			return known && asViewRows<N>(known);
		}
	);
}

/** A view that cubes may answer: its spec for the browser's engine, and its question by name for a server. */
export interface ViewRequest<N extends ViewName = ViewName> {
	table: string;
	/** Null for a view no cube answers (an interval dataset's): `query` is asked of the table. */
	view: ViewSpec | null;
	query?: Query;
	filter: Filter;
	remote: NamedViewRequest<N>;
}

/**
 * Like `liveQuery`, for a view that pre-aggregated cubes may answer (`preagg/cubes.ts`). A cube
 * held in memory answers in the same update as the filter change: no round trip, no busy state.
 */
export function liveView<N extends ViewName>(build: () => ViewRequest<N> | null, { later = false }: { later?: boolean } = {}): Live<ViewRows[N]> {
	return follow<ViewRequest<N>, ViewRows[N]>(
		build,
		async ({ table, view, query, filter, remote }) =>
			server.info ? askServer(remote) : asViewRows<N>(view ? await runView(table, view, filter) : await runQuery(query!)),
		({ table, view, filter }) => {
			const held = server.info || !view ? undefined : cubes.held(table, view, filter);
			return held && asViewRows<N>(held);
		},
		{ atStart: false, later }
	);
}

/** A question's current answer: its rows, whether a newer one is on its way, and why it failed. */
export interface Live<T> {
	rows: T[];
	loading: boolean;
	error: string | null;
	/** An answer at hand waits for the next frame (`later`): shown, but not yet painted. */
	pending?: boolean;
}

/**
 * The rows are replaced whole, never changed in place: held raw, not as a deep proxy, which
 * makes a signal for every field of every row the charts read, again at every change.
 */
class LiveState<T> implements Live<T> {
	rows = $state.raw<T[]>([]);
	loading = $state(true);
	error = $state<string | null>(null);
	pending = $state(false);
	constructor(first: T[] | undefined) {
		if (first) [this.rows, this.loading] = [first, false];
	}
}

/** Runs `work` in a task after the next frame is painted (at once where there are no frames). */
function afterFrame(work: () => void): () => void {
	if (typeof requestAnimationFrame !== 'function') {
		work();
		return () => {};
	}
	let timer: ReturnType<typeof setTimeout> | undefined;
	const frame = requestAnimationFrame(() => (timer = setTimeout(work, 0)));
	return () => {
		cancelAnimationFrame(frame);
		clearTimeout(timer);
	};
}

/**
 * `known`: an answer at hand (no round trip). `atStart`: also looked up before the first
 * effect, for the first render (build-time answers); a view group's views are not, since
 * their inputs may not exist yet while the page initialises. `later`: an answer at hand is
 * shown a frame later, so that the page's update after a change (every view answered at
 * once from held cubes) is drawn in two tasks, the cards' and the charts', each shorter.
 */
function follow<Q, T>(
	build: () => Q | null,
	run: (question: Q) => Promise<T[]>,
	known?: (question: Q) => T[] | undefined,
	{ atStart = true, later = false }: { atStart?: boolean; later?: boolean } = {}
) {
	// Answered at build time: the first render (and the prerendered page) already has the rows.
	const initial = known && atStart ? untrack(build) : null;
	const first = initial ? known?.(initial) : undefined;
	const state = new LiveState<T>(first);
	$effect(() => {
		const question = build();
		let current = true;
		if (!question) {
			state.loading = true; // inputs not ready yet (e.g. the dataset is still opening)
			return;
		}
		state.pending = false;
		// Answered at build time: shown in the same frame, no round trip.
		const answered = known?.(question);
		const show = (rows: T[]) => {
			state.rows = rows;
			state.error = null;
			state.loading = false;
			state.pending = false;
		};
		// The first answer (nothing drawn yet) is never held back.
		// Not tracked: showing the answer must not run this effect again.
		if (answered && later && untrack(() => state.rows.length)) {
			state.pending = true;
			const cancel = afterFrame(() => show(answered));
			return cancel;
		}
		if (answered) {
			show(answered);
			return;
		}
		state.loading = true;
		run(question).then(
			(answer) => {
				if (!current) return;
				state.rows = answer;
				state.error = null;
				state.loading = false;
			},
			(error: unknown) => {
				if (!current) return;
				state.error = error instanceof Error ? error.message : String(error);
				state.loading = false;
			}
		);
		return () => {
			current = false;
		};
	});
	return state;
}
