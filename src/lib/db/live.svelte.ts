import { runQuery, snapshotRows } from './client';
import type { Query, Row } from './types';

/**
 * A query whose result follows its inputs: `build` reads reactive state (the filter),
 * and each change re-runs it; an answer that arrives after a newer question is dropped.
 * `build` may return null while its inputs are not ready. Call during component initialisation.
 */
export function liveQuery<T extends Row>(build: () => Query | null) {
	const state = $state({ rows: [] as T[], loading: true, error: null as string | null });
	$effect(() => {
		const query = build();
		let current = true;
		if (!query) {
			state.loading = true; // inputs not ready yet (e.g. the dataset is still opening)
			return;
		}
		// Answered at build time: shown in the same frame, no round trip.
		const known = snapshotRows<T>(query);
		if (known) {
			state.rows = known;
			state.error = null;
			state.loading = false;
			return;
		}
		state.loading = true;
		runQuery<T>(query).then(
			(rows) => {
				if (!current) return;
				state.rows = rows;
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
