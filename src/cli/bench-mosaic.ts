/**
 * The bench's reference page (`npm run bench -- --peer mosaic`): Mosaic over DuckDB-WASM on the
 * same generated file, timed by the same Chromium as holdline's page. Its packages are
 * installed from the npm registry into `bench/peers/mosaic/` only when asked (not part of
 * `npm ci`, not a workspace), its page built with the app's own vite and served here.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { DEPARTMENTS, dragFrames, freshBrowser, longTasks, pageQuiet, type DragFrames, type Launch } from './bench-browser';

const PEER = resolve('bench/peers/mosaic');
const TYPES: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript',
	'.wasm': 'application/wasm',
	'.css': 'text/css',
	'.csv': 'text/csv'
};

/** Installs the pinned packages (once) and builds the page; throws with the tool's own output. */
export function preparePeer(): void {
	if (!existsSync(join(PEER, 'node_modules/@uwdata/vgplot')))
		execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock'], { cwd: PEER, stdio: 'inherit' });
	execFileSync(resolve('node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], { cwd: PEER, stdio: 'inherit' });
}

/** Serves the built page, and `/calls.csv` as `file`. */
function serve(file: string): Promise<{ server: Server; base: string }> {
	const dist = join(PEER, 'dist');
	const server = createServer((request, response) => {
		const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
		const target = path === '/calls.csv' ? file : join(dist, path === '/' ? 'index.html' : path);
		if (!target.startsWith(dist) && target !== file) return void response.writeHead(403).end();
		if (!existsSync(target) || !statSync(target).isFile()) return void response.writeHead(404).end();
		response.writeHead(200, { 'content-type': TYPES[extname(target)] ?? 'application/octet-stream', 'content-length': statSync(target).size });
		createReadStream(target).pipe(response);
	});
	return new Promise((ready) =>
		server.listen(0, '127.0.0.1', () => ready({ server, base: `http://127.0.0.1:${(server.address() as { port: number }).port}` }))
	);
}

export interface PeerTimes {
	loadedSeconds: number;
	menu: number[];
	timeBrush: number[];
	waitBrush: number[];
	longTasksMenu: number[];
	longTasksBrush: number[];
	/** A 2-second drag across the time chart's brush, as holdline's (`dragTimeChart`). */
	timeDrag: PeerDrag;
}

export interface PeerDrag extends DragFrames {
	/** From the pointer entering the chart to the page settled (Mosaic makes its brush tables then), ms. */
	preparedMs: number;
	/** From the button's release to the page settled, ms. */
	releaseToRepaintMs: number;
}

/** The page's views, as the drag counts them. */
const PEER_VIEWS = { kpis: '#kpis', time: '#time', waits: '#waits', agents: '#agents' };
/** The brushes' own layers (Mosaic's interval interactors draw a d3 brush in a group of their own). */
const PEER_OVERLAYS = 'g[class^="interval-"]';

/** The frame after every view last changed, once no query is pending (the page's `__settled`). */
const settled = (page: Page) => page.evaluate(() => (window as unknown as { __settled: () => Promise<number> }).__settled());

/** A brush on the plot in `#id` from `a` to `b` (shares of its width); the time from the move that sets it to every view repainted. */
async function brush(page: Page, id: string, a: number, b: number): Promise<number> {
	const box = (await page.locator(`#${id} svg`).first().boundingBox())!;
	const y = box.y + box.height / 2;
	const x = (share: number) => box.x + 40 + share * (box.width - 60);
	await page.mouse.move(x(a), y); // pointer enters: Mosaic prepares its tables for this brush
	await settled(page);
	await page.mouse.down();
	await page.mouse.move(x((a + b) / 2), y);
	await settled(page);
	await longTasks(page);
	await page.evaluate(() => {
		const w = window as unknown as { __moved: number };
		addEventListener('pointermove', () => (w.__moved = performance.now()), { capture: true, once: true });
	});
	await page.mouse.move(x(b), y);
	const end = await settled(page);
	const moved = await page.evaluate(() => (window as unknown as { __moved: number }).__moved);
	await page.mouse.up();
	await settled(page);
	return end - moved;
}

/** A click on a plot outside its brushed range: the brush is cleared, its filter with it. */
async function clearBrush(page: Page, id: string): Promise<void> {
	const box = (await page.locator(`#${id} svg`).first().boundingBox())!;
	await page.mouse.click(box.x + 40 + 0.97 * (box.width - 60), box.y + box.height / 2);
	await settled(page);
}

/** The drag of `dragTimeChart` on the time chart, with no brush or department set; the timed times and their long tasks as holdline's. */
async function dragTime(page: Page, seconds = 2): Promise<PeerDrag> {
	await clearBrush(page, 'waits');
	await clearBrush(page, 'time');
	await pageQuiet(page);
	const box = (await page.locator('#time svg').first().boundingBox())!;
	const y = box.y + box.height / 2;
	const x = (share: number) => box.x + 40 + share * (box.width - 60);
	const entered = Date.now();
	await page.mouse.move(x(0.1), y); // pointer enters: Mosaic prepares its tables for this brush
	await settled(page);
	const preparedMs = Date.now() - entered;
	await pageQuiet(page);
	const drag = await dragFrames(page, { x: x(0.1), y }, { x: x(0.9), y }, PEER_VIEWS, PEER_OVERLAYS, seconds);
	// pointerup: the brush stops the mouseup on the window before a listener added now sees it.
	await page.evaluate(() =>
		addEventListener('pointerup', () => ((window as unknown as { __up: number }).__up = performance.now()), { capture: true, once: true })
	);
	await page.mouse.up();
	const end = await settled(page);
	const up = await page.evaluate(() => (window as unknown as { __up: number }).__up);
	return { ...drag, preparedMs, releaseToRepaintMs: end - up };
}

export async function timeMosaic(launch: Launch, file: string, changes: number): Promise<PeerTimes> {
	const { server, base } = await serve(file);
	const { context, close } = await freshBrowser(launch);
	try {
		const page = await context.newPage();
		const t0 = Date.now();
		await page.goto(`${base}/?file=calls.csv`);
		await page.waitForFunction(() => document.documentElement.dataset.ready === 'true', null, { timeout: 900_000, polling: 200 });
		const times: Omit<PeerTimes, 'timeDrag'> = {
			loadedSeconds: (Date.now() - t0) / 1000,
			menu: [],
			timeBrush: [],
			waitBrush: [],
			longTasksMenu: [],
			longTasksBrush: []
		};
		const per = Math.max(3, Math.round(changes / 3));
		const select = page.locator('#menu select');
		for (let i = 0; i < per; i++) {
			await select.hover(); // as a user reaches the menu (Mosaic prepares on pointer enter)
			await settled(page);
			await longTasks(page);
			const value = DEPARTMENTS[i % DEPARTMENTS.length]!;
			const elapsed = await page.evaluate(async (value) => {
				const select = document.querySelector('#menu select') as HTMLSelectElement;
				const t0 = performance.now();
				select.value = value;
				select.dispatchEvent(new Event('input', { bubbles: true }));
				return (await (window as unknown as { __settled: () => Promise<number> }).__settled()) - t0;
			}, value);
			times.menu.push(elapsed);
			times.longTasksMenu.push(...(await longTasks(page)));
		}
		// Brushes with the menu back on all departments, as holdline's time changes are made alone.
		await page.evaluate(() => {
			const select = document.querySelector('#menu select') as HTMLSelectElement;
			select.value = '';
			select.dispatchEvent(new Event('input', { bubbles: true }));
		});
		await settled(page);
		for (let i = 0; i < per; i++) {
			const a = ((i * 7) % 20) / 40;
			times.timeBrush.push(await brush(page, 'time', a, a + 0.1 + (i % 4) * 0.05));
			times.longTasksBrush.push(...(await longTasks(page)));
		}
		for (let i = 0; i < per; i++) {
			const a = ((i * 3) % 10) / 40;
			times.waitBrush.push(await brush(page, 'waits', a, a + 0.15 + (i % 3) * 0.1));
			times.longTasksBrush.push(...(await longTasks(page)));
		}
		return { ...times, timeDrag: await dragTime(page) };
	} finally {
		await close();
		server.close();
	}
}
