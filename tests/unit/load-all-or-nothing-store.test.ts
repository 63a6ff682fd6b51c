import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDatasets, openStore } from '$lib/server/store';
import { callsAndAbandons, loadFiles, startLoad } from './held-load';

// `npm run load --into duckdb:` killed (SIGKILL) at each stage of a load into an existing
// dataset: the store reads exactly as before (the load's one transaction never committed),
// and the next load completes it without doubling, against the generator's calls counted here.
const FILES = loadFiles(31);
type Name = keyof typeof FILES;
const truth = (names: Name[]) => callsAndAbandons(FILES, names);

describe('npm run load --into duckdb: a load is all or nothing', () => {
	let dir: string;
	let store: string;
	const path = (name: Name) => join(dir, `${name}.csv`);
	const load = (name: Name, holdAt?: string) => startLoad([path(name), '--into', `duckdb:${store}`, '--dataset', 'calls', '--utc-offset', '0'], {}, holdAt);

	/** What serve, metrics and report see: the store's datasets and the dataset's calls per department. */
	async function seen() {
		const opened = await openStore(store, { readOnly: true });
		try {
			const datasets = await listDatasets(opened.engine);
			const rows = await opened.engine.query<{ queue: string; n: number; abandoned: number }>({
				sql: `SELECT queue, count(*) AS n, count(*) FILTER (WHERE outcome = 'abandoned') AS abandoned FROM calls GROUP BY queue ORDER BY queue`,
				params: []
			});
			const files = await opened.engine.query<{ name: string }>({ sql: `SELECT name FROM files ORDER BY name`, params: [] });
			return { datasets, calls: Object.fromEntries(rows.map((r) => [r.queue, [Number(r.n), Number(r.abandoned)]])), files: files.map((f) => f.name) };
		} finally {
			opened.close();
		}
	}

	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'holdline-atomic-store-'));
		store = join(dir, 'store.duckdb');
		for (const name of Object.keys(FILES) as Name[]) writeFileSync(path(name), FILES[name].text);
	});
	afterAll(() => {
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	it('killed after the import, or inside its transaction before COMMIT: the store is as before', async () => {
		const first = await load('a').exited;
		expect(first.code, first.stderr).toBe(0);
		const before = await seen();
		expect(before.calls).toEqual(truth(['a']));
		expect(before.datasets[0]).toMatchObject({ rows: 6000, loads: 1 });
		for (const stage of ['imported', 'before-commit']) {
			const running = load('b', stage);
			await running.held;
			await running.kill();
			expect(await seen(), `killed at ${stage}`).toEqual(before);
		}
	}, 180_000);

	it('the next load completes it without doubling; loading it again is a no-op', async () => {
		const done = await load('b').exited;
		expect(done.code, done.stderr).toBe(0);
		const now = await seen();
		expect(now.calls).toEqual(truth(['a', 'b']));
		expect(now.datasets[0]).toMatchObject({ rows: 11_000, loads: 2 });
		expect(now.files).toEqual(['a.csv', 'b.csv']);
		const again = await load('b').exited;
		expect(again.code).toBe(0);
		expect(again.stdout).toMatch(/already loaded, skipped: .*b\.csv/);
		expect(await seen()).toEqual(now);
	}, 120_000);

	it('killed right after COMMIT (before its checkpoint), the load counts, once', async () => {
		const running = load('c', 'committed');
		await running.held;
		await running.kill();
		const now = await seen();
		expect(now.calls).toEqual(truth(['a', 'b', 'c']));
		expect(now.datasets[0]).toMatchObject({ rows: 14_000, loads: 3 });
		const again = await load('c').exited;
		expect(again.stdout).toMatch(/already loaded, skipped: .*c\.csv/);
		expect(await seen()).toEqual(now);
	}, 120_000);
});
