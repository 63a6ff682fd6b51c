import { appendFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Running } from '$lib/server/http';
import { openStore } from '$lib/server/store';
import { timeWallboardLines, writeTodayLog } from '../../src/cli/bench-live';
import { CHROMIUM_ARGS } from '$lib/server/chromium';
import { CHROMIUM } from './harness';

/**
 * `serve --follow` and the wallboard: the page shows a followed log's queues, and each line
 * appended to the log reaches the page (its tile's waiting count) through the event stream,
 * also after the connection is lost. The time from the write to the DOM change is measured
 * (printed, and p95 reported), never asserted: the machines are shared.
 */
let dir: string;
let log: string;
let server: Running;
let browser: Browser;
const errors: string[] = [];
const now = Math.floor(Date.now() / 1000);

beforeAll(async () => {
	if (!existsSync('build/index.html')) throw new Error('build/ is missing: run `npm run build` first.');
	dir = mkdtempSync(join(tmpdir(), 'holdline-wallboard-'));
	const store = join(dir, 'store.duckdb');
	(await openStore(store, { readOnly: false })).close();
	// Today's log up to now, with agents (times in UTC: followed with offset 0).
	log = join(dir, 'queue_log');
	writeTodayLog(log, now);
	server = await startServer({
		engine: `duckdb:${store}`,
		app: 'build',
		host: '127.0.0.1',
		port: 0,
		follow: { path: log, utcOffsetSeconds: 0, targets: { default: { percent: 80, thresholdS: 20, wrapUpS: 15 }, queues: {} } }
	});
	await server.live!.ready;
	browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});

afterAll(async () => {
	await browser?.close();
	await server?.close();
	rmSync(dir, { recursive: true, force: true });
});

async function open(path: string): Promise<Page> {
	const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	page.on('pageerror', (error) => errors.push(error.message));
	await page.goto(`${server.url}${path}`);
	await page.locator('[data-connection="open"]').waitFor();
	await page.locator('[data-queue]').first().waitFor();
	return page;
}

const waitingOf = async (page: Page, queue: string) => Number(await page.locator(`[data-queue="${queue}"]`).getAttribute('data-waiting'));

describe('the wallboard of a followed log', () => {
	it('shows each appended line within the stream, and again after the connection is lost', async () => {
		const page = await open('/wallboard');
		const queue = (await page.locator('[data-queue]').first().getAttribute('data-queue'))!;
		expect(await page.locator('tr[data-agent]').count()).toBeGreaterThan(0);
		const latencies = await timeWallboardLines(page, log, queue, 20);
		const waiting = await waitingOf(page, queue);
		latencies.sort((a, b) => a - b);
		const p95 = latencies[Math.ceil(latencies.length * 0.95) - 1]!;
		console.log(
			`wallboard: write → DOM over ${latencies.length} lines: median ${latencies[latencies.length >> 1]} ms, p95 ${p95} ms, max ${latencies.at(-1)} ms`
		);

		// The connection is lost: the page says so, reconnects by itself and shows the next line.
		server.server.closeAllConnections();
		await page.locator('[data-connection="reconnecting"]').waitFor();
		await page.locator('[data-connection="open"]').waitFor();
		appendFileSync(log, `${Math.floor(Date.now() / 1000)}|wb-last|${queue}|NONE|ENTERQUEUE||13800009999|1\n`);
		await page.locator(`[data-queue="${queue}"][data-waiting="${waiting + 1}"]`).waitFor();
		await page.close();
		expect(errors).toEqual([]);
	});

	it('has a TV mode without controls, dark unless asked light', async () => {
		const page = await open('/wallboard?tv=1');
		await expect.poll(() => page.locator('.board.tv').getAttribute('data-theme')).toBe('dark');
		expect(await page.getByTestId('tv-mode').count()).toBe(0);
		await page.goto(`${server.url}/wallboard?tv=1&theme=light`);
		await expect.poll(() => page.locator('.board.tv').getAttribute('data-theme')).toBe('light');
		await page.close();
		expect(errors).toEqual([]);
	});
});
