import { loadStory } from '$lib/datasets/story';
import { viewQuery, type ServiceFilter, type ViewSpec } from '$lib/metrics/service';
import { CubeIndex } from './cubes';
import type { Engine, Query, Row } from './types';

/**
 * The one owner of the browser's database: starts DuckDB-WASM once, loads the story
 * dataset once, and answers queries. Identical queries share one result, so views
 * whose inputs did not change never re-query.
 */
let ready: Promise<Engine> | undefined;
const cache = new Map<string, Promise<Row[]>>();
const CACHE_LIMIT = 200;

// The story pages' first answers, computed at build time by the same engine (see
// `snapshot/`): the first view is correct and instant while the database starts.
// Missing in a build without the snapshot; then every query goes to the database.
const snapshots = import.meta.glob<Record<string, Row[]>>('../snapshot/story-snapshot.json', { eager: true, import: 'default' });
const pinned = new Map<string, Row[]>();
for (const snapshot of Object.values(snapshots))
	for (const [key, rows] of Object.entries(snapshot)) {
		cache.set(key, Promise.resolve(rows));
		pinned.set(key, rows);
	}

/** The build-time answer to a query, if it has one: usable synchronously, before any await. */
export function snapshotRows<T extends Row>(query: Query): T[] | undefined {
	return pinned.get(JSON.stringify([query.sql, query.params])) as T[] | undefined;
}

export function database(): Promise<Engine> {
	ready ??= (async () => {
		const { openBrowserEngine } = await import('./browser');
		const engine = await openBrowserEngine();
		await loadStory(engine);
		document.documentElement.dataset.database = 'ready';
		return engine;
	})();
	ready.catch(() => (ready = undefined)); // allow a retry after a failed start
	return ready;
}

/** Starts the database when the browser is idle, so the first filter change finds it ready. */
export function warmUp(): void {
	// After the app's first frame: the story pages arrive prerendered with their first answers,
	// so compiling the 34 MB engine no longer delays what the user first sees.
	const start = () => void database().catch(() => {});
	requestAnimationFrame(() => setTimeout(start, 0));
}

// Queries sent and not yet answered: ahead-of-time cube builds wait until there are none.
let pending = 0;
let idleWaiters: (() => void)[] = [];
function settle() {
	if (--pending > 0) return;
	const waiters = idleWaiters;
	idleWaiters = [];
	waiters.forEach((wake) => wake());
}
function whenIdle(): Promise<void> {
	return pending === 0 ? Promise.resolve() : new Promise((wake) => idleWaiters.push(wake));
}

export async function runQuery<T extends Row>(query: Query): Promise<T[]> {
	const key = JSON.stringify([query.sql, query.params]);
	let result = cache.get(key);
	if (!result) {
		pending++;
		result = database().then((engine) => engine.query(query));
		result.then(settle, settle);
		result.catch(() => cache.delete(key));
		if (cache.size >= CACHE_LIMIT) {
			const oldest = [...cache.keys()].find((k) => !pinned.has(k));
			if (oldest) cache.delete(oldest);
		}
		cache.set(key, result);
	}
	return (await result) as T[];
}

/** Pre-aggregated answers for the Service level page's views (see `cubes.ts`). */
export const cubes = new CubeIndex(database, whenIdle);

/** A view's rows under a filter: from a cube when one answers it, else from the table. */
export async function runView<T extends Row>(table: string, view: ViewSpec, filter: ServiceFilter): Promise<T[]> {
	const query = await cubes.answer(table, view, filter);
	try {
		return await runQuery<T>(query);
	} catch (error) {
		// A cube dropped meanwhile (or failing) must never cost the answer: ask the table.
		const direct = viewQuery(table, view, filter);
		if (direct.sql === query.sql) throw error;
		return runQuery<T>(direct);
	}
}
