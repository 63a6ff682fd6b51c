/**
 * npm run build && tsx src/cli/screenshot-wallboard.ts [--out docs/wallboard.png]
 *
 * The README's and docs/live.md's picture of the wallboard: today's generated queue_log with
 * agents (as the bench and the browser test write it) followed by the server, three queues with
 * their own targets, the page in English at 1280 × 1000 in Debian's Chromium. Run it again when
 * the wallboard's look or words change.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '$lib/server/chromium';
import { startServer } from '$lib/server/http';
import { openStore } from '$lib/server/store';
import { writeTodayLog } from './bench-live';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'docs/wallboard.png' } } });

const dir = mkdtempSync(join(tmpdir(), 'holdline-wallboard-shot-'));
const store = join(dir, 'store.duckdb');
(await openStore(store, { readOnly: false })).close();
const log = join(dir, 'queue_log');
writeTodayLog(log, Math.floor(Date.now() / 1000));
const server = await startServer({
	engine: `duckdb:${store}`,
	app: 'build',
	host: '127.0.0.1',
	port: 0,
	// One queue with a stricter target, so the tiles show that targets are per queue.
	follow: {
		path: log,
		utcOffsetSeconds: 0,
		targets: { default: { percent: 80, thresholdS: 20, wrapUpS: 15 }, queues: { q2: { percent: 90, thresholdS: 30, wrapUpS: 15 } } }
	}
});
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
try {
	await server.live!.ready;
	const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
	await page.addInitScript(() => localStorage.setItem('holdline.lang', 'en'));
	await page.goto(`${server.url}/wallboard`);
	await page.locator('[data-connection="open"]').waitFor();
	await page.locator('[data-queue]').first().waitFor();
	await page.locator('tr[data-agent]').first().waitFor();
	// The web font's glyphs, not the fallback's.
	await page.evaluate(() => document.fonts.ready);
	await page.screenshot({ path: values.out! });
	console.log(`written: ${values.out}`);
} finally {
	await browser.close();
	await server.close();
	rmSync(dir, { recursive: true, force: true });
}
