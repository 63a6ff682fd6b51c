import type { Query } from '$lib/db/types';
import { EMPTY_FILTER } from '$lib/filters/filter';
import {
	agentServiceQuery,
	callsQuery,
	factsQuery,
	filterOptionsQuery,
	kpiQuery,
	outcomesByDepartmentQuery,
	timelineQuery
} from '$lib/metrics/story';

/**
 * The queries of the story pages' unfiltered view. Their answers are computed by the same
 * DuckDB-WASM engine at build time, so the first view shows correct numbers before the
 * database in the page has started; every other query goes to the live database.
 */
export function storySnapshotQueries(): Query[] {
	return [
		kpiQuery(EMPTY_FILTER),
		factsQuery(),
		filterOptionsQuery(),
		agentServiceQuery(EMPTY_FILTER),
		outcomesByDepartmentQuery(EMPTY_FILTER),
		timelineQuery(EMPTY_FILTER),
		callsQuery(EMPTY_FILTER)
	];
}

export const queryKey = (query: Query) => JSON.stringify([query.sql, query.params]);
