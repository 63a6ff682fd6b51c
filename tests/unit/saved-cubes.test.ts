import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '$lib/engine/types';
import { DEFAULT_SETTINGS, dashboardViews, viewQuery, waitReachQuery } from '$lib/metrics/service';
import { intervalFor } from '$lib/metrics/service-view';
import { DEPARTMENTS, generateCalls, generateFile, type GeneratorOptions } from '$lib/synthetic/generate';
import { startServer } from '$lib/server/http';
import { loadIntoStore } from '$lib/server/load';
import { listDatasets, openStore, type StoredDataset } from '$lib/server/store';
import { firstQuestions, questionKey } from '$lib/server/served-views';
import { saveFirstAnswers } from '$lib/server/saved-answers';
import { saveFirstCubes, savedCubes } from '$lib/server/saved-cubes';
import { runNamedView } from '$lib/query/named-views';
import { DIALECTS } from '$lib/metrics/service';
import type { Filter } from '$lib/filters/filter';
import { importFromDisk, importSettings } from '../../src/cli/shared';
import { expectSameRowsExactCounts } from './same-rows';

/**
 * The cubes of a dataset's first views saved in the store by `load` (server/saved-cubes.ts): a
 * server started over the store copies them instead of building them from the calls, and answers
 * the first views and filter changes as the calls table does; a later load makes them stale
 * (the server builds its cubes from the calls) until saved again.
 */
const FIRST: GeneratorOptions = { rows: 6000, seed: 41, start: '2024-03-04', incident: null, completeShare: 0.6 };
const MORE: GeneratorOptions = { rows: 2000, seed: 42, start: '2024-04-01', incident: null, completeShare: 0.6 };
const DASHBOARD = ['summary', 'intervals', 'queues', 'agents', 'waits'] as const;
/** Department, agent and hourly time, for each of the five views. */
const CUBES = DASHBOARD.length * 3;

let dir: string;
let store: string;

/** Loads a generated file into the dataset "saved", then saves its first answers and cubes, as `npm run load` does. */
async function load(name: string, options: GeneratorOptions, { save = true } = {}): Promise<StoredDataset> {
	const file = join(dir, name);
	writeFileSync(file, generateFile(options, 'csv').text);
	const writer = await openStore(store, { readOnly: false });
	try {
		const outcome = await loadIntoStore(writer.engine, [file], 'saved', (files, table) =>
			importFromDisk(writer.engine, importSettings({ 'utc-offset': '0' }, files), table)
		);
		const dataset = (await listDatasets(writer.engine)).find((d) => d.id === outcome.dataset.id)!;
		if (save) {
			await saveFirstAnswers(writer.engine, dataset);
			expect(await saveFirstCubes(writer.engine, dataset)).toBe(CUBES);
		}
		return dataset;
	} finally {
		writer.close();
	}
}

async function withStore<T>(readOnly: boolean, work: (engine: Awaited<ReturnType<typeof openStore>>['engine']) => Promise<T>): Promise<T> {
	const opened = await openStore(store, { readOnly });
	try {
		return await work(opened.engine);
	} finally {
		opened.close();
	}
}

const none: Filter = { queue: null, agent: null, outcome: null, from: null, to: null };

/**
 * Starts a server over the store (a restart), checks how many cubes it copied, and compares its
 * answers to the first questions and to filter changes with the plain view queries over the calls.
 */
async function servedAsTheCallsTable(dataset: StoredDataset, copied: number, filters: Filter[]) {
	const server = await startServer({ engine: `duckdb:${store}`, app: null, host: '127.0.0.1', port: 0 });
	try {
		await server.api.prepared;
		const start = server.api.diagnostics();
		expect(start.cubes).toBe(CUBES);
		expect(start.cubesCopied).toBe(copied);
		const post = async (body: unknown) => {
			const response = await fetch(`${server.url}/api/view`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
			expect(response.status).toBe(200);
			return ((await response.json()) as { rows: Row[] }).rows;
		};
		await withStore(true, async (direct) => {
			// The first views: freshly computed over the calls.
			for (const question of firstQuestions(dataset)) {
				const fresh = await runNamedView({ ...question, kind: dataset.kind }, dataset.id, (q) => direct.query(q), DIALECTS.duckdb);
				expect(await post({ dataset: dataset.id, view: question.view, settings: question.settings }), questionKey(question)).toEqual(
					JSON.parse(JSON.stringify(fresh))
				);
			}
			// Filter changes, answered from the cubes: the plain view queries' rows.
			const settings = { ...DEFAULT_SETTINGS, interval: intervalFor(dataset.from, dataset.to), onset: null, end: null, longS: 120 };
			const [reach] = await direct.query<{ reach_s: number }>(waitReachQuery(dataset.id));
			const views = dashboardViews(settings, settings.interval, reach!.reach_s);
			const fromCubes = server.api.diagnostics().fromCubes;
			for (const filter of filters)
				for (const view of DASHBOARD)
					expectSameRowsExactCounts(
						await post({ dataset: dataset.id, view, filter, settings }),
						await direct.query(viewQuery(dataset.id, views[view], filter))
					);
			expect(server.api.diagnostics().fromCubes - fromCubes).toBe(filters.length * DASHBOARD.length);
		});
	} finally {
		await server.close();
	}
}

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'holdline-saved-cubes-'));
	store = join(dir, 'store.duckdb');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('first cubes saved in the store', () => {
	let dataset: StoredDataset;
	const agent = [...generateCalls(FIRST)].find((c) => c.agent && c.department === DEPARTMENTS[1])!.agent!;

	it('are copied by a server started over the store, which answers as the calls table', async () => {
		dataset = await load('first.csv', FIRST);
		expect((await withStore(true, (engine) => savedCubes(engine, dataset))).size).toBe(CUBES);
		await servedAsTheCallsTable(dataset, CUBES, [
			{ ...none, queue: DEPARTMENTS[0]! },
			{ ...none, agent },
			// Whole days from the days kept, the cut hours from the buckets.
			{ ...none, from: '2024-03-05 09:00:00', to: '2024-03-09 15:00:00' }
		]);
	}, 120_000);

	it('go stale when a load changes the dataset: built from the calls, until saved again', async () => {
		const after = await load('more.csv', MORE, { save: false });
		expect(after.id).toBe(dataset.id);
		expect((await withStore(true, (engine) => savedCubes(engine, after))).size).toBe(0);
		// The earlier load's cubes are still in the store, but never read for the dataset as it is now.
		expect((await withStore(true, (engine) => savedCubes(engine, dataset))).size).toBe(CUBES);
		const range = { ...none, from: '2024-03-30 10:00:00', to: '2024-04-03 12:00:00' };
		await servedAsTheCallsTable(after, 0, [{ ...none, queue: DEPARTMENTS[2]! }, range]);

		// Saved again: the new cubes replace the old ones (tables and rows), and are copied.
		const saved = await withStore(false, async (engine) => {
			expect(await saveFirstCubes(engine, after)).toBe(CUBES);
			const tables = await engine.query<{ name: string }>({
				sql: `SELECT table_name AS name FROM duckdb_tables() WHERE starts_with(table_name, 'saved_cube_') ORDER BY name`,
				params: []
			});
			const named = (await engine.query<{ buckets: string; days: string | null }>({ sql: `SELECT buckets, days FROM saved_cubes`, params: [] })).flatMap((r) =>
				r.days ? [r.buckets, r.days] : [r.buckets]
			);
			// No table of the earlier save is left beside the new ones.
			expect(tables.map((t) => t.name)).toEqual(named.sort());
			return savedCubes(engine, after);
		});
		expect(saved.size).toBe(CUBES);
		await servedAsTheCallsTable(after, CUBES, [{ ...none, queue: DEPARTMENTS[2]! }, { ...none, agent }, range]);
	}, 180_000);
});
