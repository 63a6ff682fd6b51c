import { openNodeEngine } from '$lib/engine/node';
import { loadStory } from '$lib/story/dataset';
import { storyViewQuery } from '$lib/story/views';
import type { Query } from '$lib/engine/types';
import { queryKey, storyFilterQueries, storySnapshotQueries } from './queries';

/**
 * Runs the snapshot queries on the story dataset (Node, same engine as the browser): the first
 * view (built into the page) and every menu filter's answers (fetched after the first paint).
 */
export async function computeSnapshot(): Promise<{ first: Record<string, unknown[]>; filters: Record<string, unknown[]> }> {
	const engine = await openNodeEngine();
	await loadStory(engine);
	const answer = async (queries: Query[]) => {
		const out: Record<string, unknown[]> = {};
		for (const query of queries) out[queryKey(query)] ??= await engine.query(query);
		return out;
	};
	const first = await answer(storySnapshotQueries());
	const options = await engine.query<{ department: string; agent: string }>(storyViewQuery('options'));
	const filters = await answer(storyFilterQueries(options));
	for (const key of Object.keys(first)) delete filters[key];
	return { first, filters };
}
