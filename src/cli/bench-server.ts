/**
 * The server half of `npm run bench -- --engine duckdb:PATH|clickhouse:URL`: loads a freshly
 * generated file with `npm run load` (timed as a user waits for it), serves the engine with
 * `startServer`, and times department changes over the API as the Service level page makes
 * them: the five dashboard views asked at once, until the last answer is in.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startServer } from '$lib/server/http';
import { DEFAULT_SETTINGS } from '$lib/metrics/service';

const run = promisify(execFile);
const DASHBOARD_VIEWS = ['summary', 'intervals', 'queues', 'agents', 'waits'] as const;

export interface ServerBench {
	rows: number;
	loadSeconds: number;
	loadRowsPerSecond: number;
	/** Each department change's time to the last of the five answers, ms. */
	changeMs: number[];
	engine: string;
}

const tsx = (script: string, args: string[]) => run(process.execPath, ['--import', 'tsx', script, ...args], { maxBuffer: 64 * 1024 * 1024, env: process.env });

export async function benchServer(spec: string, rows: number, changes: number, departments: string[]): Promise<ServerBench> {
	const dir = mkdtempSync(join(tmpdir(), 'holdline-bench-server-'));
	try {
		// A seed of its own each run: a file loaded before would be skipped, not timed.
		const file = join(dir, `bench-${rows}.csv`);
		await tsx('src/cli/generate.ts', ['--rows', String(rows), '--seed', String(Date.now() % 1e9), '--out', file, '--incident', '2008-05-12 14:28:00']);
		const name = `bench-${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`;
		const t0 = performance.now();
		await tsx('src/cli/load.ts', [file, '--into', spec, ...(spec.startsWith('duckdb:') ? ['--dataset', name] : [])]);
		const loadSeconds = (performance.now() - t0) / 1000;
		const server = await startServer({ engine: spec, app: null, host: '127.0.0.1', port: 0, env: process.env });
		try {
			const listed = (await (await fetch(`${server.url}/api/datasets`)).json()) as { engine: string; datasets: { id: string; name: string; rows: number }[] };
			const dataset = listed.datasets.find((d) => d.name === name) ?? listed.datasets[0]!;
			if (dataset.rows !== rows)
				console.warn(`bench: the dataset holds ${dataset.rows} calls, not the ${rows} just loaded (give the bench a database of its own)`);
			const ask = async (view: string, queue: string) => {
				const response = await fetch(`${server.url}/api/view`, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json' },
					body: JSON.stringify({ dataset: dataset.id, view, filter: { queue }, settings: { ...DEFAULT_SETTINGS, interval: 60 } })
				});
				if (!response.ok) throw new Error(`bench: ${view} answered ${response.status}: ${await response.text()}`);
				await response.json();
			};
			const changeMs: number[] = [];
			for (let i = 0; i < changes; i++) {
				const queue = departments[i % departments.length]!;
				const t = performance.now();
				await Promise.all(DASHBOARD_VIEWS.map((view) => ask(view, queue)));
				changeMs.push(performance.now() - t);
			}
			return { rows, loadSeconds, loadRowsPerSecond: Math.round(rows / loadSeconds), changeMs, engine: listed.engine };
		} finally {
			await server.close();
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
