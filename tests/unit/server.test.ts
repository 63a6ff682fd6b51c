import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openNodeEngine } from '$lib/engine/node';
import type { Engine, Row } from '$lib/engine/types';
import { afterOnsetHistogramQuery, incidentByQuery, incidentQuery } from '$lib/metrics/incident';
import { dashboardViews, groupQuery, histogramRange, optionsQuery, viewQuery, waitReachQuery } from '$lib/metrics/service';
import { staffingLoadQuery } from '$lib/metrics/staffing-load';
import { DEPARTMENTS, generateFile, type GeneratorOptions } from '$lib/synthetic/generate';
import { startServer, type Running } from '$lib/server/http';
import { callbacksQuery, repeatCallersQuery } from '$lib/metrics/callers';
import { loadIntoStore } from '$lib/server/load';
import { openStore } from '$lib/server/store';
import { Pool } from '$lib/server/pool';
import { RequestError, VIEW_NAMES } from '$lib/server/request';
import { importFromDisk, importSettings } from '../../src/cli/shared';
import type { Filter } from '$lib/filters/filter';
import { metrics } from './cli-run';

const run = promisify(execFile);
const GENERATED: GeneratorOptions = { rows: 4000, seed: 11, start: '2024-03-04', incident: '2024-03-04 14:28:00', completeShare: 0.6 };
const FILTER: Filter = { queue: DEPARTMENTS[1]!, agent: null, outcome: null, from: '2024-03-04 08:00:00', to: '2024-03-04 18:00:00' };
const SETTINGS = { thresholdS: 30, shortAbandonS: 8, variant: 'exclude_short' as const, interval: 30 as const };
const WINDOW = { onset: '2024-03-04 14:28:00', end: '2024-03-04 14:40:00', longS: 120 };

let dir: string;
let file: string;
let store: string;
let truth: ReturnType<typeof generateFile>;
let server: Running;
let direct: Engine;
let datasetId: string;
/** How long a request may take to reach the state the server reports (checked as it changes, not slept through). */
const SERVER_REPORTS = { timeout: 10_000, interval: 5 };
/** Holds views inside their connection while set (to fill the server's queue). */
let gate: Promise<void> | null = null;
const loadTwice: { first?: Awaited<ReturnType<typeof loadIntoStore>>; second?: Awaited<ReturnType<typeof loadIntoStore>>; rows?: number } = {};

const importOptions = (files: string[]) => importSettings({ 'utc-offset': '0' }, files);

async function post(body: unknown, init: RequestInit = {}) {
	const response = await fetch(`${server.url}/api/view`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: typeof body === 'string' ? body : JSON.stringify(body),
		...init
	});
	return { status: response.status, json: (await response.json()) as { rows?: Row[]; error?: { code: string; message: string } } };
}

const ask = (view: string, extra: Record<string, unknown> = {}) =>
	post({ dataset: datasetId, view, filter: FILTER, settings: { ...SETTINGS, ...WINDOW }, ...extra });

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'holdline-server-'));
	file = join(dir, 'calls.csv');
	store = join(dir, 'store.duckdb');
	truth = generateFile(GENERATED, 'csv');
	writeFileSync(file, truth.text);
	// The load command's module, twice over the same file.
	const writer = await openStore(store, { readOnly: false });
	const importer = (files: string[], table: string) => importFromDisk(writer.engine, importOptions(files), table);
	loadTwice.first = await loadIntoStore(writer.engine, [file], 'march', importer);
	loadTwice.second = await loadIntoStore(writer.engine, [file], 'march', importer);
	loadTwice.rows = Number((await writer.engine.query<{ n: number }>({ sql: 'SELECT count(*) AS n FROM calls', params: [] }))[0]!.n);
	writer.close();
	datasetId = loadTwice.first.dataset.id;
	server = await startServer({
		engine: `duckdb:${store}`,
		app: null,
		host: '127.0.0.1',
		port: 0,
		limits: { concurrency: 1, queue: 1 },
		beforeView: async () => {
			if (gate) await gate;
		}
	});
	// The independent path: the same file imported the ordinary way, on DuckDB-WASM.
	direct = await openNodeEngine();
	await importFromDisk(direct, importOptions([file]), 'calls_direct');
}, 120_000);

afterAll(async () => {
	await server?.close();
	rmSync(dir, { recursive: true, force: true });
});

/** Rows equal, numbers to 9 digits (the two engines add floating point in different orders). */
function expectSameRows(actual: Row[], expected: Row[]) {
	expect(actual.length).toBe(expected.length);
	actual.forEach((row, i) => {
		const want = expected[i]!;
		expect(Object.keys(row)).toEqual(Object.keys(want));
		for (const key of Object.keys(want)) {
			const a = row[key];
			const b = want[key];
			if (typeof b === 'number' && typeof a === 'number') expect(a).toBeCloseTo(b, 9);
			else expect(a).toEqual(b);
		}
	});
}

describe('npm run load', () => {
	it('loads every call once, and skips a file loaded before', () => {
		expect(loadTwice.first!.import!.rows).toBe(truth.calls.length);
		expect(loadTwice.second!.import).toBeNull();
		expect(loadTwice.second!.alreadyLoaded.map((f) => f.name)).toEqual(['calls.csv']);
		expect(loadTwice.rows).toBe(truth.calls.length);
	});

	it('lists the dataset with its size, rows and quality report', async () => {
		const response = await fetch(`${server.url}/api/datasets`);
		const body = (await response.json()) as {
			engine: string;
			datasets: { id: string; name: string; rows: number; bytes: number; synthetic: boolean; quality: { rowsRead: number } }[];
		};
		expect(body.engine).toBe('duckdb');
		expect(body.datasets).toHaveLength(1);
		expect(body.datasets[0]).toMatchObject({ id: datasetId, name: 'march', rows: truth.calls.length, bytes: Buffer.byteLength(truth.text), synthetic: true });
		expect(body.datasets[0]!.quality.rowsRead).toBe(truth.records);
	});
});

describe('POST /api/view', () => {
	it('answers each named view with the rows the same view gives on the file imported directly', async () => {
		const views = dashboardViews(SETTINGS, SETTINGS.interval, null);
		const reach = (await direct.query<{ reach_s: number }>(waitReachQuery('calls_direct')))[0]!.reach_s;
		const incident = await direct.query(incidentQuery('calls_direct', WINDOW, FILTER));
		const afterRange = histogramRange(Number(incident[0]!.reach_after_onset_s), 180);
		const expected: Record<(typeof VIEW_NAMES)[number], Row[]> = {
			summary: await direct.query(viewQuery('calls_direct', views.summary, FILTER)),
			intervals: await direct.query(viewQuery('calls_direct', views.intervals, FILTER)),
			queues: await direct.query(viewQuery('calls_direct', views.queues, FILTER)),
			agents: await direct.query(viewQuery('calls_direct', views.agents, FILTER)),
			waits: await direct.query(viewQuery('calls_direct', dashboardViews(SETTINGS, SETTINGS.interval, reach).waits, FILTER)),
			waitReach: await direct.query(waitReachQuery('calls_direct')),
			options: await direct.query(optionsQuery('calls_direct')),
			incident,
			incidentQueues: await direct.query(incidentByQuery('calls_direct', WINDOW, FILTER, 'queue')),
			afterOnset: await direct.query(afterOnsetHistogramQuery('calls_direct', WINDOW, FILTER, afterRange.binS, afterRange.maxS)),
			staffingLoad: await direct.query(staffingLoadQuery('calls_direct', FILTER, SETTINGS.interval)),
			reportQueues: await direct.query(groupQuery('calls_direct', SETTINGS, FILTER, 'queue', 1000)),
			reportAgents: await direct.query(groupQuery('calls_direct', SETTINGS, FILTER, 'agent', 1000)),
			incidentAgents: await direct.query(incidentByQuery('calls_direct', WINDOW, FILTER, 'agent')),
			agentEvents: [], // a queue_log's (the dataset here is a CSV of calls)
			callbacks: await direct.query(callbacksQuery('calls_direct', FILTER)),
			repeatCallers: await direct.query(repeatCallersQuery('calls_direct', FILTER))
		};
		for (const name of VIEW_NAMES.filter((n) => n !== 'agentEvents')) {
			const { status, json } = await ask(name);
			expect(status, name).toBe(200);
			// The generated CSV has no callers' numbers: nobody to call back (serve-callers.test.ts has them).
			if (name !== 'callbacks') expect(json.rows!.length, name).toBeGreaterThan(0);
			expectSameRows(json.rows!, expected[name]);
		}
	});

	it('counts the calls a row-by-row count of the generated calls finds', async () => {
		const { json } = await post({ dataset: datasetId, view: 'queues', settings: SETTINGS });
		for (const queue of DEPARTMENTS) {
			const calls = truth.calls.filter((c) => c.queue === queue);
			const row = json.rows!.find((r) => r.key === queue)!;
			expect(row.volume).toBe(calls.length);
			expect(row.abandoned).toBe(calls.filter((c) => c.outcome === 'abandoned').length);
			expect(row.answered).toBe(calls.filter((c) => c.outcome === 'answered' || c.outcome === 'interrupted').length);
		}
	});

	it('takes several departments (the report’s choice) and counts their calls as a row-by-row count does', async () => {
		const chosen = [DEPARTMENTS[0]!, DEPARTMENTS[2]!];
		const { status, json } = await post({ dataset: datasetId, view: 'summary', filter: { queues: chosen }, settings: SETTINGS });
		expect(status).toBe(200);
		expect(json.rows![0]!.volume).toBe(truth.calls.filter((c) => chosen.includes(c.queue)).length);
		const weeks = await post({ dataset: datasetId, view: 'intervals', settings: { ...SETTINGS, interval: 'week' } });
		expect(weeks.json.rows!.reduce((n, r) => n + Number(r.volume), 0)).toBe(truth.calls.length);
	});

	it('takes SQL in a free-text filter as a value (no calls match) and refuses it elsewhere', async () => {
		const injected = await post({ dataset: datasetId, view: 'summary', filter: { queue: "x' OR '1'='1" } });
		expect(injected.status).toBe(200);
		expect(injected.json.rows![0]!.volume).toBe(0);
		const refusals: [unknown, number, string, RegExp][] = [
			[{ dataset: datasetId, view: 'summary; DROP TABLE calls' }, 400, 'unknown_view', /^view:/],
			[{ dataset: "ds_aaaaaa' OR 1=1 --", view: 'summary' }, 400, 'invalid_value', /^dataset:/],
			[{ dataset: datasetId, view: 'summary', filter: { outcome: "answered' OR '1'='1" } }, 400, 'invalid_value', /^filter\.outcome:/],
			[{ dataset: datasetId, view: 'summary', sql: 'SELECT * FROM calls' }, 400, 'unknown_field', /^sql:/],
			[{ dataset: datasetId, view: 'summary', settings: { thresholdS: '20' } }, 400, 'invalid_value', /^settings\.thresholdS: must be a number/],
			[{ dataset: datasetId, view: 'summary', settings: { thresholdS: 1e9 } }, 400, 'invalid_value', /^settings\.thresholdS: must be between 0 and 3600/],
			[{ dataset: datasetId, view: 'summary', settings: { interval: 45 } }, 400, 'invalid_value', /^settings\.interval:/],
			// Weeks are for the report's intervals; the staffing load is planned per interval of a day.
			[
				{ dataset: datasetId, view: 'staffingLoad', settings: { interval: 'week' } },
				400,
				'invalid_value',
				/^settings\.interval: must be one of 15, 30, 60, "day"/
			],
			[{ dataset: datasetId, view: 'summary', filter: { queues: 'x' } }, 400, 'invalid_value', /^filter\.queues: must be a list/],
			[{ dataset: datasetId, view: 'summary', filter: { queues: ['a', 7] } }, 400, 'invalid_value', /^filter\.queues\[1\]: must be a string/],
			[{ dataset: datasetId, view: 'summary', filter: { queues: Array(501).fill('a') } }, 400, 'invalid_value', /^filter\.queues: at most 500 values/],
			[{ dataset: datasetId, view: 'summary', filter: { from: '2024-02-30 10:00' } }, 400, 'invalid_value', /^filter\.from: must be a time/],
			[{ dataset: datasetId, view: 'summary', filter: { to: 'yesterday' } }, 400, 'invalid_value', /^filter\.to:/],
			[{ dataset: datasetId, view: 'summary', filter: { agent: 'a'.repeat(201) } }, 400, 'invalid_value', /^filter\.agent: at most 200 characters/],
			[{ dataset: datasetId, view: 'summary', filter: { queue: 7 } }, 400, 'invalid_value', /^filter\.queue: must be a string/],
			[{ dataset: datasetId, view: 'incident' }, 400, 'invalid_value', /^settings\.onset:/],
			[{ dataset: 'ds_nosuchone', view: 'summary' }, 404, 'unknown_dataset', /^dataset:/],
			['{"dataset": ', 400, 'invalid_json', /not JSON/],
			[{ dataset: datasetId, view: 'summary', filter: { queue: 'x'.repeat(20_000) } }, 413, 'too_large', /over 16384 bytes/]
		];
		for (const [body, status, code, message] of refusals) {
			const { status: got, json } = await post(body);
			expect([got, json.error?.code], JSON.stringify(body).slice(0, 80)).toEqual([status, code]);
			expect(json.error!.message).toMatch(message);
		}
		// The store is intact.
		expect((await ask('summary')).json.rows![0]!.volume).toBeGreaterThan(0);
	});

	it('refuses other methods, media types and paths with a JSON error', async () => {
		const get = await fetch(`${server.url}/api/view`);
		expect([get.status, ((await get.json()) as { error: { code: string } }).error.code]).toEqual([405, 'method_not_allowed']);
		const form = await post('dataset=x', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
		expect([form.status, form.json.error?.code]).toEqual([415, 'unsupported_media_type']);
		const other = await fetch(`${server.url}/api/sql`);
		expect(other.status).toBe(404);
	});

	it('queues a request while the connection is busy and refuses one more with 429', async () => {
		let open!: () => void;
		gate = new Promise((resolve) => (open = resolve));
		// Questions not asked before: a remembered answer needs no connection.
		const fresh = (view: string) => ask(view, { filter: { ...FILTER, agent: 'not asked before' } });
		// Each request sent once the server reports the one before it in place: the first holding
		// the one connection, the second in the queue.
		const first = fresh('summary');
		await vi.waitFor(() => expect(server.api.diagnostics()).toMatchObject({ running: 1, waiting: 0 }), SERVER_REPORTS);
		const second = fresh('queues');
		await vi.waitFor(() => expect(server.api.diagnostics()).toMatchObject({ running: 1, waiting: 1 }), SERVER_REPORTS);
		const third = await fresh('agents');
		expect([third.status, third.json.error?.code]).toEqual([429, 'busy']);
		gate = null;
		open();
		expect((await first).status).toBe(200);
		expect((await second).status).toBe(200);
	});
});

describe('Pool', () => {
	it('interrupts a view past its time limit, answers 503 and hands the connection on', async () => {
		let interrupted = 0;
		let stop!: () => void;
		const connection = { interrupt: () => (interrupted++, stop()) };
		const pool = new Pool([connection], 0, 20);
		const slow = pool.run(() => new Promise<never>((_, reject) => (stop = () => reject(new Error('INTERRUPT')))));
		await expect(slow).rejects.toMatchObject({ status: 503, code: 'timeout' } satisfies Partial<RequestError>);
		expect(interrupted).toBe(1);
		expect(await pool.run(async () => 'next')).toBe('next');
	});
});

describe('npm run metrics --engine', () => {
	it('prints the same summary from the store as from the file', async () => {
		const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli/metrics.ts', ...args, '--utc-offset', '0', '--json']);
		// The store is open read-only by the server: other readers may share it.
		// The file is imported in this process (cli-run.ts); the store is asked by a process of its own.
		const [fromStore, fromFile] = await Promise.all([cli('--engine', `duckdb:${store}`, '--dataset', 'march'), metrics(file, '--utc-offset', '0', '--json')]);
		const a = JSON.parse(fromStore.stdout);
		const b = JSON.parse(fromFile.stdout);
		expect(a.rows).toBe(truth.calls.length);
		expectSameRows([a.summary], [b.summary]);
		expect(a.quality.rowsRead).toBe(b.quality.rowsRead);
	}, 60_000);
});
