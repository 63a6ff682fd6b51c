import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '$lib/engine/types';
import { DEPARTMENTS, generateFile, type GeneratorOptions } from '$lib/synthetic/generate';
import { startServer, type Running } from '$lib/server/http';
import { loadIntoStore, type Importer } from '$lib/server/load';
import { openStore } from '$lib/server/store';
import { intervalRollupQuery } from '$lib/metrics/interval-rollup';
import { DEFAULT_SETTINGS } from '$lib/metrics/service';
import { importFromDisk, importSettings } from '../../src/cli/shared';

/*
 * An interval dataset in a DuckDB store (`npm run load`), served by `npm run serve`: its views
 * answered by name equal the per-call dataset's over the same calls (the interval table is the
 * SQL roll-up of those calls, loaded as an interval import would load it), the views that need
 * calls are refused with the reason, and calls are never loaded into an interval dataset.
 */
const run = promisify(execFile);
const GENERATED: GeneratorOptions = { rows: 3000, seed: 17, start: '2024-03-04', incident: null, completeShare: 1, callsPerDay: 1500 };
const SETTINGS = { thresholdS: 20, shortAbandonS: 5, variant: 'exclude_short' as const, interval: 60 as const };
const MEASURES = ['offered', 'answered', 'abandoned', 'short_abandoned', 'answered_within', 'service_level', 'asa_s', 'aht_s', 'abandon_rate'];

let dir: string;
let store: string;
let server: Running;
let ids: { calls: string; intervals: string };
let refused: unknown;

const options = (files: string[]) => importSettings({ 'utc-offset': '0' }, files);

async function view(dataset: string, name: string, extra: Record<string, unknown> = {}) {
	const response = await fetch(`${server.url}/api/view`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ dataset, view: name, settings: SETTINGS, ...extra })
	});
	return { status: response.status, json: (await response.json()) as { rows?: Row[]; error?: { code: string; message: string } } };
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'holdline-interval-serve-'));
	const file = join(dir, 'calls.csv');
	writeFileSync(file, generateFile(GENERATED, 'csv').text);
	store = join(dir, 'store.duckdb');
	const writer = await openStore(store, { readOnly: false });
	const calls: Importer = (files, table) => importFromDisk(writer.engine, options(files), table);
	// What an interval import leaves: the interval table, with its kind and length.
	const intervals: Importer = async (files, table) => {
		const imported = await importFromDisk(writer.engine, options(files), `${table}_calls`);
		const rollup = intervalRollupQuery(`${table}_calls`, DEFAULT_SETTINGS, 30);
		await writer.engine.query({ sql: `CREATE TABLE ${table} AS ${rollup.sql}`, params: rollup.params });
		return { ...imported, kind: 'intervals', intervalMinutes: 30, relativeTime: false };
	};
	ids = {
		calls: (await loadIntoStore(writer.engine, [file], 'calls', calls)).dataset.id,
		intervals: (await loadIntoStore(writer.engine, [file], 'intervals', intervals)).dataset.id
	};
	const other = join(dir, 'more.csv');
	writeFileSync(other, generateFile({ ...GENERATED, seed: 18 }, 'csv').text);
	refused = await loadIntoStore(writer.engine, [other], 'intervals', calls).catch((error: unknown) => error);
	writer.close();
	server = await startServer({ engine: `duckdb:${store}`, app: null, host: '127.0.0.1', port: 0 });
}, 120_000);

afterAll(async () => {
	await server?.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('an interval dataset in a store', () => {
	it('is listed as one, with its interval length; calls are not loaded into it', async () => {
		const { datasets } = (await (await fetch(`${server.url}/api/datasets`)).json()) as { datasets: { id: string; kind?: string; intervalMinutes?: number }[] };
		expect(datasets.find((d) => d.id === ids.intervals)).toMatchObject({ kind: 'intervals', intervalMinutes: 30 });
		expect(datasets.find((d) => d.id === ids.calls)?.kind).toBeUndefined();
		expect(String(refused)).toMatch(/holds an interval report/);
	});

	it('answers the summary, per queue, over time and the staffing load by name as the calls do', async () => {
		const filters = [{}, { queue: DEPARTMENTS[1] }, { from: '2024-03-04 08:00:00', to: '2024-03-05 12:00:00' }];
		for (const filter of filters)
			for (const [name, keys] of [
				['summary', MEASURES],
				['queues', MEASURES],
				['reportQueues', MEASURES],
				['intervals', MEASURES],
				['staffingLoad', ['offered', 'answered', 'abandoned', 'aht_s', 'handled']]
			] as const) {
				const [fromIntervals, fromCalls] = await Promise.all([view(ids.intervals, name, { filter }), view(ids.calls, name, { filter })]);
				expect(fromIntervals.status, JSON.stringify(fromIntervals.json.error)).toBe(200);
				const got = fromIntervals.json.rows!;
				const want = fromCalls.json.rows!;
				const sort = (rows: Row[]) => [...rows].sort((a, b) => String(a.key ?? '').localeCompare(String(b.key ?? '')));
				expect(sort(got).map((r) => r.key)).toEqual(sort(want).map((r) => r.key));
				sort(got).forEach((row, i) => {
					for (const key of keys) {
						const w = sort(want)[i]![key];
						if (w == null) expect(row[key] ?? null, `${name} ${key}`).toBeNull();
						else expect(Number(row[key]), `${name} ${JSON.stringify(filter)} ${row.key} ${key}`).toBeCloseTo(Number(w), 6);
					}
				});
			}
	}, 60_000);

	it('refuses, with the reason, the views that need calls', async () => {
		for (const name of ['waits', 'agents', 'reportAgents']) {
			const { status, json } = await view(ids.intervals, name);
			expect(status).toBe(422);
			expect(json.error?.code).toBe('needs_calls');
		}
	});

	it('answers npm run metrics -- --engine duckdb:STORE', async () => {
		const { stdout } = await run(
			process.execPath,
			['--import', 'tsx', 'src/cli/metrics.ts', '--engine', `duckdb:${store}`, '--dataset', 'intervals', '--json'],
			{
				cwd: process.cwd()
			}
		);
		const out = JSON.parse(stdout) as { kind: string; summary: Record<string, number> };
		expect(out.kind).toBe('intervals');
		expect(out.summary.offered).toBe(GENERATED.rows);
	}, 60_000);
});
