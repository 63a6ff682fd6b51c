import type { Query } from '$lib/engine/types';
import { EMPTY_FILTER, type Filter } from '$lib/filters/filter';
import { OUTCOMES } from '$lib/story/dataset';
import { FILTERED_STORY_VIEWS, STORY_VIEW_NAMES, storyViewQuery } from '$lib/story/views';

/**
 * The queries of the story pages' unfiltered view (every story view, `story/views.ts`). Their answers are computed by the same
 * DuckDB-WASM engine at build time, so the first view shows correct numbers before the
 * database in the page has started; every other query goes to the live database.
 */
export function storySnapshotQueries(): Query[] {
	return STORY_VIEW_NAMES.map((name) => storyViewQuery(name, EMPTY_FILTER));
}

/** The queries that follow the filter (the rest do not change with it). */
function filteredQueries(filter: Filter): Query[] {
	return FILTERED_STORY_VIEWS.map((name) => storyViewQuery(name, filter));
}

/**
 * The story pages' queries under every filter the menus can make: a department or none, one
 * of its agents or none, an outcome or none (the story has 7 calls, so 90 filters). Computed at
 * build time like the first view, and fetched right after the first paint, so every filter
 * change is answered at once, before the database in the page has started (4–6 s cold).
 */
export function storyFilterQueries(options: { department: string; agent: string }[]): Query[] {
	const departments = [null, ...new Set(options.map((o) => o.department))];
	const filters: Filter[] = [];
	for (const department of departments) {
		const agents = [null, ...new Set(options.filter((o) => department === null || o.department === department).map((o) => o.agent))];
		for (const agent of agents) for (const outcome of [null, ...OUTCOMES]) filters.push({ ...EMPTY_FILTER, queue: department, agent, outcome });
	}
	return filters.flatMap(filteredQueries);
}

export const queryKey = (query: Query) => JSON.stringify([query.sql, query.params]);
