/**
 * What a visit costs, as `npm start` serves the app: bytes transferred on a first visit (a fresh
 * profile) and on a repeat visit (the same profile: HTTP cache, compiled WebAssembly), the first
 * filter change on a cold visit, and the database's start cold and repeated.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { StaticServer } from '$lib/server/static-server';

export interface VisitSamples {
	/** Bytes the server wrote (headers included) per visit, by page and cold/warm. */
	bytes: Record<string, { cold: number[]; warm: number[] }>;
	/** A department chosen as soon as the menu works → the frame with every answer shown (cold visit to /). */
	firstFilterMs: number[];
	/** Navigation → `<html data-database="ready">` on the Import page (it starts the engine at once). */
	databaseReadyMs: { cold: number[]; warm: number[] };
}

/** The page's own clock when the database reports ready. */
async function databaseReady(page: Page): Promise<number> {
	await page.waitForFunction(() => document.documentElement.dataset.database === 'ready', null, { polling: 'raf', timeout: 120_000 });
	return page.evaluate(() => performance.now());
}

/** Until nothing is loading (fonts, the filters' answers, the engine): the visit's bytes are all in. */
async function settle(page: Page) {
	await page.waitForLoadState('networkidle');
	await page.evaluate(() => document.fonts.ready.then(() => undefined));
	await page.waitForLoadState('networkidle');
}

/** Chooses the last department once the menu is enabled and times, in the page, until every answer is shown. */
async function firstFilter(page: Page): Promise<number> {
	const menu = page.locator('select[name="dept"]:not([disabled])').first();
	await menu.waitFor({ timeout: 60_000 });
	// A string, not a function: tsx's helpers (named closures) do not exist in the page.
	return page.evaluate<number>(`new Promise((done) => {
		const select = document.querySelector('select[name="dept"]');
		const start = performance.now();
		select.value = select.options[select.options.length - 1].value;
		select.dispatchEvent(new Event('change', { bubbles: true }));
		function answered() {
			if (location.search.includes('dept=') && document.querySelector('.dashboard[data-ready="true"]'))
				requestAnimationFrame(() => done(performance.now() - start));
			else requestAnimationFrame(answered);
		}
		requestAnimationFrame(answered);
	})`);
}

/**
 * `runs` times: a fresh profile visits `/` (choosing a department at once) and again; another
 * fresh profile visits `/import` and again. `launch` opens Chromium on a profile directory.
 */
export async function benchVisits(server: StaticServer, launch: (profile: string) => Promise<BrowserContext>, runs: number): Promise<VisitSamples> {
	const samples: VisitSamples = {
		bytes: { '/': { cold: [], warm: [] }, '/import': { cold: [], warm: [] } },
		firstFilterMs: [],
		databaseReadyMs: { cold: [], warm: [] }
	};
	async function visit(profile: string, path: string, during: (page: Page) => Promise<void>) {
		const context = await launch(profile);
		try {
			const page = await context.newPage();
			const before = server.bytesSent();
			await page.goto(`${server.url}${path}`, { waitUntil: 'commit' });
			await during(page);
			await settle(page);
			return server.bytesSent() - before;
		} finally {
			await context.close();
		}
	}
	for (let run = 0; run < runs; run++) {
		for (const path of ['/', '/import'] as const) {
			const profile = mkdtempSync(join(tmpdir(), 'holdline-bench-visit-'));
			try {
				for (const visitKind of ['cold', 'warm'] as const) {
					const bytes = await visit(profile, path, async (page) => {
						if (path === '/') {
							if (visitKind === 'cold') samples.firstFilterMs.push(await firstFilter(page));
						} else {
							samples.databaseReadyMs[visitKind].push(await databaseReady(page));
							// Chromium writes the compiled code to its cache once the engine has tiered
							// up; a user who leaves within a second or two would not find it there.
							if (visitKind === 'cold') await page.waitForTimeout(5000);
						}
					});
					samples.bytes[path]![visitKind].push(bytes);
				}
			} finally {
				rmSync(profile, { recursive: true, force: true });
			}
		}
	}
	return samples;
}
