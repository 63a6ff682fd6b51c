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
		// Long tasks (> 50 ms on the page's main thread) are what a user feels as a frozen page.
		await context.addInitScript(() => {
			const w = window as unknown as { __longTasks: number[] };
			w.__longTasks = [];
			new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__longTasks.push(e.duration))).observe({ type: 'longtask', buffered: true });
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
	const times: FilterTimes = { repaint: [], byControl: {}, longTasks: [], prepared: [] };
	for (const change of seq) {
		// Clear the other filters first (not timed), then time one change through the real control.
		if (FILTER_KEYS.some((key) => new URL(page.url()).searchParams.has(key))) {
			await page.getByTestId('filter-reset').click();
			await page.waitForFunction((keys) => !keys.some((key) => new URL(location.href).searchParams.has(key)), FILTER_KEYS);
			await page.waitForSelector('[data-ready="true"]', { timeout: 120_000 });
		}
		if (change.control === 'filter-agent') await page.locator(`[data-testid="filter-agent"] option[value="${change.value}"]`).waitFor({ state: 'attached' });
		if (change.control === 'filter-from') times.prepared.push(await prepareTimeControl(page));
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
