import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '$lib/engine/types';
import { DEPARTMENTS, generateFile } from '$lib/synthetic/generate';
import { openServedEngine } from '$lib/server/engines';
import { startServer, type Running } from '$lib/server/http';
import { loadIntoStore } from '$lib/server/load';
import { VIEW_NAMES } from '$lib/server/request';
import { openStore } from '$lib/server/store';
import { openNodeEngine } from '$lib/engine/node';
import { localViews, type AskView } from '$lib/query/named-views';
import { computeReport, type ReportData } from '$lib/report/model';
import { reportTables } from '$lib/report/tables';
import type { ReportSpec } from '$lib/report/spec';
import { importFromDisk, importSettings } from '../../src/cli/shared';
import { expectSameRows } from './same-rows';
import { metrics as metricsRun, report as reportRun } from './cli-run';
import { clickhouseInstalled, startCluster, type Cluster } from '$lib/server/clickhouse-cluster';
import { EMPTY_FILTER, type Filter } from '$lib/filters/filter';

// `serve --engine clickhouse:…` over calls loaded by `npm run load` into two shards, against
// `serve --engine duckdb:…` over the same file: the same rows for every named view.
const installed = clickhouseInstalled();
if (!installed) console.warn('serve over ClickHouse tests skipped: /usr/sbin/clickhouse-server is not installed (apt-get install clickhouse-server)');

const run = promisify(execFile);
const truth = generateFile({ rows: 4000, seed: 5, start: '2024-03-04', incident: '2024-03-04 14:28:00', completeShare: 0.6 }, 'csv');
const SETTINGS = {
	thresholdS: 30,
	shortAbandonS: 8,
	variant: 'exclude_short',
	interval: 30,
	onset: '2024-03-04 14:28:00',
	end: '2024-03-04 14:40:00',
	longS: 120
};
const FILTERS: [string, Partial<Filter>][] = [
	['none', {}],
	['department and time', { queue: DEPARTMENTS[1]!, from: '2024-03-04 08:00:00', to: '2024-03-04 18:00:00' }],
	['outcome', { outcome: 'abandoned' }],
	['hostile value', { queue: "x' OR 1=1 --\\'" }]
];

interface Answer {
	status: number;
	json: { rows?: Row[]; error?: { code: string; message: string } };
}
async function post(server: Running, body: unknown): Promise<Answer> {
	const response = await fetch(`${server.url}/api/view`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
	return { status: response.status, json: (await response.json()) as Answer['json'] };
}

describe.skipIf(!installed)('npm run serve --engine clickhouse: over a two-shard cluster', () => {
	let cluster: Cluster;
	let dir: string;
	let file: string;
	let chServer: Running;
	let duckServer: Running;
	let loadOutput: string;
	let into: string;
	const ids = { ch: '', duck: '' };
	/** What each server was started with, for `npm run report --engine`. */
	const engines = { ch: '', duck: '' };

	beforeAll(async () => {
		cluster = await startCluster();
		dir = mkdtempSync(join(tmpdir(), 'holdline-serve-ch-'));
		file = join(dir, 'calls.csv');
		writeFileSync(file, truth.text);
		const [s1, s2] = cluster.shards.map((s) => s.url);
		// The load command, as a user runs it, as the writer.
		const env = { ...process.env, HOLDLINE_CLICKHOUSE_USER: cluster.writer.username, HOLDLINE_CLICKHOUSE_PASSWORD: cluster.writer.password };
		into = `clickhouse:${s1}/hl?cluster=holdline&shard=${s1}&shard=${s2}`;
		loadOutput = (await run(process.execPath, ['--import', 'tsx', 'src/cli/load.ts', file, '--into', into, '--utc-offset', '0'], { env })).stdout;
		// The server asks the shard it loaded into, as the read-only user.
		const reader = `${encodeURIComponent(cluster.reader.username)}:${encodeURIComponent(cluster.reader.password)}`;
		engines.ch = `clickhouse:${s1!.replace('//', `//${reader}@`)}/hl`;
		chServer = await startServer({ engine: engines.ch, app: null, host: '127.0.0.1', port: 0 });
		// The same file in a DuckDB store, served the same way.
		const store = join(dir, 'store.duckdb');
		const writer = await openStore(store, { readOnly: false });
		const loaded = await loadIntoStore(writer.engine, [file], 'march', (files, table) =>
			importFromDisk(writer.engine, importSettings({ 'utc-offset': '0' }, files), table)
		);
		writer.close();
		engines.duck = `duckdb:${store}`;
		duckServer = await startServer({ engine: engines.duck, app: null, host: '127.0.0.1', port: 0 });
		ids.duck = loaded.dataset.id;
		ids.ch = ((await (await fetch(`${chServer.url}/api/datasets`)).json()) as { datasets: { id: string }[] }).datasets[0]!.id;
	}, 180_000);

	afterAll(async () => {
		await chServer?.close();
		await duckServer?.close();
		await cluster?.stop();
		if (dir) rmSync(dir, { recursive: true, force: true });
	}, 180_000); // a shard may take over 10 s to stop, and its data over a minute to delete, on a busy machine

	it('lists the loaded database as a dataset, as the DuckDB store lists the same file', async () => {
		expect(loadOutput).toMatch(/^4\d{3} calls from .*calls\.csv .* loaded into/m);
		const [ch, duck] = await Promise.all(
			[chServer, duckServer].map(async (s) => (await fetch(`${s.url}/api/datasets`)).json() as Promise<{ engine: string; datasets: Record<string, unknown>[] }>)
		);
		expect(ch!.engine).toBe('clickhouse');
		expect(duck!.engine).toBe('duckdb');
		expect(ch!.datasets).toHaveLength(1);
		const [a, b] = [ch!.datasets[0]!, duck!.datasets[0]!];
		expect(a.id).toMatch(/^ds_[0-9a-f]{12}$/);
		expect(a.name).toBe('hl');
		expect(a.rows).toBe(truth.calls.length);
		for (const key of ['rows', 'from', 'to', 'files', 'fileSizes', 'bytes', 'format', 'synthetic', 'skipped', 'quality', 'loads'])
			expect(a[key], key).toEqual(b[key]);
		expect(a.bytes).toBe(Buffer.byteLength(truth.text));
	});

	it('answers every named view with the DuckDB server’s rows, for each filter', async () => {
		for (const [name, filter] of FILTERS) {
			// The agent events are a queue_log's, kept by DuckDB imports only (the dataset here is a CSV of calls).
			for (const view of VIEW_NAMES.filter((n) => n !== 'agentEvents')) {
				const body = (dataset: string) => ({ dataset, view, filter, settings: SETTINGS });
				const [ch, duck] = await Promise.all([post(chServer, body(ids.ch)), post(duckServer, body(ids.duck))]);
				const what = `${view}, filter ${name}`;
				expect([ch.status, duck.status], `${what}: ${ch.json.error?.message ?? ''}`).toEqual([200, 200]);
				// The generated CSV has no callers' numbers: nobody to call back (clickhouse.test.ts gives its calls some).
				if (name === 'none' && view !== 'callbacks') expect(duck.json.rows!.length, `${what}: rows to compare`).toBeGreaterThan(0);
				expectSameRows(ch.json.rows!, duck.json.rows!, what);
			}
		}
		// Settings the pre-aggregate holds (T 30 s, S 5 s): the views it answers, from it, are the same rows.
		for (const [name, filter] of FILTERS)
			for (const view of ['summary', 'intervals', 'queues', 'reportQueues'] as const) {
				const body = (dataset: string) => ({ dataset, view, filter, settings: { ...SETTINGS, shortAbandonS: 5, interval: 15 } });
				const [ch, duck] = await Promise.all([post(chServer, body(ids.ch)), post(duckServer, body(ids.duck))]);
				expect([ch.status, duck.status], `${view}, filter ${name}, held settings`).toEqual([200, 200]);
				expectSameRows(ch.json.rows!, duck.json.rows!, `${view}, filter ${name}, held settings`);
			}
		// The hostile value is a value: no calls match it.
		const hostile = await post(chServer, { dataset: ids.ch, view: 'summary', filter: FILTERS[3]![1], settings: SETTINGS });
		expect(hostile.json.rows![0]!.volume).toBe(0);
	}, 120_000);

	it('counts per department what a row-by-row count of the generated calls finds', async () => {
		const { json } = await post(chServer, { dataset: ids.ch, view: 'queues', filter: EMPTY_FILTER });
		for (const queue of DEPARTMENTS) {
			const calls = truth.calls.filter((c) => c.queue === queue);
			const row = json.rows!.find((r) => r.key === queue)!;
			expect(row.volume).toBe(calls.length);
			expect(row.abandoned).toBe(calls.filter((c) => c.outcome === 'abandoned').length);
		}
	});

	it('npm run metrics --engine asks the cluster: per department what a row-by-row count finds, and the DuckDB store’s figures', async () => {
		// The command in this process (cli-run.ts): the same arguments and output as `npm run metrics`.
		const metrics = async (engine: string) =>
			JSON.parse((await metricsRun('--engine', engine, '--by', 'department', '--onset', '2024-03-04 14:28:00', '--json')).stdout) as {
				rows: number;
				summary: Row;
				by_department: Row[];
				incident: Row;
			};
		const [ch, duck] = [await metrics(engines.ch), await metrics(engines.duck)];
		expect(ch.rows).toBe(truth.calls.length);
		for (const queue of DEPARTMENTS) {
			const calls = truth.calls.filter((c) => c.queue === queue);
			const row = ch.by_department.find((r) => r.key === queue)!;
			expect([row.volume, row.abandoned], queue).toEqual([calls.length, calls.filter((c) => c.outcome === 'abandoned').length]);
		}
		expectSameRows([ch.summary], [duck.summary], 'summary');
		expectSameRows(ch.by_department, duck.by_department, 'by department');
		expectSameRows([ch.incident], [duck.incident], 'incident window');
	}, 60_000);

	it('refuses what the DuckDB server refuses', async () => {
		const refusals: [unknown, number, string][] = [
			[{ dataset: ids.ch, view: 'summary; DROP TABLE calls' }, 400, 'unknown_view'],
			[{ dataset: ids.ch, view: 'summary', sql: 'SELECT 1' }, 400, 'unknown_field'],
			[{ dataset: ids.ch, view: 'summary', filter: { from: '2024-02-30 10:00' } }, 400, 'invalid_value'],
			[{ dataset: ids.ch, view: 'summary', filter: { queue: 'x'.repeat(20_000) } }, 413, 'too_large'],
			[{ dataset: 'ds_nosuchone', view: 'summary' }, 404, 'unknown_dataset']
		];
		for (const [body, status, code] of refusals) {
			const { status: got, json } = await post(chServer, body);
			expect([got, json.error?.code], JSON.stringify(body).slice(0, 60)).toEqual([status, code]);
		}
	});

	it('computes the report over either server with the tables it has in-process over the same file', async () => {
		const spec: ReportSpec = {
			// The generated calls fill one day; the day before (the previous period) has none.
			from: '2024-03-04',
			to: '2024-03-04',
			queues: [DEPARTMENTS[0]!, DEPARTMENTS[2]!],
			by: 'day',
			settings: { thresholdS: 30, shortAbandonS: 8, variant: 'exclude_short' },
			goal: 0.8,
			onset: '2024-03-04 14:28:00',
			end: '2024-03-04 14:40:00'
		};
		const source = { name: 'calls.csv', files: ['calls.csv'], format: 'synthetic', rows: truth.calls.length, from: null, to: null };
		const overHttp =
			(server: Running): AskView =>
			async (request) => {
				const { status, json } = await post(server, request);
				if (status !== 200) throw new Error(`${request.view}: ${status} ${json.error?.message}`);
				return json.rows as never[];
			};
		const engine = await openNodeEngine();
		await importFromDisk(engine, importSettings({ 'utc-offset': '0' }, [file]), 'calls_here');
		const tables = (data: ReportData) => reportTables({ ...data, generatedAt: '' }, 'en');
		for (const by of ['day', 'week'] as const) {
			const here = await computeReport(
				localViews((q) => engine.query(q), 'calls_here'),
				'calls_here',
				{ ...spec, by },
				source,
				null
			);
			expect(Number(here.summary.volume), 'calls in the period').toBeGreaterThan(0);
			expect(here.extra.map((x) => x.id)).toEqual(['staffing']);
			expect(here.incident, 'the onset falls inside the period').not.toBeNull();
			for (const [name, server, id] of [
				['DuckDB server', duckServer, ids.duck],
				['ClickHouse', chServer, ids.ch]
			] as const) {
				const there = await computeReport(overHttp(server), id, { ...spec, by }, source, null);
				const expected = tables(here);
				const actual = tables(there);
				expect(actual.map((x) => x.id)).toEqual(expected.map((x) => x.id));
				expected.forEach((table, i) => expectSameRows(actual[i]!.rows, table.rows, `${name}, by ${by}: ${table.id}`));
				for (const key of ['summary', 'previousSummary', 'waits'] as const)
					expectSameRows([there[key]].flat() as unknown as Row[], [here[key]].flat() as unknown as Row[], `${name}, by ${by}: ${key}`);
				expectSameRows(there.extra[0]!.rows, here.extra[0]!.rows, `${name}, by ${by}: staffing`);
			}
			if (by === 'week') continue;
			// The command line asks the engine itself (no server between), with the same views.
			for (const engine of [engines.duck, engines.ch]) {
				const out = join(dir, 'report.json');
				const args = ['--from', spec.from, '--to', spec.to, '--dept', spec.queues[0]!, '--dept', spec.queues[1]!, '--threshold', '30', '--short-abandon', '8'];
				// In this process (cli-run.ts), as `npm run report` with the same arguments.
				await reportRun('--engine', engine, ...args, '--variant', 'exclude_short', '--onset', spec.onset!, '--end', spec.end!, '--out', out);
				const printed = JSON.parse(readFileSync(out, 'utf8')) as ReportData;
				// The figures; the quality report and the source are the dataset's own there.
				const figures = (data: ReportData) => tables(data).filter((x) => !['quality', 'definitions'].includes(x.id));
				const expected = figures(here);
				expect(figures(printed).map((x) => x.id)).toEqual(expected.map((x) => x.id));
				figures(printed).forEach((table, i) => expectSameRows(table.rows, expected[i]!.rows, `report --engine ${engine.slice(0, 10)}: ${table.id}`));
			}
		}
	}, 180_000);

	it('asks read-only, even as a user that may write', async () => {
		const [s1] = cluster.shards.map((s) => s.url);
		const writer = `${cluster.writer.username}:${cluster.writer.password}`;
		const served = await openServedEngine(`clickhouse:${s1!.replace('//', `//${writer}@`)}/hl`, 1);
		try {
			// The load made the pre-aggregates, and serve found them.
			expect(served.aggregate).toEqual({
				slots: 'calls_agg',
				service: { slots: 'calls_agg', days: 'calls_agg_day', months: 'calls_agg_month' },
				detail: { slots: 'calls_detail', days: 'calls_detail_day', months: 'calls_detail_month' },
				waits: { slots: 'calls_waits', days: 'calls_waits_day', months: 'calls_waits_month' },
				agentWaits: { slots: 'calls_agent_waits', days: 'calls_agent_waits_day', months: 'calls_agent_waits_month' }
			});
			await expect(served.connections[0]!.query({ sql: `INSERT INTO calls_agg_local (queue) VALUES ('x')`, params: [] })).rejects.toThrow(/readonly/i);
			await expect(served.connections[0]!.query({ sql: `INSERT INTO calls_local (call_id) VALUES ('x')`, params: [] })).rejects.toThrow(/readonly/i);
		} finally {
			await served.close();
		}
	});

	it('a shard that is down gives a clear JSON error, not a partial answer', async () => {
		await cluster.stopShard(1);
		try {
			// A question not asked before (one asked before is answered from memory while the loads are the same).
			const { status, json } = await post(chServer, { dataset: ids.ch, view: 'summary', filter: { queue: DEPARTMENTS[2]!, outcome: 'abandoned' } });
			expect(status).toBe(502);
			expect(json.error!.code).toBe('engine_error');
			expect(json.error!.message).toMatch(/^ClickHouse at http:\/\/127\.0\.0\.1:\d+\/hl: All connection tries failed\. \(code 279\)$/);
		} finally {
			await cluster.startShard(1);
		}
	}, 60_000);

	// Last: it loads a second file into the cluster.
	it('remembers an answer while the loads are the same; a new load is answered at once, as a server started after it answers', async () => {
		const question = { dataset: ids.ch, view: 'queues', filter: { outcome: 'answered' } };
		const first = await post(chServer, question);
		expect(first.status).toBe(200);
		const fromMemory = chServer.api.diagnostics().fromMemory;
		const again = await post(chServer, question);
		expect(chServer.api.diagnostics().fromMemory).toBe(fromMemory + 1);
		expect(again.json.rows).toEqual(first.json.rows);

		const more = join(dir, 'more.csv');
		writeFileSync(
			more,
			generateFile({ rows: 600, seed: 9, start: '2024-03-11', incident: '2024-03-11 10:00:00', completeShare: 0.6 }, 'csv').text.replaceAll('SYN', 'MOR')
		);
		const env = { ...process.env, HOLDLINE_CLICKHOUSE_USER: cluster.writer.username, HOLDLINE_CLICKHOUSE_PASSWORD: cluster.writer.password };
		await run(process.execPath, ['--import', 'tsx', 'src/cli/load.ts', more, '--into', into, '--utc-offset', '0'], { env });

		const after = await post(chServer, question);
		expect(chServer.api.diagnostics().fromMemory).toBe(fromMemory + 1);
		expect(after.json.rows).not.toEqual(first.json.rows);
		const fresh = await startServer({ engine: engines.ch, app: null, host: '127.0.0.1', port: 0 });
		try {
			expect(after.json.rows).toEqual((await post(fresh, question)).json.rows);
		} finally {
			await fresh.close();
		}
	}, 120_000);
});
