import { EMPTY_FILTER, type Filter, type FilterOption } from '$lib/filters/filter';
import type { Query } from '$lib/engine/types';
import {
	agentServiceQuery,
	callsQuery,
	factsQuery,
	filterOptionsQuery,
	kpiQuery,
	outcomesByDepartmentQuery,
	timelineQuery,
	type AgentServiceRow,
	type CallRow,
	type FactRow,
	type OutcomeRow,
	type StoryKpis,
	type TimelineRow
} from './metrics';

/**
 * The story pages' questions by name: the only map from a story view's name to its SQL
 * (`metrics.ts`). The pages ask these names through the query client
 * (`query/story.svelte.ts`), and the build's snapshot answers the same names
 * (`story/snapshot/queries.ts`), so a page and its prerendered answer never disagree.
 * `filtered`: whether the view follows the story's filter (the article's facts and the menus'
 * options describe the whole centre and do not).
 */
export const STORY_VIEWS = {
	kpis: { filtered: true, query: kpiQuery },
	facts: { filtered: false, query: () => factsQuery() },
	options: { filtered: false, query: () => filterOptionsQuery() },
	agentService: { filtered: true, query: agentServiceQuery },
	outcomes: { filtered: true, query: outcomesByDepartmentQuery },
	timeline: { filtered: true, query: timelineQuery },
	calls: { filtered: true, query: callsQuery }
} satisfies Record<string, { filtered: boolean; query: (filter: Filter) => Query }>;

export type StoryViewName = keyof typeof STORY_VIEWS;
export const STORY_VIEW_NAMES = Object.keys(STORY_VIEWS) as StoryViewName[];

/** The row each story view answers with. */
export interface StoryRows {
	kpis: StoryKpis;
	facts: FactRow;
	options: FilterOption;
	agentService: AgentServiceRow;
	outcomes: OutcomeRow;
	timeline: TimelineRow;
	calls: CallRow;
}

/** A story view's SQL under `filter` (ignored by a view that does not follow it). */
export function storyViewQuery(name: StoryViewName, filter: Filter = EMPTY_FILTER): Query {
	return STORY_VIEWS[name].query(STORY_VIEWS[name].filtered ? filter : EMPTY_FILTER);
}

/** The views that follow the filter (the rest are asked once, whatever it is). */
export const FILTERED_STORY_VIEWS = STORY_VIEW_NAMES.filter((name) => STORY_VIEWS[name].filtered);
