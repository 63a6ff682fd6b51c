import { openNodeEngine } from '$lib/db/node';
import { loadStory } from '$lib/datasets/story';
import type { Engine } from '$lib/db/types';

let story: Promise<Engine> | undefined;

/** One engine with the story dataset loaded, shared by the unit tests of a file. */
export function storyEngine(): Promise<Engine> {
	story ??= openNodeEngine().then(async (engine) => {
		await loadStory(engine);
		return engine;
	});
	return story;
}
