import { openNodeEngine } from '$lib/db/node';
import { loadStory } from '$lib/datasets/story';
import { queryKey, storySnapshotQueries } from './queries';

/** Runs the snapshot queries on the story dataset (Node, same engine as the browser). */
export async function computeSnapshot(): Promise<Record<string, unknown[]>> {
	const engine = await openNodeEngine();
	await loadStory(engine);
	const snapshot: Record<string, unknown[]> = {};
	for (const query of storySnapshotQueries()) snapshot[queryKey(query)] = await engine.query(query);
	return snapshot;
}
