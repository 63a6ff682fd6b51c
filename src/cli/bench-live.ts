/**
 * The wallboard's latency: a line appended to a followed queue_log (`serve --follow`), to the
 * page's change (the queue's waiting count in the DOM). The writer and the page share the
 * machine's clock (Date.now() on both sides). Used by `npm run bench` and the browser test.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startServer } from '$lib/server/http';
import { openStore } from '$lib/server/store';
import { queueLogWithAgents } from '$lib/synthetic/queue-log-agents';
import type { Launch } from './bench-browser';

/** Writes today's generated log with agents, up to `now` (epoch seconds, read at UTC: follow it with offset 0). */
export function writeTodayLog(path: string, now: number, rows = 1200): void {
	const today = new Date(now * 1000).toISOString().slice(0, 10);
	const { lines } = queueLogWithAgents({ rows, seed: 3, start: today, incident: null, completeShare: 1, callsPerDay: rows }, { wrapSeconds: 15 });
	writeFileSync(path, lines.filter((l) => Number(l.split('|')[0]) <= now).join('\n') + '\n');
}

/**
 * Appends `pairs` callers entering `queue` and hanging up (each line changes its waiting count)
 * and returns, per line, the ms from the write to the page's change. The page must show the
 * wallboard, connected.
 */
export async function timeWallboardLines(page: Page, log: string, queue: string, pairs: number): Promise<number[]> {
	await page.evaluate(() => {
		const seen: Record<string, number> = {};
		(window as unknown as { seen: typeof seen }).seen = seen;
		new MutationObserver(() => {
			for (const tile of document.querySelectorAll<HTMLElement>('[data-queue]')) seen[`${tile.dataset.queue}=${tile.dataset.waiting}`] ??= Date.now();
		}).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-waiting'], childList: true });
	});
	let waiting = Number(await page.locator(`[data-queue="${queue}"]`).getAttribute('data-waiting'));
	const latencies: number[] = [];
	for (let i = 0; i < pairs; i++) {
		const id = `bench-${Date.now()}-${i}`;
		const t = Math.floor(Date.now() / 1000);
		for (const [line, change] of [
			[`${t}|${id}|${queue}|NONE|ENTERQUEUE||1380000${String(i % 10_000).padStart(4, '0')}|1`, 1],
			[`${t}|${id}|${queue}|NONE|ABANDON|1|1|0`, -1]
		] as const) {
			waiting += change;
			const key = `${queue}=${waiting}`;
			await page.evaluate((k) => delete (window as unknown as { seen: Record<string, number> }).seen[k], key);
			const written = Date.now();
			appendFileSync(log, line + '\n');
			await page.locator(`[data-queue="${queue}"][data-waiting="${waiting}"]`).waitFor({ timeout: 30_000 });
			latencies.push((await page.evaluate((k) => (window as unknown as { seen: Record<string, number> }).seen[k]!, key)) - written);
		}
	}
	return latencies;
}

/** Serves a followed log of today and times `pairs` × 2 lines on the wallboard in a fresh profile. */
export async function benchLive(launch: Launch, pairs = 25): Promise<number[]> {
	const dir = mkdtempSync(join(tmpdir(), 'holdline-bench-live-'));
	const store = join(dir, 'store.duckdb');
	(await openStore(store, { readOnly: false })).close();
	const log = join(dir, 'queue_log');
	writeTodayLog(log, Math.floor(Date.now() / 1000));
	const server = await startServer({ engine: `duckdb:${store}`, app: 'build', host: '127.0.0.1', port: 0, follow: { path: log, utcOffsetSeconds: 0 } });
	const context = await launch(join(dir, 'profile'));
	try {
		await server.live!.ready;
		const page = await context.newPage();
		await page.goto(`${server.url}/wallboard`);
		await page.locator('[data-connection="open"] [data-queue]').first().waitFor({ timeout: 60_000 });
		const queue = (await page.locator('[data-queue]').first().getAttribute('data-queue'))!;
		return await timeWallboardLines(page, log, queue, pairs);
	} finally {
		await context.close();
		await server.close();
		rmSync(dir, { recursive: true, force: true });
	}
}
