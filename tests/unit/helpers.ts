import { openNodeEngine } from '$lib/engine/node';
import { loadStory } from '$lib/story/dataset';
import type { Engine } from '$lib/engine/types';

let story: Promise<Engine> | undefined;

/** One engine with the story dataset loaded, shared by the unit tests of a file. */
export function storyEngine(): Promise<Engine> {
	story ??= openNodeEngine().then(async (engine) => {
		await loadStory(engine);
		return engine;
	});
	return story;
}

/** A stream of `bytes` in chunks of the given sizes (cycled), so characters and records cross chunks. */
export function chunked(bytes: Uint8Array, sizes: number[]): ReadableStream<Uint8Array> {
	return new ReadableStream({
		start(controller) {
			for (let at = 0, i = 0; at < bytes.length; i++) {
				const n = sizes[i % sizes.length]!;
				controller.enqueue(bytes.slice(at, at + n));
				at += n;
			}
			controller.close();
		}
	});
}
