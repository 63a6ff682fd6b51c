/**
 * The bench's Chromium: a persistent context per profile with the page-side observers (long
 * tasks, Element Timing), the browser's resident memory, and the timed filter changes made
 * through the page's own controls — shared by the in-tab figures (bench.ts) and the same page
 * served over a server engine (bench-server.ts).
 */
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '$lib/server/chromium';
import { DIMENSIONS, EMPTY_FILTER, type Filter } from '$lib/filters/dimensions';
import { mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export type Launch = (profile: string) => Promise<BrowserContext>;

export function launcher(executablePath = CHROMIUM_PATH): Launch {
	return async (profile) => {
		const context = await chromium.launchPersistentContext(profile, {
			executablePath,
			headless: true,
			args: CHROMIUM_ARGS,
			viewport: { width: 1280, height: 900 }
		});
		// tsx keeps the names of functions declared inside page-side code with a helper of its own
		// (`__name`), which the page lacks.
		await context.addInitScript({ content: 'globalThis.__name ??= (fn) => fn;' });
		// Long tasks (> 50 ms on the page's main thread) are what a user feels as a frozen page.
		await context.addInitScript(() => {
			const w = window as unknown as { __longTasks: number[] };
			w.__longTasks = [];
			new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__longTasks.push(e.duration))).observe({ type: 'longtask', buffered: true });
			// What ran in them: Chromium's Long Animation Frames name each script of a frame over 50 ms
			// (its function, file and position) and the frame's style, layout and paint after them.
			const frames = ((window as unknown as { __longFrames: unknown[] }).__longFrames = [] as unknown[]);
			new PerformanceObserver((list) =>
				list.getEntries().forEach((e) => {
					const f = e as PerformanceEntry & {
						renderStart: number;
						styleAndLayoutStart: number;
						blockingDuration: number;
						scripts: {
							invoker: string;
							invokerType: string;
							sourceURL: string;
							sourceFunctionName: string;
							sourceCharPosition: number;
							duration: number;
							forcedStyleAndLayoutDuration: number;
						}[];
					};
					const end = f.startTime + f.duration;
					frames.push({
						start: f.startTime,
						duration: f.duration,
						blocking: f.blockingDuration,
						render: f.renderStart ? end - f.renderStart : 0,
						styleAndLayout: f.styleAndLayoutStart ? end - f.styleAndLayoutStart : 0,
						scripts: f.scripts.map((s) => ({
							invoker: `${s.invokerType} ${s.invoker}`,
							fn: s.sourceFunctionName,
							url: s.sourceURL,
							at: s.sourceCharPosition,
							ms: s.duration,
							forcedLayout: s.forcedStyleAndLayoutDuration
						}))
					});
				})
			).observe({ type: 'long-animation-frame', buffered: true });
			// When marked elements (the KPI numbers carry `elementtiming`) are first painted.
			const painted: Record<string, number> = {};
			(window as unknown as { __painted: Record<string, number> }).__painted = painted;
			new PerformanceObserver((list) =>
				list.getEntries().forEach((e) => {
					const entry = e as PerformanceEntry & { identifier: string; renderTime: number; loadTime: number };
					painted[entry.identifier] ??= entry.renderTime || entry.loadTime;
				})
			).observe({ type: 'element', buffered: true });
		});
		return context;
	};
}

/** A browser with a fresh profile (no HTTP or compiled-wasm cache), removed on close. */
export async function freshBrowser(launch: Launch) {
	const profile = mkdtempSync(join(tmpdir(), 'holdline-bench-profile-'));
	const context = await launch(profile);
	return {
		context,
		profile,
		close: async () => {
			await context.close();
			rmSync(profile, { recursive: true, force: true });
		}
	};
}

/** Resident memory of every process of the browser with this profile (renderers, GPU, the engine's worker is in its renderer), in bytes. */
function browserRss(profile: string): number {
	const out = execFileSync('ps', ['-eo', 'rss=,args='], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
	let kb = 0;
	for (const line of out.split('\n')) if (line.includes(profile)) kb += Number(line.trim().split(/\s+/, 1)[0]) || 0;
	return kb * 1024;
}
/** Samples `browserRss` until stopped; resolves to the peak. */
export function rssSampler(profile: string) {
	let peak = 0;
	const timer = setInterval(() => (peak = Math.max(peak, browserRss(profile))), 500);
	return () => {
		clearInterval(timer);
		return Math.max(peak, browserRss(profile));
	};
}

/** The long tasks seen since the last call. */
export const longTasks = (page: Page) => page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks.splice(0));

/** One long animation frame (over 50 ms) and the scripts that ran in it, from the page's observer. */
export interface LongFrame {
	start: number;
	duration: number;
	blocking: number;
	/** From the frame's rendering start (its style, layout and paint) to its end; and from its style and layout start. */
	render: number;
	styleAndLayout: number;
	scripts: { invoker: string; fn: string; url: string; at: number; ms: number; forcedLayout: number }[];
}

/** The long animation frames seen since the last call. */
export const longFrames = (page: Page) => page.evaluate(() => (window as unknown as { __longFrames: LongFrame[] }).__longFrames.splice(0));

/**
 * The longest frame in words: its time, then its longest script (function, file, where it was
 * started from) and its style, layout and paint; '' when there was none.
 */
export function longestFrameCause(frames: LongFrame[]): string {
	const longest = frames.reduce<LongFrame | null>((a, f) => (!a || f.duration > a.duration ? f : a), null);
	if (!longest) return '';
	const script = longest.scripts.reduce<LongFrame['scripts'][number] | null>((a, s) => (!a || s.ms > a.ms ? s : a), null);
	const file = script?.url.split('/').pop() ?? '';
	const ran = script ? `${script.fn || '(anonymous)'} in ${file}:${script.at} (${script.invoker}) ${Math.round(script.ms)} ms` : 'no script';
	return `frame ${Math.round(longest.duration)} ms: ${ran}, style/layout/paint ${Math.round(longest.styleAndLayout || longest.render)} ms`;
}

/** A task of the page's main thread over 50 ms by the clock, and the CPU time the thread had in it. */
export interface TracedTask {
	wallMs: number;
	cpuMs: number;
	/** Whether it began after the trace's mark (`mark` below). */
	afterMark: boolean;
}

/** The console time stamp that divides a trace in two (the import, then its saving). */
const TRACE_MARK = 'holdline-bench-mark';

/**
 * Traces the page's main-thread tasks (Chromium's trace, its `RunTask` events) until `stop`,
 * which gives the tasks over 50 ms with their thread time; `mark` divides them into before and
 * after. On a loaded machine a task's clock time also counts the time its thread waited for a
 * core; its CPU time does not.
 */
export async function traceMainThread(context: BrowserContext, page: Page) {
	interface TraceEvent {
		ph: string;
		name: string;
		pid: number;
		tid: number;
		ts: number;
		dur?: number;
		tdur?: number;
		args?: { name?: string; data?: { message?: string } };
	}
	const cdp = await context.newCDPSession(page);
	const mainThreads = new Set<string>();
	const runs: TraceEvent[] = [];
	let markAt = Infinity;
	cdp.on('Tracing.dataCollected', ({ value }: { value: object[] }) => {
		for (const e of value as TraceEvent[]) {
			if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain') mainThreads.add(`${e.pid}:${e.tid}`);
			else if (e.ph === 'X' && e.name === 'RunTask' && (e.dur ?? 0) >= 50_000) runs.push(e);
			else if (e.name === 'TimeStamp' && e.args?.data?.message === TRACE_MARK) markAt = Math.min(markAt, e.ts);
		}
	});
	await cdp.send('Tracing.start', {
		transferMode: 'ReportEvents',
		traceConfig: { includedCategories: ['disabled-by-default-devtools.timeline', 'devtools.timeline'] }
	});
	return {
		mark: () => page.evaluate((message) => console.timeStamp(message), TRACE_MARK),
		stop: async (): Promise<TracedTask[]> => {
			const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
			await cdp.send('Tracing.end');
			await complete;
			await cdp.detach().catch(() => {});
			// A task may run another inside it (a nested loop): the outermost is the one the page felt.
			const tasks: TracedTask[] = [];
			const ends = new Map<string, number>();
			for (const e of runs.sort((a, b) => a.ts - b.ts || b.dur! - a.dur!)) {
				const thread = `${e.pid}:${e.tid}`;
				if (!mainThreads.has(thread) || e.ts < (ends.get(thread) ?? -1)) continue;
				ends.set(thread, e.ts + e.dur!);
				tasks.push({ wallMs: e.dur! / 1000, cpuMs: (e.tdur ?? 0) / 1000, afterMark: e.ts >= markAt });
			}
			return tasks;
		}
	};
}

/**
 * Clicks the Import page's start and waits until the import has read its files (the progress
 * says saving) or ended: 0 when it got there, 1 when the page shows an error, -1 on the time limit.
 */
export async function startImport(page: Page, timeoutMs: number, pollingMs: number): Promise<number> {
	await page.getByTestId('import-start').click();
	return page
		.waitForFunction(
			() =>
				/保存|Saving/.test(document.querySelector('.progress')?.textContent ?? '') ||
				document.querySelector('[data-testid="import-done"],[data-testid="import-error"]'),
			null,
			{ timeout: timeoutMs, polling: pollingMs }
		)
		.then(() => page.locator('[data-testid="import-error"]').count())
		.catch(() => -1);
}

export const DEPARTMENTS = ['座席一部', '座席二部', '座席三部'];
/** Filter changes as a user makes them: department, then agent, then a start time; each one replaces the last. */
export interface Change {
	control: 'filter-queue' | 'filter-agent' | 'filter-from';
	value: string;
	filter: Filter;
}
export const filterSequence = (n: number): Change[] =>
	Array.from({ length: n }, (_, i) => {
		const kind = i % 3;
		if (kind === 0) {
			const queue = DEPARTMENTS[Math.floor(i / 3) % 3]!;
			return { control: 'filter-queue', value: queue, filter: { ...EMPTY_FILTER, queue } };
		}
		if (kind === 1) {
			const agent = `S${(Math.floor(i / 3) % 3) + 1}-${String((i % 60) + 1).padStart(3, '0')}`;
			return { control: 'filter-agent', value: agent, filter: { ...EMPTY_FILTER, agent } };
		}
		const day = `2008-05-${String(5 + (i % 20)).padStart(2, '0')}`;
		return { control: 'filter-from', value: `${day}T08:00`, filter: { ...EMPTY_FILTER, from: `${day} 08:00:00` } };
	});

/** The URL keys of the page's filters (the dataset, interval and settings are not filters). */
const FILTER_KEYS = DIMENSIONS.map((d) => d.key);

export interface FilterTimes {
	/** Each change's time from the control's change event to the frame after every answer is shown, ms. */
	repaint: number[];
	byControl: Record<string, number[]>;
	longTasks: number[];
	/** Before each time change: from the pointer reaching the control to its answers prepared (`data-time-ready`), ms. */
	prepared: number[];
	/** The page's long tasks while the time control prepares (its time tables read into the page), ms. */
	preparingLongTasks: number[];
}

/**
 * The pointer reaches the start-time control before it is changed, as a user's does (and as
 * Mosaic's pages are timed: their brush tables are made on pointer enter): the page prepares
 * the views' time ranges then. Waits at most 10 s for it, then the change is timed anyway.
 */
async function prepareTimeControl(page: Page): Promise<number> {
	return page.evaluate(async () => {
		const t0 = performance.now();
		document.querySelector('[data-testid="filter-from"]')!.dispatchEvent(new PointerEvent('pointerover', { bubbles: true }));
		const dashboard = document.querySelector('.dashboard')!;
		for (const until = t0 + 10_000; dashboard.getAttribute('data-time-ready') !== 'true' && performance.now() < until;)
			await new Promise((wake) => setTimeout(wake, 10));
		return performance.now() - t0;
	});
}

/** Makes `seq`'s changes on the Service level page open in `page`, one at a time, each timed in the page. */
export async function timeFilterChanges(page: Page, seq: Change[]): Promise<FilterTimes> {
	await longTasks(page);
	const times: FilterTimes = { repaint: [], byControl: {}, longTasks: [], prepared: [], preparingLongTasks: [] };
	for (const change of seq) {
		// Clear the other filters first (not timed), then time one change through the real control.
		if (FILTER_KEYS.some((key) => new URL(page.url()).searchParams.has(key))) {
			await page.getByTestId('filter-reset').click();
			await page.waitForFunction((keys) => !keys.some((key) => new URL(location.href).searchParams.has(key)), FILTER_KEYS);
			await page.waitForSelector('[data-ready="true"]', { timeout: 120_000 });
		}
		if (change.control === 'filter-agent') await page.locator(`[data-testid="filter-agent"] option[value="${change.value}"]`).waitFor({ state: 'attached' });
		if (change.control === 'filter-from') {
			await longTasks(page);
			times.prepared.push(await prepareTimeControl(page));
			times.preparingLongTasks.push(...(await longTasks(page)));
		}
		await longTasks(page);
		const elapsed = await page.evaluate(async ({ control, value }) => {
			const dashboard = document.querySelector('.dashboard')!;
			const input = document.querySelector(`[data-testid="${control}"]`) as HTMLInputElement | HTMLSelectElement;
			// Done when every view shows the answers for a new query string: a change answered from
			// held cubes never shows the page busy, so the busy state alone cannot tell.
			const before = dashboard.getAttribute('data-answered');
			const done = new Promise<void>((resolve) => {
				const observer = new MutationObserver(() => {
					const answered = dashboard.getAttribute('data-answered');
					if (dashboard.getAttribute('data-ready') === 'true' && answered && answered !== before) {
						observer.disconnect();
						requestAnimationFrame(() => resolve());
					}
				});
				observer.observe(dashboard, { attributes: true });
			});
			const t0 = performance.now();
			input.value = value;
			input.dispatchEvent(new Event('change', { bubbles: true }));
			await done;
			return performance.now() - t0;
		}, change);
		times.repaint.push(elapsed);
		(times.byControl[change.control] ??= []).push(elapsed);
		times.longTasks.push(...(await longTasks(page)));
	}
	return times;
}

/** A continuous drag across a chart's brush: the page's frames while it lasts. */
export interface DragFrames {
	/** The drag's length, from the button down to the last move, s (page clock). */
	seconds: number;
	/** Pointer moves sent, one each 60 Hz frame whether or not the page took the last. */
	moves: number;
	/** Animation frames the page ran (requestAnimationFrame callbacks). */
	frames: number;
	/** Of those, the frames in which the document had changed since the one before: frames painted with something new. */
	painted: number;
	/** Per view: the frames in which it changed, the brush and pointer overlays aside. */
	views: Record<string, number>;
	/** Long tasks on the page's main thread during the drag, ms. */
	longTasks: number[];
}

/** Resolves once nothing in the document changed for `quietMs` (at most 10 s): the drag starts on a still page. */
export const pageQuiet = (page: Page, quietMs = 300) =>
	page.evaluate(
		(quietMs) =>
			new Promise<void>((resolve) => {
				let last = performance.now();
				const observer = new MutationObserver(() => (last = performance.now()));
				observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
				const start = last;
				const check = () => {
					if (performance.now() - last >= quietMs || performance.now() - start > 10_000) {
						observer.disconnect();
						resolve();
					} else setTimeout(check, 50);
				};
				check();
			}),
		quietMs
	);

/**
 * Holds the button down at `from` (page pixels) and moves to `to` over `seconds`, a move every
 * 60 Hz frame, then stops recording with the button still down (the caller releases it). The
 * pointer is expected over `from` already (the page prepares when it enters). Frames are
 * counted in the page: a requestAnimationFrame loop, and a MutationObserver that marks the
 * frame (and the view) the document changed in; changes inside `overlays` (the brush itself,
 * a hover cursor) are not a view's repaint.
 */
export async function dragFrames(
	page: Page,
	from: { x: number; y: number },
	to: { x: number; y: number },
	views: Record<string, string>,
	overlays: string,
	seconds = 2
): Promise<DragFrames> {
	await longTasks(page);
	await page.evaluate(
		({ views, overlays }) => {
			const counts = { frames: 0, painted: 0, views: Object.fromEntries(Object.keys(views).map((name) => [name, 0])) as Record<string, number> };
			let changed = false;
			const changedViews = new Set<string>();
			const element = (node: Node) => (node instanceof Element ? node : node.parentElement);
			const inOverlay = (node: Node) => !!element(node)?.closest(overlays);
			// A change is an overlay's when its node is in one, or it only adds or removes overlays.
			const overlayOnly = (record: MutationRecord) =>
				inOverlay(record.target) ||
				(record.type === 'childList' && [...record.addedNodes, ...record.removedNodes].every((node) => node instanceof Element && node.matches(overlays)));
			const observer = new MutationObserver((records) => {
				changed = true;
				for (const record of records) {
					if (overlayOnly(record)) continue;
					const at = element(record.target);
					for (const [name, selector] of Object.entries(views)) if (at?.closest(selector)) changedViews.add(name);
				}
			});
			observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
			let running = true;
			const frame = () => {
				if (!running) return;
				counts.frames++;
				if (changed) counts.painted++;
				for (const name of changedViews) counts.views[name]!++;
				changed = false;
				changedViews.clear();
				requestAnimationFrame(frame);
			};
			const t0 = performance.now();
			requestAnimationFrame(frame);
			(window as unknown as { __dragStop: () => typeof counts & { seconds: number } }).__dragStop = () => {
				running = false;
				observer.disconnect();
				return { ...counts, seconds: (performance.now() - t0) / 1000 };
			};
		},
		{ views, overlays }
	);
	// The moves go straight to Chromium's input, each sent on its tick without waiting for the
	// page to take the one before (playwright's mouse.move waits for that): a hand does not
	// wait for the page, and the page's input queue merges the moves a busy frame missed.
	const cdp = await page.context().newCDPSession(page);
	await page.mouse.down();
	const frameMs = 1000 / 60;
	const t0 = Date.now();
	const sent: Promise<unknown>[] = [];
	for (let elapsed = 0; elapsed < seconds * 1000; elapsed = Date.now() - t0) {
		const share = Math.min(1, elapsed / (seconds * 1000));
		const at = { x: from.x + share * (to.x - from.x), y: from.y + share * (to.y - from.y) };
		sent.push(cdp.send('Input.dispatchMouseEvent', { type: 'mouseMoved', ...at, button: 'left', buttons: 1 }));
		const next = t0 + sent.length * frameMs - Date.now();
		if (next > 0) await new Promise((wake) => setTimeout(wake, next));
	}
	await Promise.all(sent);
	await cdp.detach();
	const moves = sent.length;
	// The last move through playwright's mouse too, so its release is where the drag ended.
	await page.mouse.move(to.x, to.y);
	const counts = await page.evaluate(() => (window as unknown as { __dragStop: () => Omit<DragFrames, 'moves' | 'longTasks'> }).__dragStop());
	return { ...counts, moves, longTasks: await longTasks(page) };
}

/** The Service level page's views a time range repaints, as the drag counts them. */
const SERVICE_VIEWS = {
	kpis: 'section.kpis[aria-label="KPI"]',
	time: '#chart-sl-over-time',
	departments: '#chart-sl-by-queue',
	agents: '#chart-agents',
	waits: '#chart-wait-distribution'
};
/** What moves under the pointer without a new answer: the brush, the hover cursor, its tooltip and announcement. */
const SERVICE_OVERLAYS = '[data-time-control], [data-export="skip"], .tooltip, [data-testid="chart-announce"]';

export interface TimeChartDrag extends DragFrames {
	/** From the pointer entering the chart to the page's time answers prepared (`data-time-ready`), ms. */
	preparedMs: number;
	/** From the button's release (the range is applied then) to every view showing its answers, ms; null past 60 s. */
	releaseToRepaintMs: number | null;
}

/**
 * A 2-second drag across the brush of the Service level page's time chart (`dragFrames`), with
 * no filter set: the pointer enters the chart first and the page prepares its time answers, then
 * the button goes down and the pointer crosses from a tenth to nine tenths of the plot. The
 * views follow the brush while it moves; its release writes the range to the address, and is
 * timed to every view repainted for it.
 */
export async function dragTimeChart(page: Page, seconds = 2): Promise<TimeChartDrag> {
	if (FILTER_KEYS.some((key) => new URL(page.url()).searchParams.has(key))) {
		await page.getByTestId('filter-reset').click();
		await page.waitForFunction((keys) => !keys.some((key) => new URL(location.href).searchParams.has(key)), FILTER_KEYS);
	}
	await page.waitForSelector('[data-ready="true"]', { timeout: 120_000 });
	await page.locator('#chart-sl-over-time').scrollIntoViewIfNeeded();
	await pageQuiet(page);
	// The brush's layer spans the plot: its box is where a drag selects.
	const box = (await page.locator('#chart-sl-over-time [data-time-control]').boundingBox())!;
	const y = box.y + box.height / 2;
	const x = (share: number) => box.x + share * box.width;
	const entered = Date.now();
	await page.mouse.move(x(0.1), y);
	await page
		.waitForFunction(() => document.querySelector('.dashboard')?.getAttribute('data-time-ready') === 'true', null, { timeout: 10_000, polling: 10 })
		.catch(() => {});
	const preparedMs = Date.now() - entered;
	await pageQuiet(page);
	const drag = await dragFrames(page, { x: x(0.1), y }, { x: x(0.9), y }, SERVICE_VIEWS, SERVICE_OVERLAYS, seconds);
	await page.evaluate(() => {
		const w = window as unknown as { __released: Promise<number | null>; __up: number };
		const dashboard = document.querySelector('.dashboard')!;
		const before = dashboard.getAttribute('data-answered');
		// pointerup: the brush stops the mouseup on the window before a listener added now sees it.
		addEventListener('pointerup', () => (w.__up = performance.now()), { capture: true, once: true });
		w.__released = new Promise((resolve) => {
			const observer = new MutationObserver(() => {
				const answered = dashboard.getAttribute('data-answered');
				if (dashboard.getAttribute('data-ready') === 'true' && answered && answered !== before) {
					observer.disconnect();
					requestAnimationFrame(() => resolve(performance.now()));
				}
			});
			observer.observe(dashboard, { attributes: true });
			setTimeout(() => resolve(null), 60_000);
		});
	});
	await page.mouse.up();
	const releaseToRepaintMs = await page.evaluate(async () => {
		const w = window as unknown as { __released: Promise<number | null>; __up: number };
		const at = await w.__released;
		return at == null ? null : at - w.__up;
	});
	return { ...drag, preparedMs, releaseToRepaintMs };
}

/** A drag's figures per second, for bench/results.json and the printed table. */
export function dragSummary(drag: DragFrames & { preparedMs: number; releaseToRepaintMs: number | null }) {
	const perSecond = (n: number) => Math.round((n / drag.seconds) * 10) / 10;
	const repaints = Object.values(drag.views).reduce((a, b) => a + b, 0);
	return {
		seconds: Number(drag.seconds.toFixed(2)),
		movesPerSecond: perSecond(drag.moves),
		framesPerSecond: perSecond(drag.frames),
		paintedFramesPerSecond: perSecond(drag.painted),
		viewRepaintsPerSecond: perSecond(repaints),
		viewRepaintsPerSecondByView: Object.fromEntries(Object.entries(drag.views).map(([view, n]) => [view, perSecond(n)])),
		longestTaskMs: Math.round(Math.max(0, ...drag.longTasks)),
		preparedMs: Math.round(drag.preparedMs),
		releaseToRepaintMs: drag.releaseToRepaintMs == null ? null : Math.round(drag.releaseToRepaintMs)
	};
}
export type DragSummary = ReturnType<typeof dragSummary>;

/** The table's words for a drag: painted frames, the views' repaints, the longest task. */
export const dragText = (d: DragSummary) =>
	`${d.paintedFramesPerSecond} frames/s painted of ${d.framesPerSecond} run (${d.movesPerSecond} moves/s) · views repainted ${d.viewRepaintsPerSecond}/s (${Object.entries(
		d.viewRepaintsPerSecondByView
	)
		.map(([view, n]) => `${view} ${n}`)
		.join(', ')}) · longest task ${d.longestTaskMs} ms · prepared ${d.preparedMs} ms · release → repainted ${d.releaseToRepaintMs ?? '—'} ms`;
