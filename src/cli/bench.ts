/**
 * npm run bench -- [--sizes 100000,1000000] [--filter-sizes 1000000] [--runs 5] [--changes 50]
 *                  [--engine duckdb:PATH|duckdb:temp|clickhouse:URL|clickhouse:local]… [--server-rows 1000000]
 * npm run bench -- --tab-import 10000000[,…]   only the import on the Import page, with its peak memory
 *                  (bench-tab-import.ts; writes bench/results-tab-import.json); --build DIR measures another build
 *
 * Measures the built app in headless Chromium (Debian's, driven by playwright-core) and the
 * same ingest and queries in native DuckDB on the same files; with --engine (repeatable), also
 * each server: `npm run load` of one generated file into it, department changes over `serve`'s
 * API, and the Service level page over it in Chromium (bench-server.ts). Per size it also times saving the dataset in browser storage, its
 * stored size, and a reload in a new tab (to the first answer, remembered from the first visit;
 * to the engine started; to the stored copy attached for new questions), with the peak
 * memory of Chromium's processes. Prints a table and writes bench/results.json. It reports, it
 * never fails on a time.
 */
import { CHROMIUM_PATH } from '$lib/server/chromium';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir, cpus, totalmem, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startStaticServer } from '$lib/server/static-server';
import { DuckDBInstance } from '@duckdb/node-api';
import { DEFAULT_SETTINGS, waitReachQuery, type IntervalSize } from '$lib/metrics/service';
import { DUCKDB } from '$lib/sql/dialect-duckdb';
import { DASHBOARD_VIEWS, renderView } from '$lib/metrics/views/registry';
import { viewSettings } from '$lib/metrics/views/spec';
import { intervalFor } from '$lib/metrics/service-view';
import type { Query } from '$lib/engine/types';
import { benchServer, serverDataset, startsEmpty } from './bench-server';
import { importFromDisk, importSettings } from './shared';
import { nativeEngine } from '$lib/engine/native';
import {
	dragSummary,
	dragText,
	dragTimeChart,
	filterSequence,
	freshBrowser,
	launcher,
	longestFrameCause,
	longFrames,
	longTasks,
	rssSampler,
	startImport,
	timeFilterChanges
} from './bench-browser';
import { preparePeer, timeMosaic } from './bench-mosaic';
import { benchVisits } from './bench-visits';
import { benchLive } from './bench-live';
import { benchTabImport, tabImportRows } from './bench-tab-import';
import type { Filter } from '$lib/filters/filter';

const { values } = parseArgs({
	options: {
		sizes: { type: 'string', default: '100000,1000000' },
		'filter-sizes': { type: 'string', default: '1000000' },
		runs: { type: 'string', default: '5' },
		changes: { type: 'string', default: '50' },
		chromium: { type: 'string', default: CHROMIUM_PATH },
		engine: { type: 'string', multiple: true },
		'server-rows': { type: 'string', default: '1000000' },
		peer: { type: 'string', multiple: true },
		'tab-import': { type: 'string' },
		build: { type: 'string', default: 'build' }
	}
});
const peers = values.peer ?? [];
for (const peer of peers) if (peer !== 'mosaic') throw new Error(`--peer takes mosaic, not ${peer}`);
// The peer's packages first: a failed install or build is known before the long part.
let peerFailure: string | null = null;
if (peers.includes('mosaic'))
	try {
		preparePeer();
	} catch (error) {
		peerFailure = (error as Error).message.split('\n')[0]!;
	}
const engines = values.engine ?? [];
for (const spec of engines)
	if (!/^(duckdb|clickhouse):./.test(spec)) throw new Error(`--engine takes duckdb:PATH, duckdb:temp, clickhouse:URL or clickhouse:local, not ${spec}`);
const sizes = values
	.sizes!.split(',')
	.map(Number)
	.filter((n) => n > 0);
const filterSizes = values['filter-sizes']!.split(',')
	.map(Number)
	.filter((n) => sizes.includes(n));
const runs = Math.max(1, Number(values.runs));
const changes = Math.max(5, Number(values.changes));
interface Stat {
	median: number;
	p95: number;
	n: number;
}
function stat(xs: number[]): Stat {
	const s = [...xs].sort((a, b) => a - b);
	const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? NaN;
	return { median: at(0.5), p95: at(0.95), n: s.length };
}

// ---- data -----------------------------------------------------------------------------
const dataDir = join(tmpdir(), 'holdline-bench');
mkdirSync(dataDir, { recursive: true });
function dataset(rows: number): string {
	const file = join(dataDir, `synthetic-${rows}.csv`);
	if (!existsSync(file))
		execFileSync(
			process.execPath,
			['--import', 'tsx', 'src/cli/generate.ts', '--rows', String(rows), '--seed', '1', '--out', file, '--incident', '2008-05-12 14:28:00'],
			{ stdio: 'inherit' }
		);
	return file;
}

// ---- browser ---------------------------------------------------------------------------
// Another build may be measured (`--build DIR`: an earlier version's, for a before-and-after on the same machine).
const buildDir = values.build!;
if (!existsSync(join(buildDir, 'index.html'))) throw new Error(`${buildDir}/ is missing: run \`npm run build\` first.`);
// The app as `npm start` serves it: precompressed, with its caching headers.
const server = await startStaticServer({ root: buildDir });
const base = server.url;

const launch = launcher(values.chromium);

// The import alone, at the sizes asked for: whether the tab holds it, its time and peak memory.
const tabImports = (values['tab-import'] ?? '')
	.split(',')
	.map(Number)
	.filter((n) => n > 0);
if (tabImports.length) {
	const found = [];
	for (const rows of tabImports) {
		const result = await benchTabImport(launch, base, dataset(rows), rows);
		found.push(result);
		for (const row of tabImportRows(result)) console.log(row.filter(Boolean).join('  '));
	}
	mkdirSync('bench', { recursive: true });
	writeFileSync(
		'bench/results-tab-import.json',
		JSON.stringify(
			{ machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 1024 ** 3) }, date: new Date().toISOString(), imports: found },
			null,
			2
		) + '\n'
	);
	await server.close();
	process.exit(0);
}

const results: Record<string, unknown> = {
	machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 1024 ** 3), node: process.version, loadAverageAtStart: loadavg() },
	date: new Date().toISOString()
};
const table: [string, string, string, string][] = [];
// The time chart's drag row, its last column left for the Mosaic page's drag (measured later, printed beside it).
let dragRow: [string, string, string, string] | null = null;
const ms = (x: number) => `${x.toFixed(0)} ms`;

// Cold start: a fresh profile each run (no HTTP or compiled-wasm cache).
{
	const firstKpi: number[] = [];
	for (let i = 0; i < runs; i++) {
		const { context, close } = await freshBrowser(launch);
		const page = await context.newPage();
		await page.goto(`${base}/`, { waitUntil: 'commit' });
		// The paint of the first KPI's number (Element Timing), not merely its presence in the DOM.
		const painted = await page.waitForFunction(
			() => {
				const el = document.querySelector('[data-testid="kpi-in-progress"]');
				const at = (window as unknown as { __painted: Record<string, number> }).__painted['kpi-in-progress'];
				return el && el.textContent && el.textContent.trim() !== '…' && at ? at : false;
			},
			null,
			{ polling: 'raf', timeout: 60_000 }
		);
		firstKpi.push(Number(await painted.jsonValue()));
		await close();
	}
	results.coldStart = { firstKpiMs: stat(firstKpi) };
	table.push(['cold start: first KPI visible', ms(stat(firstKpi).median), ms(stat(firstKpi).p95), '']);
}

// Visits: bytes transferred first and again, the first filter, the database's start cold and again.
{
	const visits = await benchVisits(server, launch, runs);
	const mb = (bytes: number) => (bytes < 100_000 ? `${(bytes / 1e3).toFixed(1)} kB` : `${(bytes / 1e6).toFixed(2)} MB`);
	const spread = (xs: number[], unit: (x: number) => string) => `${unit(Math.min(...xs))}–${unit(Math.max(...xs))} over ${xs.length}`;
	results.visits = {
		bytes: Object.fromEntries(Object.entries(visits.bytes).map(([path, v]) => [path, { cold: stat(v.cold), warm: stat(v.warm) }])),
		firstFilterMs: stat(visits.firstFilterMs),
		databaseReadyMs: { cold: stat(visits.databaseReadyMs.cold), warm: stat(visits.databaseReadyMs.warm) }
	};
	(results.coldStart as Record<string, unknown>).databaseReadyMs = stat(visits.databaseReadyMs.cold);
	for (const [path, v] of Object.entries(visits.bytes)) {
		table.push([`first visit ${path}: bytes transferred`, mb(stat(v.cold).median), spread(v.cold, mb), '']);
		table.push([`repeat visit ${path}: bytes transferred`, mb(stat(v.warm).median), spread(v.warm, mb), '']);
	}
	table.push(['cold visit /: first filter answered', ms(stat(visits.firstFilterMs).median), spread(visits.firstFilterMs, ms), '']);
	for (const kind of ['cold', 'warm'] as const) {
		const xs = visits.databaseReadyMs[kind];
		table.push([`${kind === 'cold' ? 'first' : 'repeat'} visit /import: database ready`, ms(stat(xs).median), spread(xs, ms), '']);
	}
}

// ---- native DuckDB: the same ingest SQL and the same queries ------------------------------
/**
 * The same import in native DuckDB: the app's pipeline (pieces, staging, checks, assembly,
 * review, order) through `importFromDisk`, as `npm run metrics` and `load` run it, on an
 * in-memory database with DuckDB's default threads. (It once ran the staging and assembly SQL
 * alone, about 5 s of the browser's 15 s left out: the checks, review and ordering.)
 */
async function nativeIngest(file: string) {
	const engine = await nativeEngine(await DuckDBInstance.create(':memory:'));
	const t0 = performance.now();
	await importFromDisk(engine, importSettings({}, [file]), 'calls');
	const seconds = (performance.now() - t0) / 1000;
	return { engine, seconds };
}
type NativeImport = Awaited<ReturnType<typeof nativeIngest>>;
async function nativeRun(native: NativeImport, q: Query) {
	await native.engine.query(q);
}
// The page's own five charts by name, asked of the calls table (default settings, the page's interval).
const viewQueries = (table: string, f: Filter, interval: Exclude<IntervalSize, 'week'>, waitReachS: number | null): Query[] =>
	DASHBOARD_VIEWS.map((view) =>
		renderView({ dataset: table, view, filter: f, settings: viewSettings(DEFAULT_SETTINGS, { interval }) }, table, DUCKDB, [{ reach_s: waitReachS }])
	);
/** The interval the page charts this dataset in when none is chosen: from its first and last arrival. */
async function nativeInterval(native: NativeImport): Promise<Exclude<IntervalSize, 'week'>> {
	const [row] = await native.engine.query<{ first: string | null; last: string | null }>({
		sql: `SELECT strftime(min(arrival), '%Y-%m-%d %H:%M:%S') AS first, strftime(max(arrival), '%Y-%m-%d %H:%M:%S') AS last FROM calls`,
		params: []
	});
	return intervalFor(row?.first, row?.last);
}
/** The dataset's wait reach, asked once as the page does. */
async function nativeWaitReach(native: NativeImport): Promise<number | null> {
	const [row] = await native.engine.query<{ reach_s: number | null }>(waitReachQuery('calls'));
	return row?.reach_s == null ? null : Number(row.reach_s);
}
for (const rows of sizes) {
	const file = dataset(rows);
	const mb = statSync(file).size / 1024 ** 2;
	const { context, close, profile } = await freshBrowser(launch);
	const peakRss = rssSampler(profile);
	let page = await context.newPage();
	await page.goto(`${base}/import`);
	await page.getByTestId('import-input').setInputFiles(file);
	await page.getByTestId('import-start').waitFor();
	// Whether the page said, before the import, that the tab may not hold it (src/lib/imports/tab-fit.ts).
	const warnedBefore = await page
		.getByTestId('import-too-large')
		.waitFor({ timeout: 3000 })
		.then(
			() => true,
			() => false
		);
	// The database starts when the page opens; time the import itself.
	await page.waitForFunction(() => document.documentElement.dataset.database === 'ready', null, { timeout: 120_000 });
	await longTasks(page);
	await longFrames(page);
	const heap: number[] = [];
	const sampler = setInterval(
		() =>
			void page
				.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0)
				.then((h) => heap.push(h))
				.catch(() => {}),
		250
	);
	const t0 = Date.now();
	const reached = await startImport(page, 1_800_000, 50);
	if (reached !== 0) {
		// Reported, not thrown: what the page said when the import failed or ran out of time.
		const said =
			(await page
				.locator('[data-testid="import-error"], .progress')
				.first()
				.textContent()
				.catch(() => '')) ?? '';
		clearInterval(sampler);
		const failed = {
			rows,
			megabytes: Number(mb.toFixed(1)),
			failedAfterSeconds: (Date.now() - t0) / 1000,
			pageSaid: said.trim(),
			warnedBefore,
			peakBrowserMemoryMB: Math.round(peakRss() / 1024 ** 2)
		};
		(results.imports ??= [] as unknown[]) as unknown[];
		(results.imports as unknown[]).push(failed);
		table.push([
			`import ${rows.toLocaleString('en')} rows (${mb.toFixed(0)} MB)`,
			'failed',
			`${warnedBefore ? 'warned before it started; ' : 'no warning before it started; '}after ${failed.failedAfterSeconds.toFixed(0)} s: ${failed.pageSaid}`,
			''
		]);
		await close();
		continue;
	}
	const ingest = (Date.now() - t0) / 1000;
	const importLong = await longTasks(page);
	const importLongCause = longestFrameCause(await longFrames(page));
	await page.getByTestId('import-done').waitFor({ timeout: 1_200_000 });
	const total = (Date.now() - t0) / 1000;
	clearInterval(sampler);
	const savingLong = await longTasks(page);
	const storedBytes = await page.evaluate(async () => {
		const dir = await navigator.storage.getDirectory();
		let bytes = 0;
		for await (const [name, handle] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries())
			if (handle.kind === 'file' && name.endsWith('.duckdb')) bytes += (await (handle as FileSystemFileHandle).getFile()).size;
		return bytes;
	});
	const databaseBytes = Number(
		await page
			.getByTestId('import-memory')
			.getAttribute('data-bytes')
			.catch(() => 0)
	);
	// Native first: the reopened page below builds its filter indexes from its first answer on, timed.
	const native = await nativeIngest(file);
	// Reload: a new tab (a new engine) opens the dataset from its stored copy; timed from the
	// navigation to the first answer on the Service level page. As a user would have, the
	// dataset was viewed once after importing, which keeps its first answers beside its copy.
	const id = await page.evaluate(() => JSON.parse(localStorage.getItem('holdline.datasets') ?? '[]')[0]?.id as string);
	await page.getByTestId('import-view').click(); // the same tab and engine, as from the Import page
	await page.waitForSelector('[data-ready="true"]', { timeout: 600_000 });
	// Written once the page is idle: wait for the whole file (every line parses once it is closed).
	const answersKept = () =>
		page.evaluate(async (name) => {
			try {
				const file = await (await (await navigator.storage.getDirectory()).getFileHandle(name)).getFile();
				return (await file.text()).split('\n').map((line) => JSON.parse(line) as unknown).length > 1;
			} catch {
				return false;
			}
		}, `${id}.answers.json`);
	for (const until = Date.now() + 600_000; !(await answersKept()) && Date.now() < until;) await page.waitForTimeout(200);
	await page.close();
	page = await context.newPage();
	const r0 = Date.now();
	const since = (what: Promise<unknown>) => what.then(() => (Date.now() - r0) / 1000);
	await page.goto(`${base}/service?ds=${id}`, { waitUntil: 'commit' });
	// Three moments of a reopening: the first answer (remembered ones need no engine), the
	// engine started (the wasm compiled, the story loaded), and the dataset's copy attached.
	const [reloadSeconds, reloadEngineSeconds, reloadOpenSeconds] = await Promise.all([
		since(page.waitForSelector('[data-ready="true"]', { timeout: 600_000 })),
		since(page.waitForFunction(() => document.documentElement.dataset.database === 'ready', null, { timeout: 600_000, polling: 50 })),
		since(page.waitForFunction((ds) => document.documentElement.dataset.datasetOpen === ds, id, { timeout: 600_000, polling: 50 }))
	]);
	const entry: Record<string, unknown> = {
		rows,
		megabytes: Number(mb.toFixed(1)),
		warnedBefore,
		browserIngestSeconds: ingest,
		browserTotalSecondsWithSaving: total,
		rowsPerSecond: Math.round(rows / ingest),
		megabytesPerSecond: Number((mb / ingest).toFixed(1)),
		peakJsHeapMB: Math.round(Math.max(0, ...heap) / 1024 ** 2),
		databaseMemoryMB: Math.round(databaseBytes / 1024 ** 2),
		longestTaskDuringImportMs: Math.round(Math.max(0, ...importLong)),
		longestTaskDuringImportCause: importLongCause,
		savingSeconds: Number((total - ingest).toFixed(2)),
		longestTaskDuringSavingMs: Math.round(Math.max(0, ...savingLong)),
		storedMB: Number((storedBytes / 1024 ** 2).toFixed(1)),
		reloadToFirstAnswerSeconds: reloadSeconds,
		reloadEngineStartSeconds: reloadEngineSeconds,
		reloadDatasetOpenSeconds: reloadOpenSeconds,
		nativeIngestSeconds: Number(native.seconds.toFixed(2)),
		ratio: Number((ingest / native.seconds).toFixed(2))
	};
	table.push([
		`import ${rows.toLocaleString('en')} rows (${mb.toFixed(0)} MB)`,
		`${ingest.toFixed(2)} s`,
		`${Math.round(rows / ingest).toLocaleString('en')} rows/s · ${(mb / ingest).toFixed(1)} MB/s · heap ${entry.peakJsHeapMB} MB · wasm db ${entry.databaseMemoryMB} MB · longest task ${entry.longestTaskDuringImportMs} ms${importLongCause ? ` (${importLongCause})` : ''}`,
		`native ${native.seconds.toFixed(2)} s (×${entry.ratio})`
	]);

	table.push([
		`  … saved in the browser, reopened`,
		`${entry.savingSeconds} s`,
		`stored ${entry.storedMB} MB · longest task while saving ${entry.longestTaskDuringSavingMs} ms · new tab: first answer ${reloadSeconds.toFixed(2)} s (${reloadSeconds < reloadEngineSeconds ? 'remembered, before the engine' : 'from the engine'}), engine started ${reloadEngineSeconds.toFixed(2)} s, dataset open for new questions ${reloadOpenSeconds.toFixed(2)} s`,
		''
	]);

	if (filterSizes.includes(rows)) {
		// The reopened page: its answers come from the stored copy, read in place.
		// Cubes for the department, agent and time filters are built in the background once
		// the page has its first answers; the changes below are timed once they are in.
		const indexStart = Date.now();
		await page.waitForSelector('[data-indexed="true"]', { timeout: 600_000 });
		entry.indexSeconds = (Date.now() - indexStart) / 1000;
		const seq = filterSequence(changes);
		const { repaint, byControl, longTasks: filterLongAll, prepared, preparingLongTasks } = await timeFilterChanges(page, seq);
		const nativeTimes: number[] = [];
		const waitReach = await nativeWaitReach(native);
		const interval = await nativeInterval(native);
		for (const { filter } of seq) {
			const t = performance.now();
			for (const q of viewQueries('calls', filter, interval, waitReach)) await nativeRun(native, q);
			nativeTimes.push(performance.now() - t);
		}
		const b = stat(repaint);
		const n = stat(nativeTimes);
		entry.filterToRepaintMs = b;
		entry.filterToRepaintByControlMs = Object.fromEntries(Object.entries(byControl).map(([control, xs]) => [control.replace('filter-', ''), stat(xs)]));
		entry.nativeQueriesPerChangeMs = n;
		entry.longestTaskDuringFiltersMs = Math.round(Math.max(0, ...filterLongAll));
		table.push([
			`filter indexes built, ${rows.toLocaleString('en')} rows`,
			`${(entry.indexSeconds as number).toFixed(2)} s`,
			'cubes for department, agent, time × 5 views, after the page is ready',
			''
		]);
		table.push([
			`filter → repaint, ${rows.toLocaleString('en')} rows (${b.n} changes)`,
			ms(b.median),
			`p95 ${ms(b.p95)} · longest task ${entry.longestTaskDuringFiltersMs} ms`,
			`native queries ${ms(n.median)} / p95 ${ms(n.p95)} (×${(b.median / n.median).toFixed(1)})`
		]);
		for (const [control, xs] of Object.entries(byControl))
			table.push([`  … ${control.replace('filter-', '')} changes`, ms(stat(xs).median), `p95 ${ms(stat(xs).p95)}`, '']);
		if (prepared.length) {
			entry.timeControlPreparedMs = stat(prepared);
			entry.longestTaskWhilePreparingMs = Math.round(Math.max(0, ...preparingLongTasks));
			table.push([
				`  … time control prepared (pointer over it)`,
				ms(stat(prepared).median),
				`p95 ${ms(stat(prepared).p95)}, before each start-time change, untimed there · longest task ${entry.longestTaskWhilePreparingMs} ms`,
				''
			]);
		}
		// A continuous drag across the time chart's brush: frames painted while it lasts.
		const drag = dragSummary(await dragTimeChart(page));
		entry.timeChartDrag = drag;
		dragRow = [`time chart drag, 2 s, ${rows.toLocaleString('en')} rows`, `${drag.paintedFramesPerSecond} frames/s`, dragText(drag), ''];
		table.push(dragRow);
	}
	entry.peakBrowserMemoryMB = Math.round(peakRss() / 1024 ** 2);
	table.push([`  … peak memory of the browser`, `${entry.peakBrowserMemoryMB} MB`, 'resident, all of its processes, import to last filter', '']);
	(results.imports ??= [] as unknown[]) as unknown[];
	(results.imports as unknown[]).push(entry);
	native.engine.close();
	await close();
}

await server.close();

// ---- the Mosaic page on the same file, the same Chromium and the same timing -----------------
if (peers.includes('mosaic')) {
	const rows = filterSizes[0] ?? sizes[0] ?? 1_000_000;
	const n = rows.toLocaleString('en');
	const peer = peerFailure
		? null
		: await timeMosaic(launch, dataset(rows), changes).catch((error: Error) => ((peerFailure = error.message.split('\n')[0]!), null));
	if (!peer) {
		results.mosaic = { rows, failed: peerFailure };
		table.push([`Mosaic 0.32, ${n} rows`, 'failed', peerFailure!.slice(0, 160), '']);
	} else {
		const longest = (xs: number[]) => Math.round(Math.max(0, ...xs));
		results.mosaic = {
			rows,
			loadedSeconds: peer.loadedSeconds,
			menuMs: stat(peer.menu),
			timeBrushMs: stat(peer.timeBrush),
			waitBrushMs: stat(peer.waitBrush),
			longestTaskMenuMs: longest(peer.longTasksMenu),
			longestTaskBrushMs: longest(peer.longTasksBrush),
			timeChartDrag: dragSummary(peer.timeDrag),
			loadAverage: loadavg()
		};
		table.push([`Mosaic 0.32: page loaded, ${n} rows`, `${peer.loadedSeconds.toFixed(1)} s`, 'engine, the file read and its table made, first views', '']);
		for (const [label, xs, tasks] of [
			['department menu', peer.menu, peer.longTasksMenu],
			['time chart brush', peer.timeBrush, peer.longTasksBrush],
			['wait histogram brush', peer.waitBrush, peer.longTasksBrush]
		] as const)
			table.push([
				`  … ${label} → every view repainted`,
				ms(stat(xs).median),
				`p95 ${ms(stat(xs).p95)} · longest task ${longest(tasks)} ms (${xs.length})`,
				''
			]);
		const drag = dragSummary(peer.timeDrag);
		table.push([`  … time chart drag, 2 s`, `${drag.paintedFramesPerSecond} frames/s`, dragText(drag), '']);
		// Beside holdline's drag of the same file.
		if (dragRow && dragRow[0].endsWith(`${n} rows`))
			dragRow[3] = `Mosaic 0.32: ${drag.paintedFramesPerSecond} frames/s, views ${drag.viewRepaintsPerSecond}/s, longest task ${drag.longestTaskMs} ms`;
	}
}

// ---- the servers: load into each engine, then the API and the page over it ------------------
if (engines.length) {
	const rows = Math.max(1, Number(values['server-rows']));
	const dir = mkdtempSync(join(tmpdir(), 'holdline-bench-file-'));
	try {
		// Engines the bench starts empty take the browser's cached file; a given store may hold it already.
		const file = engines.every(startsEmpty) ? dataset(rows) : await serverDataset(dir, rows);
		const servers: Record<string, unknown>[] = [];
		for (const spec of engines) {
			const b = await benchServer(spec, file, rows, changes, launch).catch((error: Error) => {
				// Reported, not thrown: the other engines and the browser's figures still count.
				servers.push({ spec: spec.replace(/\/\/[^@/]*@/, '//'), rows, failed: error.message.split('\n')[0] });
				table.push([`${spec.split(':')[0]} server, ${rows.toLocaleString('en')} rows`, 'failed', error.message.split('\n')[0]!.slice(0, 160), '']);
				return null;
			});
			if (!b) continue;
			const apiFirst = stat(b.apiFirstMs);
			const apiAgain = stat(b.apiAgainMs);
			const repaint = stat(b.page.repaint);
			servers.push({
				engine: b.engine,
				spec: spec.replace(/\/\/[^@/]*@/, '//'),
				rows,
				loadSeconds: Number(b.loadSeconds.toFixed(1)),
				loadRowsPerSecond: b.loadRowsPerSecond,
				preparedSeconds: Number(b.preparedSeconds.toFixed(1)),
				filterChangeOverApiMs: { first: apiFirst, askedBefore: apiAgain },
				filterChangeOverApiByControlMs: {
					first: Object.fromEntries(Object.entries(b.apiFirstByControlMs).map(([control, xs]) => [control, stat(xs)])),
					askedBefore: Object.fromEntries(Object.entries(b.apiAgainByControlMs).map(([control, xs]) => [control, stat(xs)]))
				},
				pageFirstAnswersMs: b.firstAnswersMs,
				filterToRepaintMs: repaint,
				filterToRepaintByControlMs: Object.fromEntries(Object.entries(b.page.byControl).map(([control, xs]) => [control.replace('filter-', ''), stat(xs)])),
				longestTaskDuringFiltersMs: Math.round(Math.max(0, ...b.page.longTasks)),
				...(b.statements ? { statementsOverApi: b.statements } : {})
			});
			const label = b.engine === 'clickhouse' ? 'ClickHouse' : 'DuckDB server';
			const n = rows.toLocaleString('en');
			table.push([
				`${label}: load ${n} rows`,
				`${b.loadSeconds.toFixed(1)} s`,
				`${b.loadRowsPerSecond.toLocaleString('en')} rows/s (npm run load, wall clock)`,
				''
			]);
			table.push([
				`${label}: start → first answers and cubes ready, ${n} rows`,
				`${b.preparedSeconds.toFixed(1)} s`,
				'in the background: DuckDB its first answers and cubes, ClickHouse its menus and wait reach',
				''
			]);
			table.push([`${label}: filter → 5 views over the API, ${n} rows (${apiFirst.n} new filters)`, ms(apiFirst.median), `p95 ${ms(apiFirst.p95)}`, '']);
			for (const [control, xs] of Object.entries(b.apiFirstByControlMs))
				table.push([`  … new ${control} filters (${xs.length})`, ms(stat(xs).median), `p95 ${ms(stat(xs).p95)}`, '']);
			if (apiAgain.n) table.push([`  … a filter asked before (${apiAgain.n})`, ms(apiAgain.median), `p95 ${ms(apiAgain.p95)}`, '']);
			for (const [control, xs] of Object.entries(b.apiAgainByControlMs))
				table.push([`  … ${control} filters asked before (${xs.length})`, ms(stat(xs).median), `p95 ${ms(stat(xs).p95)}`, '']);
			if (b.statements)
				table.push([
					`  … ClickHouse's query log: ${b.statements.perChange.toFixed(1)} statements a change`,
					ms(b.statements.msMedian),
					`p95 ${ms(b.statements.msP95)} · ${b.statements.readRowsPerChange.toLocaleString('en')} rows read a change, at most ${b.statements.readRowsMost.toLocaleString('en')} by one`,
					''
				]);
			for (const t of b.statements?.byTable ?? [])
				table.push([
					`    … from ${t.table || '(other)'}: ${t.statements} statements`,
					ms(t.msMedian),
					`${t.readRowsMedian.toLocaleString('en')} rows read (median)`,
					''
				]);
			table.push([`${label}: page opened → first answers, ${n} rows`, ms(b.firstAnswersMs), 'Service level page, fresh profile', '']);
			table.push([
				`${label}: filter → repaint, ${n} rows (${repaint.n} changes)`,
				ms(repaint.median),
				`p95 ${ms(repaint.p95)} · longest task ${Math.round(Math.max(0, ...b.page.longTasks))} ms`,
				''
			]);
			for (const [control, xs] of Object.entries(b.page.byControl))
				table.push([`  … ${control.replace('filter-', '')} changes`, ms(stat(xs).median), `p95 ${ms(stat(xs).p95)}`, '']);
		}
		results.servers = servers;
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

// ---- the wallboard: a line appended to a followed queue_log → the page's change ---------------
{
	const latencies = await benchLive(launch).catch((error: Error) => {
		table.push(['wallboard: log line → page', 'failed', error.message.split('\n')[0]!.slice(0, 160), '']);
		return null;
	});
	if (latencies) {
		const s = stat(latencies);
		results.live = { lineToDomMs: s };
		table.push([`wallboard: log line → page (${s.n} lines)`, ms(s.median), `p95 ${ms(s.p95)} · serve --follow, fs.watch, SSE, DOM`, '']);
	}
}

results.machine = { ...(results.machine as object), loadAverageAtEnd: loadavg() };
mkdirSync('bench', { recursive: true });
writeFileSync('bench/results.json', JSON.stringify(results, null, 2) + '\n');
const widths = [0, 1, 2, 3].map((i) => Math.max(...table.map((r) => r[i]!.length), ['measure', 'median', 'detail', 'native'][i]!.length));
const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
const load = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(' ');
console.log(
	`\nholdline bench · ${cpus().length} cores · ${new Date().toISOString().slice(0, 16)} · load average ${load((results.machine as { loadAverageAtStart: number[] }).loadAverageAtStart)} → ${load(loadavg())}\n`
);
console.log(line(['measure', 'median', 'detail', 'native']));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const r of table) console.log(line(r));
console.log('\nwritten: bench/results.json');
