import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Row } from '$lib/engine/types';
import { intervalFor } from '$lib/metrics/service-view';
import { DEFAULT_SETTINGS, dashboardViews, viewQuery, waitReachQuery } from '$lib/metrics/service';
import { DEPARTMENTS, generateCalls, generateFile, type GeneratorOptions, type SyntheticCall } from '$lib/synthetic/generate';
import { openServedEngine } from '$lib/server/engines';
import { startServer, type Running } from '$lib/server/http';
import { loadIntoStore } from '$lib/server/load';
import { openStore, type OpenStore } from '$lib/server/store';
import { importFromDisk, importSettings } from '../../src/cli/shared';
import type { Filter } from '$lib/filters/filter';

/**
 * A DuckDB store served with its cubes and remembered answers (`server/served-views.ts`):
 * every answer is the calls table's, and a row-by-row count's, whatever answered it.
 */
const GENERATED: GeneratorOptions = { rows: 30_000, seed: 23, start: '2024-03-04', incident: null, completeShare: 0.6 };
const DASHBOARD = ['summary', 'intervals', 'queues', 'agents', 'waits'] as const;

let dir: string;
let store: string;
/** The generated calls, with their arrival times (the file holds the same calls: no dirt). */
let calls: SyntheticCall[];
let server: Running;
/** The same store, opened read-only beside the server: the calls table asked directly. */
let direct: OpenStore;
let dataset: { id: string; from: string | null; to: string | null };
/** Views run on a pool connection (not from memory), counted as they start. */
let engineRuns = 0;
let gate: Promise<void> | null = null;

async function post(body: unknown) {
	const response = await fetch(`${server.url}/api/view`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
	return { status: response.status, json: (await response.json()) as { rows?: Row[]; error?: { code: string; message: string } } };
}

/** The page's settings for the dataset, as it sends them (defaults, its interval, no incident window). */
const pageSettings = () => ({ ...DEFAULT_SETTINGS, interval: intervalFor(dataset.from, dataset.to), onset: null, end: null, longS: 120 });

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'holdline-serve-cubes-'));
	const file = join(dir, 'calls.csv');
	store = join(dir, 'store.duckdb');
	writeFileSync(file, generateFile(GENERATED, 'csv').text);
	calls = [...generateCalls(GENERATED)];
	const writer = await openStore(store, { readOnly: false });
	await loadIntoStore(writer.engine, [file], 'cubes', (files, table) => importFromDisk(writer.engine, importSettings({ 'utc-offset': '0' }, files), table));
	writer.close();
	server = await startServer({
		engine: `duckdb:${store}`,
		app: null,
		host: '127.0.0.1',
		port: 0,
		limits: { concurrency: 2, queue: 8 },
		beforeView: async () => {
			engineRuns++;
			if (gate) await gate;
		}
	});
	direct = await openStore(store, { readOnly: true });
	dataset = ((await (await fetch(`${server.url}/api/datasets`)).json()) as { datasets: (typeof dataset)[] }).datasets[0]!;
	await server.api.prepared;
}, 120_000);

afterAll(async () => {
	await server?.close();
	direct?.close();
	rmSync(dir, { recursive: true, force: true });
});

/** Rows equal: counts and keys exactly, averages and ratios to 9 digits. */
function expectSameRows(actual: Row[], expected: Row[], label: string) {
	expect(actual.length, label).toBe(expected.length);
	expected.forEach((row, i) => {
		expect(Object.keys(actual[i]!), label).toEqual(Object.keys(row));
		for (const [column, value] of Object.entries(row)) {
			const got = actual[i]![column];
			if (typeof value === 'number' && !Number.isInteger(value)) expect(got as number, `${label} ${column}`).toBeCloseTo(value, 9);
			else expect(got, `${label} ${column}`).toEqual(value);
		}
	});
}

const seconds = (time: string) => Date.parse(`${time.replace(' ', 'T')}Z`) / 1000;
/** The filter applied call by call to the generated calls (arrival in wall-clock seconds, UTC offset 0). */
const matching = (filter: Filter) => (c: SyntheticCall) =>
	(filter.queue == null || c.department === filter.queue) &&
	(filter.agent == null || c.agent === filter.agent) &&
	(filter.from == null || c.arrival >= seconds(filter.from)) &&
	(filter.to == null || c.arrival < seconds(filter.to));

describe('a served DuckDB store with cubes', () => {
	it('builds the cubes for moving department, agent and time under each dashboard view, and answers the first visit at start', () => {
		const { cubes, remembered } = server.api.diagnostics();
		expect(cubes).toBe(DASHBOARD.length * 3);
		// options, waitReach, the five views and the staffing load, unfiltered.
		expect(remembered).toBe(8);
	});

	it('answers every dashboard view under department, agent and time filters as the calls table and a row-by-row count do', async () => {
		const agent = calls.find((c) => c.agent && c.department === DEPARTMENTS[2])!.agent!;
		const none: Filter = { queue: null, agent: null, outcome: null, from: null, to: null };
		const filters: Filter[] = [
			...DEPARTMENTS.map((queue) => ({ ...none, queue })),
			{ ...none, queue: 'no such department' },
			{ ...none, agent },
			{ ...none, from: '2024-03-04 09:00:00', to: '2024-03-04 15:00:00' },
			{ ...none, from: '2024-03-05 06:00:00' },
			// Off the hour's edges: a 15-minute cube is not built ahead, so the table answers.
			{ ...none, from: '2024-03-04 09:15:00', to: '2024-03-04 11:45:00' }
		];
		const settings = pageSettings();
		const [reach] = await direct.engine.query<{ reach_s: number }>(waitReachQuery(dataset.id));
		const views = dashboardViews(settings, settings.interval, reach!.reach_s);
		const before = server.api.diagnostics().fromCubes;
		for (const filter of filters) {
			const label = JSON.stringify(filter);
			for (const view of DASHBOARD) {
				const { status, json } = await post({ dataset: dataset.id, view, filter, settings });
				expect(status, `${view} ${label}`).toBe(200);
				expectSameRows(json.rows!, await direct.engine.query(viewQuery(dataset.id, views[view], filter)), `${view} ${label}`);
			}
			const counted = calls.filter(matching(filter));
			const { json } = await post({ dataset: dataset.id, view: 'summary', filter, settings });
			const summary = json.rows![0]!;
			expect([summary.volume, summary.answered, summary.abandoned], label).toEqual([
				counted.length,
				counted.filter((c) => c.outcome === 'answered' || c.outcome === 'interrupted').length,
				counted.filter((c) => c.outcome === 'abandoned').length
			]);
		}
		// Every view under the first seven filters came from a cube (the last is off the cubes' edges).
		expect(server.api.diagnostics().fromCubes - before).toBe(DASHBOARD.length * 7);
		expect(calls.filter(matching(filters[5]!)).length).toBeGreaterThan(0);
	}, 120_000);

	it('answers the page’s first visit from memory, without asking the engine', async () => {
		const runs = engineRuns;
		for (const view of ['options', 'waitReach', ...DASHBOARD, 'staffingLoad'])
			expect((await post({ dataset: dataset.id, view, filter: {}, settings: pageSettings() })).status, view).toBe(200);
		expect(engineRuns).toBe(runs);
		const { json } = await post({ dataset: dataset.id, view: 'summary', settings: pageSettings() });
		expect(json.rows![0]!.volume).toBe(calls.length);
	});

	it('serves an answer asked twice from memory, and one asked while it is answered shares that answer', async () => {
		const question = { dataset: dataset.id, view: 'queues', filter: { outcome: 'abandoned', from: '2024-03-04 10:10:00' }, settings: { thresholdS: 45 } };
		const runs = engineRuns;
		const first = await post(question);
		expect(engineRuns).toBe(runs + 1);
		const fromMemory = server.api.diagnostics().fromMemory;
		const again = await post(question);
		expect(engineRuns).toBe(runs + 1);
		expect(server.api.diagnostics().fromMemory).toBe(fromMemory + 1);
		expect(again.json.rows).toEqual(first.json.rows);
		// The abandoned calls counted row by row, per department.
		const abandoned = calls.filter((c) => c.outcome === 'abandoned' && c.arrival >= seconds('2024-03-04 10:10:00'));
		for (const queue of DEPARTMENTS)
			expect(first.json.rows!.find((r) => r.key === queue)?.volume ?? 0, queue).toBe(abandoned.filter((c) => c.department === queue).length);

		let open!: () => void;
		gate = new Promise((resolve) => (open = resolve));
		const other = { ...question, settings: { thresholdS: 50 } };
		const shared = server.api.diagnostics().shared;
		const both = [post(other), post(other)];
		// Released once the server reports the second request joined the first one's answer.
		await vi.waitFor(() => expect(server.api.diagnostics().shared).toBe(shared + 1), { timeout: 10_000, interval: 5 });
		gate = null;
		open();
		const [a, b] = await Promise.all(both);
		expect([a!.status, b!.status]).toEqual([200, 200]);
		expect(a!.json.rows).toEqual(b!.json.rows);
		expect(engineRuns).toBe(runs + 2);
	});

	it('still refuses a bad dataset or view, and remembers no refusal', async () => {
		const refusals: [unknown, number, string][] = [
			[{ dataset: 'ds_nosuchone', view: 'summary' }, 404, 'unknown_dataset'],
			[{ dataset: dataset.id, view: 'cubes' }, 400, 'unknown_view'],
			[{ dataset: dataset.id, view: 'summary', filter: { from: 'soon' } }, 400, 'invalid_value']
		];
		const remembered = server.api.diagnostics().remembered;
		for (const [body, status, code] of refusals)
			for (let i = 0; i < 2; i++) {
				const { status: got, json } = await post(body);
				expect([got, json.error?.code], JSON.stringify(body)).toEqual([status, code]);
			}
		expect(server.api.diagnostics().remembered).toBe(remembered);
	});
});

describe('the served store', () => {
	it('refuses writes on every connection, and cubes are made beside it, not in it', async () => {
		const served = await openServedEngine(`duckdb:${store}`, 2);
		try {
			for (const connection of served.connections) {
				await expect(connection.query({ sql: `CREATE TABLE planted (a INTEGER)`, params: [] })).rejects.toThrow(/read-only/);
				await expect(connection.query({ sql: `INSERT INTO calls (dataset) VALUES ('x')`, params: [] })).rejects.toThrow(/read-only/);
				await expect(connection.query({ sql: `DROP VIEW ${dataset.id}`, params: [] })).rejects.toThrow(/read-only/);
			}
			const background = served.background!.engine;
			await expect(background.exec(`CREATE TABLE store.main.planted (a INTEGER)`)).rejects.toThrow(/read-only/);
			// A table made in the in-memory catalog is seen by the other connections.
			await background.exec(`CREATE TABLE memory.main.seen AS SELECT 7 AS n`);
			expect(await served.connections[1]!.query({ sql: 'SELECT n FROM memory.main.seen', params: [] })).toEqual([{ n: 7 }]);
		} finally {
			await served.close();
		}
		const [counted] = await direct.engine.query<{ n: number }>({ sql: `SELECT count(*) AS n FROM calls`, params: [] });
		expect(counted!.n).toBe(calls.length);
	});
});
