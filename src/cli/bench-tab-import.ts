/**
 * The import alone, at a size the tab may not hold (`npm run bench -- --tab-import 10000000`):
 * one generated CSV imported on the Import page of the built app in headless Chromium, with
 * whether it finished, its time, the way it was read, and its peak memory.
 *
 * Memory, each figure what it is (headless Chromium has no `measureUserAgentSpecificMemory`
 * without cross-origin isolation, and CDP's `SystemInfo.getProcessInfo` gives no memory):
 *   - resident memory (ps) of the renderer, which runs the page and DuckDB-WASM's worker, and of
 *     its largest mapping, DuckDB-WASM's memory (the pages it touched, from /proc/PID/smaps);
 *   - resident memory of all of the browser's processes;
 *   - the page's JS heap (CDP `Performance.getMetrics` JSHeapUsedSize);
 *   - what DuckDB holds after the import (`duckdb_memory()`, the page's import summary).
 */
import { readFileSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { freshBrowser, longestFrameCause, longFrames, longTasks, rssSampler, startImport, traceMainThread, type Launch, type LongFrame } from './bench-browser';

export interface TabImport {
	rows: number;
	megabytes: number;
	finished: boolean;
	/** What the page said when it did not finish. */
	pageSaid?: string;
	/** From the click to the dataset in memory (saving starts), and to the dataset saved. */
	importSeconds: number;
	totalSecondsWithSaving?: number;
	/** DuckDB's own CSV reader read the file (the page's `holdline:import` measure `clean`), and how long it took. */
	cleanReadSeconds: number | null;
	/** Distinct progress values the page showed while importing. */
	progressSteps: number;
	/** The longest main-thread task while importing, and while saving. */
	longestTaskMs: number;
	longestTaskSavingMs?: number;
	/**
	 * The most CPU time the page's main thread spent in one task over 50 ms while importing (a
	 * Chromium trace): what the longest task would be on an idle machine, where the clock times
	 * above also count the time the thread waited for a core.
	 */
	longestTaskCpuMs: number;
	longestTaskSavingCpuMs?: number;
	/** What ran in the longest frame while importing (Long Animation Frames: the script's function and file). */
	longestTaskCause: string;
	/** The frames over 50 ms while importing, longest first (at most twenty). */
	longFramesWhileImporting: LongFrame[];
	/** The import's steps as the page measured them (`holdline:import`), on the frames' clock: where each frame fell. */
	steps: { step: string; start: number; ms: number }[];
	peakRendererMB: number;
	/** The renderer's largest mapping: DuckDB-WASM's memory, the pages it touched. */
	peakWasmResidentMB: number;
	peakBrowserMB: number;
	peakPageJsHeapMB: number;
	databaseMemoryMB: number | null;
}

/**
 * The largest resident set of one renderer of the browser with this profile, and of one mapping
 * in it, in bytes. DuckDB-WASM's memory is one mapping (a 4 GiB reservation and its guard
 * regions): its resident pages are the wasm memory DuckDB has touched (/proc/PID/smaps).
 */
function rendererRss(profile: string): { process: number; mapping: number } {
	const out = execFileSync('ps', ['-eo', 'pid=,rss=,args='], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
	const most = { process: 0, mapping: 0 };
	for (const line of out.split('\n')) {
		if (!line.includes(profile) || !line.includes('--type=renderer')) continue;
		const [pid, rss] = line.trim().split(/\s+/, 2);
		most.process = Math.max(most.process, (Number(rss) || 0) * 1024);
		try {
			for (const [, kb] of readFileSync(`/proc/${pid}/smaps`, 'utf8').matchAll(/^Rss:\s+(\d+) kB/gm)) most.mapping = Math.max(most.mapping, Number(kb) * 1024);
		} catch {
			// The process ended between ps and the read.
		}
	}
	return most;
}

const MB = 1024 ** 2;

export async function benchTabImport(launch: Launch, base: string, file: string, rows: number): Promise<TabImport> {
	const megabytes = Number((statSync(file).size / MB).toFixed(1));
	const { context, close, profile } = await freshBrowser(launch);
	try {
		const page = await context.newPage();
		await page.goto(`${base}/import`);
		await page.getByTestId('import-input').setInputFiles(file);
		await page.getByTestId('import-start').waitFor();
		await page.waitForFunction(() => document.documentElement.dataset.database === 'ready', null, { timeout: 120_000 });
		const cdp = await context.newCDPSession(page);
		await cdp.send('Performance.enable');
		const peakBrowser = rssSampler(profile);
		let peakRenderer = 0;
		let peakWasm = 0;
		let peakHeap = 0;
		const progress = new Set<string>();
		const sample = async () => {
			const rss = rendererRss(profile);
			peakRenderer = Math.max(peakRenderer, rss.process);
			peakWasm = Math.max(peakWasm, rss.mapping);
			const { metrics } = await cdp.send('Performance.getMetrics');
			peakHeap = Math.max(peakHeap, metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0);
			const value = await page.getByTestId('import-progress').getAttribute('value', { timeout: 100 });
			if (value !== null) progress.add(value);
		};
		const sampler = setInterval(() => void sample().catch(() => {}), 500);
		await longTasks(page);
		await longFrames(page);
		const trace = await traceMainThread(context, page);
		const t0 = Date.now();
		const reached = await startImport(page, 3_600_000, 100);
		const importSeconds = (Date.now() - t0) / 1000;
		const importTasks = await longTasks(page).catch(() => [] as number[]);
		const importFrames = await longFrames(page).catch(() => [] as LongFrame[]);
		// The same moment as the long tasks' split: what follows is the saving.
		await trace.mark();
		const finished =
			reached === 0 &&
			(await page
				.getByTestId('import-done')
				.waitFor({ timeout: 1_800_000 })
				.then(
					() => true,
					() => false
				));
		const totalSeconds = (Date.now() - t0) / 1000;
		const traced = await trace.stop();
		const mostCpu = (saving: boolean) => Math.round(Math.max(0, ...traced.filter((t) => t.afterMark === saving).map((t) => t.cpuMs)));
		clearInterval(sampler);
		await sample().catch(() => {});
		const said = finished
			? undefined
			: ((await page
					.locator('[data-testid="import-error"], .progress')
					.first()
					.textContent()
					.catch(() => '')) ?? '');
		const clean = await cleanReadSeconds(page);
		const databaseBytes = finished
			? Number(
					await page
						.getByTestId('import-memory')
						.getAttribute('data-bytes')
						.catch(() => NaN)
				)
			: NaN;
		return {
			rows,
			megabytes,
			finished,
			...(said !== undefined ? { pageSaid: said.trim() } : {}),
			importSeconds,
			...(finished ? { totalSecondsWithSaving: totalSeconds } : {}),
			cleanReadSeconds: clean,
			progressSteps: progress.size,
			longestTaskMs: Math.round(Math.max(0, ...importTasks)),
			longestTaskCpuMs: mostCpu(false),
			longestTaskCause: longestFrameCause(importFrames),
			longFramesWhileImporting: importFrames.sort((a, b) => b.duration - a.duration).slice(0, 20),
			steps: await importSteps(page),
			...(finished
				? {
						longestTaskSavingMs: Math.round(Math.max(0, ...(await longTasks(page)))),
						longestTaskSavingCpuMs: mostCpu(true)
					}
				: {}),
			peakRendererMB: Math.round(peakRenderer / MB),
			peakWasmResidentMB: Math.round(peakWasm / MB),
			peakBrowserMB: Math.round(peakBrowser() / MB),
			peakPageJsHeapMB: Math.round(peakHeap / MB),
			databaseMemoryMB: Number.isFinite(databaseBytes) ? Math.round(databaseBytes / MB) : null
		};
	} finally {
		await close();
	}
}

/** The clean reader's step, as the pipeline measured it in the page; null when the file went in pieces. */
function cleanReadSeconds(page: Page): Promise<number | null> {
	return page
		.evaluate(() => {
			const clean = performance.getEntriesByName('holdline:import').find((e) => (e as PerformanceMeasure).detail === 'clean');
			return clean ? clean.duration / 1000 : null;
		})
		.catch(() => null);
}

function importSteps(page: Page): Promise<TabImport['steps']> {
	return page
		.evaluate(() =>
			performance
				.getEntriesByName('holdline:import')
				.map((e) => ({ step: String((e as PerformanceMeasure).detail), start: Math.round(e.startTime), ms: Math.round(e.duration) }))
		)
		.catch(() => []);
}

/** The figures as the bench's table rows. */
export function tabImportRows(r: TabImport): [string, string, string, string][] {
	const n = r.rows.toLocaleString('en');
	const memory = `peak renderer ${r.peakRendererMB} MB (its wasm memory ${r.peakWasmResidentMB} MB) · all processes ${r.peakBrowserMB} MB · page JS heap ${r.peakPageJsHeapMB} MB`;
	const how = r.cleanReadSeconds !== null ? `DuckDB's CSV reader ${r.cleanReadSeconds.toFixed(1)} s` : 'in pieces';
	return [
		[
			`tab import ${n} rows (${r.megabytes.toFixed(0)} MB)`,
			r.finished ? `${r.importSeconds.toFixed(1)} s` : 'failed',
			r.finished
				? `${how} · ${r.progressSteps} progress steps · longest task ${r.longestTaskMs} ms, ${r.longestTaskCpuMs} ms on the CPU${r.longestTaskCause ? ` (${r.longestTaskCause})` : ''} (saving ${r.longestTaskSavingMs ?? '–'} ms, ${r.longestTaskSavingCpuMs ?? '–'} ms on the CPU) · saved after ${r.totalSecondsWithSaving?.toFixed(1)} s`
				: `after ${r.importSeconds.toFixed(0)} s: ${r.pageSaid}`,
			''
		],
		[`  … memory`, `${r.peakRendererMB} MB`, `${memory}${r.databaseMemoryMB !== null ? ` · DuckDB after import ${r.databaseMemoryMB} MB` : ''}`, '']
	];
}
