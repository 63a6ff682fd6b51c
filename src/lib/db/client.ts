import { loadStory } from '$lib/datasets/story';
import type { Engine, Query, Row } from './types';

/**
 * The one owner of the browser's database: starts DuckDB-WASM once, loads the story
 * dataset once, and answers queries. Identical queries share one result, so views
 * whose inputs did not change never re-query.
 */
let ready: Promise<Engine> | undefined;
const cache = new Map<string, Promise<Row[]>>();
const CACHE_LIMIT = 200;

export function database(): Promise<Engine> {
	ready ??= (async () => {
		const { openBrowserEngine } = await import('./browser');
		const engine = await openBrowserEngine();
		await loadStory(engine);
		return engine;
	})();
	ready.catch(() => (ready = undefined)); // allow a retry after a failed start
	return ready;
}

export async function runQuery<T extends Row>(query: Query): Promise<T[]> {
	const key = JSON.stringify([query.sql, query.params]);
	let result = cache.get(key);
	if (!result) {
		result = database().then((engine) => engine.query(query));
		result.catch(() => cache.delete(key));
		if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
		cache.set(key, result);
	}
	return (await result) as T[];
}
