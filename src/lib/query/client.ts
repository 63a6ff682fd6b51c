import { loadStory } from '$lib/story/dataset';
import type { ViewSpec } from '$lib/metrics/service';
import { CubeIndex } from '$lib/preagg/cubes';
import { SqlCoordinator, type Change, type Priority } from './coordinator';
import { base } from '$app/paths';
import { FILTER_SNAPSHOT_PATH } from '$lib/story/snapshot/path';
import type { Engine, Query, Row } from '$lib/engine/types';
import type { BrowserEngine } from '$lib/engine/browser';
import type { Filter } from '$lib/filters/filter';

/**
 * The one owner of the browser's database: starts DuckDB-WASM once, loads the story
 * dataset once, and answers every page's questions through one coordinator (`coordinator.ts`):
 * identical questions share one answer, a user's question goes before cube builds. Imports and
 * the dataset library change tables through the same coordinator (`write`, `importEngine`).
 */
let ready: Promise<BrowserEngine> | undefined;

/**
 * How imported datasets' tables become readable, told by the library (which imports this
 * module): each returns undefined when `sql` reads no stored dataset's table.
 */
export interface StoredTables {
	/** Pins the remembered answers of the stored tables `sql` reads (never fails). */
	recall(sql: string): Promise<unknown> | undefined;
	/** Attaches the stored tables `sql` reads. */
	open(sql: string): Promise<unknown> | undefined;
}
let stored: StoredTables | undefined;
export function useStoredTables(tables: StoredTables): void {
	stored = tables;
}

// Every question and statement waits for the stored tables it reads to be attached before it
// is queued for the engine: a page may ask about a dataset at once (its remembered answers
// need no engine), yet nothing reaches DuckDB before the table is there.
export const coordinator = new SqlCoordinator<BrowserEngine>(
	() => database(),
	1,
	(sql) => stored?.open(sql)
);

// The story pages' first answers, computed at build time by the same engine (see
// `snapshot/`): the first view is correct and instant while the database starts.
// Missing in a build without the snapshot; then every query goes to the database.
const snapshots = import.meta.glob<Record<string, Row[]>>('../story/snapshot/story-snapshot.json', { eager: true, import: 'default' });
for (const snapshot of Object.values(snapshots)) for (const [key, rows] of Object.entries(snapshot)) coordinator.pin(key, rows);

/** The build-time answer to a query, if it has one: usable synchronously, before any await. */
export function snapshotRows<T extends object = Row>(query: Query): T[] | undefined {
	return coordinator.known<T>(query);
}

export function database(): Promise<BrowserEngine> {
	ready ??= (async () => {
		const { openBrowserEngine } = await import('$lib/engine/browser');
		const engine = await openBrowserEngine();
		// Where a start's time goes (the bench reads them): the engine compiled, then the story loaded.
		performance.mark('holdline:engine-ready');
		await loadStory(engine);
		document.documentElement.dataset.database = 'ready';
		return engine;
	})();
	ready.catch(() => (ready = undefined)); // allow a retry after a failed start
	return ready;
}

/**
 * After the app's first frame: fetches the story's per-filter answers, and starts the database
 * if the page needs it at once (`engine`). The story pages do not: the build answers their first
 * view and every menu filter, and the engine's wasm is 5.9 MB of the 7.0 MB a first visit to
 * the overview downloaded when it always started; there it starts on the first question the
 * build has not answered (a hand-edited URL), like every page's.
 */
export function warmUp({ engine }: { engine: boolean }): void {
	const start = () => {
		void loadFilterSnapshot();
		if (engine) void database().catch(() => {});
	};
	requestAnimationFrame(() => setTimeout(start, 0));
}

/**
 * The story's answers under every menu filter, computed at build time (`snapshot/`): fetched
 * once after the first paint and pinned, so a filter change is answered before the database
 * has started. A question asked while they arrive waits for them (a few ms), not for the engine.
 */
let filterSnapshot: Promise<void> | undefined;
export function loadFilterSnapshot(): Promise<void> {
	filterSnapshot ??= fetch(`${base}/${FILTER_SNAPSHOT_PATH}`)
		.then((response): Promise<Record<string, Row[]>> | Record<string, Row[]> => (response.ok ? response.json() : {}))
		.then((answers) => {
			for (const [key, rows] of Object.entries(answers)) coordinator.pin(key, rows);
		})
		.catch(() => {}); // a build without it (dev): every question goes to the database
	return filterSnapshot;
}

export async function runQuery<T extends object = Row>(query: Query, priority: Priority = 'user'): Promise<T[]> {
	// Also when asked before the first frame's fetch (a menu used at once): the build's answer
	// must be looked up before the engine is started for it.
	await loadFilterSnapshot();
	// Likewise a reopened dataset's remembered answers: looked up only once they are pinned.
	await stored?.recall(query.sql);
	return coordinator.query<T>(query, { priority });
}

/**
 * The engine as cube builds see it: the same database, but every statement queued behind
 * the user's questions, and nothing it reads cached.
 */
const background: Engine = {
	dialect: 'duckdb',
	query: <T extends object = Row>(q: Query) => coordinator.query<T>(q, { priority: 'build', cache: false }),
	exec: (sql: string) => coordinator.exec(sql, 'build'),
	registerText: async (name, text) => (await database()).registerText(name, text),
	registerBuffer: async (name, bytes) => (await database()).registerBuffer(name, bytes),
	exportTable: async (table) => (await database()).exportTable(table),
	importTable: async (table, bytes) => (await database()).importTable(table, bytes),
	dropFile: async (name) => (await database()).dropFile(name)
};

/** Pre-aggregated answers for the Service level page's views (see `cubes.ts`). */
export const cubes = new CubeIndex(
	async () => background,
	() => coordinator.idle()
);

/** Forgets every answer (remembered ones too) and cube of a table that changed or was deleted. */
export function tableChanged(table: string): void {
	coordinator.invalidate(table, { pinned: true });
	cubes.invalidate(table);
}

/**
 * Changes to tables (imports, the dataset library's stored copies) go through the same queue
 * as the questions: `work` has the engine to itself in its turn, and the cached answers read
 * from `changes` are forgotten once it has run (see `SqlCoordinator.write`).
 */
export function write<T>(work: (engine: BrowserEngine) => Promise<T>, change?: Change): Promise<T> {
	return coordinator.write(work, change);
}

/** The engine an import runs on: each of its statements a `write` changing `changes` (its tables). */
export function importEngine(changes: string[] = []): Engine {
	return coordinator.writer(changes);
}

/** A view's rows under a filter: from a cube when one answers it, else from the table. */
export function runView<T extends object = Row>(table: string, view: ViewSpec, filter: Filter): Promise<T[]> {
	return cubes.rows(table, view, filter, (query) => runQuery<T>(query));
}
