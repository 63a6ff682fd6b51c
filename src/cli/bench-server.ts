/**
 * The server half of `npm run bench -- --engine …` (repeatable): one generated file is loaded
 * with `npm run load` into each engine (timed as a user waits for it), the engine is served
 * with `startServer` and the built app, and then
 *  - the five dashboard views are asked over the API at once per department change, as the
 *    Service level page asks them, until the last answer is in (the server's own time);
 *  - the Service level page, opened in Chromium on that server, is timed from the navigation to
 *    its first answers and through the same filter changes as in the tab (filter → repaint).
 * `duckdb:temp` loads into a store in a temp dir; `clickhouse:local` starts two ClickHouse
 * shards on 127.0.0.1 for the run (Debian's clickhouse-server), stopped by PID afterwards.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startServer } from '$lib/server/http';
import { DEFAULT_SETTINGS } from '$lib/metrics/service';
import { intervalFor } from '$lib/metrics/service-view';
import { clickhouseInstalled, CLUSTER_NAME, startCluster, type Cluster } from '$lib/server/clickhouse-cluster';
import { filterSequence, freshBrowser, timeFilterChanges, type FilterTimes, type Launch } from './bench-browser';

const run = promisify(execFile);
const DASHBOARD_VIEWS = ['summary', 'intervals', 'queues', 'agents', 'waits'] as const;

export interface ServerBench {
	spec: string;
	engine: string;
	rows: number;
	loadSeconds: number;
	loadRowsPerSecond: number;
	/** The server's start: its first answers and cubes made in the background (DuckDB), s. */
	preparedSeconds: number;
	/** Each filter change's time to the last of the five answers over the API, ms: asked for the first time, and asked before. */
	apiFirstMs: number[];
	apiAgainMs: number[];
	/** `apiFirstMs` and `apiAgainMs` by the control the change moves (queue, agent, from). */
	apiFirstByControlMs: Record<string, number[]>;
	apiAgainByControlMs: Record<string, number[]>;
	/** The Service level page on this server: navigation → first answers shown, ms. */
	firstAnswersMs: number;
	/** ClickHouse started by the bench: what its query log says of the API's filter changes. */
	statements: StatementProfile | null;
	/** The page's filter changes, as in the tab. */
	page: FilterTimes;
}

/** Runs a command of the project; a failure says the command's own last words, not only that it failed. */
const tsx = (script: string, args: string[], env = process.env) =>
	run(process.execPath, ['--import', 'tsx', script, ...args], { maxBuffer: 64 * 1024 * 1024, env }).catch((error: Error & { stderr?: string }) => {
		const said = (error.stderr ?? '').trim().split('\n').slice(-3).join(' / ');
		throw new Error(`${script} failed: ${said || error.message.split('\n')[0]}`);
	});

/** Generates the file every engine of the run loads: a seed of its own, so a store used before never skips it as loaded. */
export async function serverDataset(dir: string, rows: number): Promise<string> {
	const file = join(dir, `bench-${rows}.csv`);
	await tsx('src/cli/generate.ts', ['--rows', String(rows), '--seed', String(Date.now() % 1e9), '--out', file, '--incident', '2008-05-12 14:28:00']);
	return file;
}

/**
 * The API's filter changes as ClickHouse logged them (`system.query_log` of the shard the server
 * asks, which counts the rows every shard read for it): statements, rows read, time.
 */
export interface StatementProfile {
	statements: number;
	perChange: number;
	readRowsPerChange: number;
	readRowsMost: number;
	msMedian: number;
	msP95: number;
	/** The same by the first table a statement reads (its tier: quarter hours, days, months, or the calls). */
	byTable: { table: string; statements: number; msMedian: number; readRowsMedian: number }[];
}

/** Asks one shard as the bench's writer (it may read the query log), in plain text. */
type ShardSql = (sql: string) => Promise<string>;

async function statementProfile(sql: ShardSql, since: number, changes: number): Promise<StatementProfile> {
	await sql('SYSTEM FLUSH LOGS');
	// The API's statements since `since`: finished, asked of this shard, reading the calls or their aggregates.
	const logged = `FROM system.query_log
WHERE type = 2 AND is_initial_query AND event_time >= toDateTime(${Math.floor(since)}) AND query NOT LIKE '%system.%' AND query LIKE '%calls%'`;
	const [statements, rows, most, median, p95] = (
		await sql(`SELECT count(), sum(read_rows), max(read_rows), quantile(0.5)(query_duration_ms), quantile(0.95)(query_duration_ms)
${logged}
FORMAT TSV`)
	)
		.trim()
		.split('\t')
		.map(Number);
	const byTable = (
		await sql(`SELECT extract(query, 'FROM (calls[a-z_]*)') AS t, count(), quantile(0.5)(query_duration_ms), quantile(0.5)(read_rows)
${logged}
GROUP BY t ORDER BY count() DESC FORMAT TSV`)
	)
		.trim()
		.split('\n')
		.filter(Boolean)
		.map((line) => {
			const [table, n, ms, read] = line.split('\t');
			return { table: table!, statements: Number(n), msMedian: Number(ms), readRowsMedian: Number(read) };
		});
	return {
		statements: statements!,
		perChange: statements! / changes,
		readRowsPerChange: Math.round(rows! / changes),
		readRowsMost: most!,
		msMedian: median!,
		msP95: p95!,
		byTable
	};
}

/** Engines the bench starts itself, empty: any file may be loaded into them. */
export const startsEmpty = (spec: string) => spec === 'duckdb:temp' || spec === 'clickhouse:local';

/** The engine to load into and serve: a given one, or one the bench starts (and stops) itself. */
async function engineFor(spec: string, dir: string): Promise<{ spec: string; env: NodeJS.ProcessEnv; stop(): Promise<void>; sql?: ShardSql }> {
	if (spec === 'duckdb:temp') return { spec: `duckdb:${join(dir, 'bench.duckdb')}`, env: process.env, stop: async () => {} };
	if (spec !== 'clickhouse:local') return { spec, env: process.env, stop: async () => {} };
	if (!clickhouseInstalled()) throw new Error('--engine clickhouse:local needs clickhouse-server (apt-get install clickhouse-server)');
	const cluster: Cluster = await startCluster(2, 'UTC');
	const [s1, s2] = cluster.shards.map((s) => s.url);
	return {
		spec: `clickhouse:${s1}/bench?cluster=${CLUSTER_NAME}&shard=${s1}&shard=${s2}`,
		env: { ...process.env, HOLDLINE_CLICKHOUSE_USER: cluster.writer.username, HOLDLINE_CLICKHOUSE_PASSWORD: cluster.writer.password },
		stop: () => cluster.stop(),
		async sql(sql) {
			const auth = `Basic ${Buffer.from(`${cluster.writer.username}:${cluster.writer.password}`).toString('base64')}`;
			const response = await fetch(`${s1}/`, { method: 'POST', headers: { Authorization: auth }, body: sql });
			const text = await response.text();
			if (!response.ok) throw new Error(`bench: ClickHouse answered ${response.status}: ${text.split('\n')[0]}`);
			return text;
		}
	};
}

export async function benchServer(given: string, file: string, rows: number, changes: number, launch: Launch): Promise<ServerBench> {
	const dir = mkdtempSync(join(tmpdir(), 'holdline-bench-server-'));
	const engine = await engineFor(given, dir);
	try {
		const name = `bench-${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`;
		const t0 = performance.now();
		await tsx('src/cli/load.ts', [file, '--into', engine.spec, ...(engine.spec.startsWith('duckdb:') ? ['--dataset', name] : [])], engine.env);
		const loadSeconds = (performance.now() - t0) / 1000;
		const server = await startServer({ engine: engine.spec, app: 'build', host: '127.0.0.1', port: 0, env: engine.env });
		try {
			const listed = (await (await fetch(`${server.url}/api/datasets`)).json()) as {
				engine: string;
				datasets: { id: string; name: string; rows: number; from: string | null; to: string | null }[];
			};
			const dataset = listed.datasets.find((d) => d.name === name) ?? listed.datasets[0]!;
			if (dataset.rows !== rows)
				console.warn(`bench: the dataset holds ${dataset.rows} calls, not the ${rows} just loaded (give the bench a database of its own)`);
			// The interval the page asks for this dataset (daily over a month), as its chart does.
			const interval = intervalFor(dataset.from, dataset.to);
			// The server's start: DuckDB answers each dataset's first questions and builds its cubes, ClickHouse
			// its menus and wait reach, in the background (src/lib/server/served-views.ts); timed, then the changes below.
			const s0 = performance.now();
			await server.api.prepared;
			const preparedSeconds = (performance.now() - s0) / 1000;
			// The page on the server first, as a user opens it: a fresh profile, then the same changes as in the tab.
			const browser = await freshBrowser(launch);
			let firstAnswersMs: number;
			let times: FilterTimes;
			try {
				const page = await browser.context.newPage();
				const p0 = Date.now();
				await page.goto(`${server.url}/service?ds=${dataset.id}`, { waitUntil: 'commit' });
				await page.waitForSelector('[data-ready="true"]', { timeout: 600_000 });
				firstAnswersMs = Date.now() - p0;
				times = await timeFilterChanges(page, filterSequence(changes));
			} finally {
				await browser.close();
			}
			// Then the API alone: the five dashboard views asked at once per change (department,
			// agent, start time, as the page makes them). The DuckDB server remembers its answers,
			// so a filter asked before (by the page above, or earlier here) is timed apart.
			const ask = async (view: string, filter: Record<string, string>) => {
				const response = await fetch(`${server.url}/api/view`, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json' },
					body: JSON.stringify({ dataset: dataset.id, view, filter, settings: { ...DEFAULT_SETTINGS, interval } })
				});
				if (!response.ok) throw new Error(`bench: ${view} answered ${response.status}: ${await response.text()}`);
				await response.json();
			};
			const asked = new Set(filterSequence(changes).map((c) => JSON.stringify(c.filter)));
			const apiFirstMs: number[] = [];
			const apiAgainMs: number[] = [];
			const apiFirstByControlMs: Record<string, number[]> = {};
			const apiAgainByControlMs: Record<string, number[]> = {};
			const since = engine.sql ? Number((await engine.sql('SELECT toUnixTimestamp(now())')).trim()) : 0;
			for (const change of filterSequence(3 * changes).slice(changes)) {
				const filter = Object.fromEntries(Object.entries(change.filter).filter((e): e is [string, string] => typeof e[1] === 'string'));
				const key = JSON.stringify(change.filter);
				const t = performance.now();
				await Promise.all(DASHBOARD_VIEWS.map((view) => ask(view, filter)));
				const took = performance.now() - t;
				(asked.has(key) ? apiAgainMs : apiFirstMs).push(took);
				((asked.has(key) ? apiAgainByControlMs : apiFirstByControlMs)[change.control.replace('filter-', '')] ??= []).push(took);
				asked.add(key);
			}
			return {
				spec: given,
				engine: listed.engine,
				rows,
				loadSeconds,
				loadRowsPerSecond: Math.round(rows / loadSeconds),
				preparedSeconds,
				apiFirstMs,
				apiAgainMs,
				apiFirstByControlMs,
				apiAgainByControlMs,
				firstAnswersMs,
				page: times,
				statements: engine.sql ? await statementProfile(engine.sql, since, apiFirstMs.length + apiAgainMs.length) : null
			};
		} finally {
			await server.close();
		}
	} finally {
		await engine.stop();
		rmSync(dir, { recursive: true, force: true });
	}
}
