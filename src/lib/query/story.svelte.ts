import type { Filter } from '$lib/filters/filter';
import { storyViewQuery, type StoryRows, type StoryViewName } from '$lib/story/views';
import { liveQuery, type Live } from './live.svelte';

/**
 * A story view asked by name (`story/views.ts`) through the query client: answered by the
 * build's snapshot where it has the answer, else by the browser's engine, and asked again
 * whenever `filter` (read reactively) changes. Call during component initialisation.
 */
export function liveStory<N extends StoryViewName>(name: N, filter?: () => Filter): Live<StoryRows[N]> {
	return liveQuery<StoryRows[N] & Record<string, unknown>>(() => storyViewQuery(name, filter?.()));
}
