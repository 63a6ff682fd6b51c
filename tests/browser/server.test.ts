import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeEngine } from '$lib/engine/node';
import type { Engine } from '$lib/engine/types';
import { DEFAULT_SETTINGS, summaryQuery, type ServiceRow } from '$lib/metrics/service';
import { DEPARTMENTS, generateFile } from '$lib/synthetic/generate';
import { startServer, type Running } from '$lib/server/http';
import { loadIntoStore } from '$lib/server/load';
import { openStore } from '$lib/server/store';
import { importFromDisk, importSettings } from '../../src/cli/shared';
import { CHROMIUM } from './harness';
import { EMPTY_FILTER, type Filter } from '$lib/filters/filter';

let dir: string;
let server: Running;
let browser: Browser;
let direct: Engine;
const errors: string[] = [];

beforeAll(async () => {
	if (!existsSync('build/index.html')) throw new Error('build/ is missing: run `npm run build` first.');
	dir = mkdtempSync(join(tmpdir(), 'holdline-serve-'));
	const file = join(dir, 'week.csv');
	writeFileSync(file, generateFile({ rows: 3000, seed: 21, start: '2024-03-04', incident: null, completeShare: 0.5 }, 'csv').text);
	const options = (files: string[]) => importSettings({ 'utc-offset': '0' }, files);
	const store = join(dir, 'store.duckdb');
	const writer = await openStore(store, { readOnly: false });
	await loadIntoStore(writer.engine, [file], 'week', (files, table) => importFromDisk(writer.engine, options(files), table));
	writer.close();
	server = await startServer({ engine: `duckdb:${store}`, app: 'build', host: '127.0.0.1', port: 0 });
	// The figures computed independently: the same file imported the ordinary way, on DuckDB-WASM.
	direct = await openNodeEngine();
	await importFromDisk(direct, options([file]), 'calls_direct');
	browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
});

afterAll(async () => {
	await browser?.close();
	await server?.close();
	rmSync(dir, { recursive: true, force: true });
});

const expected = async (filter: Filter) =>
	(await direct.query<ServiceRow & Record<string, unknown>>(summaryQuery('calls_direct', DEFAULT_SETTINGS, filter)))[0]!;
const digits = (text: string | null) => Number((text ?? '').replace(/\D/g, ''));

async function open(): Promise<Page> {
	const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	page.on('pageerror', (error) => errors.push(error.message));
	return page;
}

describe('the Service level page served by npm run serve', () => {
	it('lists the server’s dataset, says the DuckDB server answers, and shows its KPIs; a filter change updates them', async () => {
		const page = await open();
		const views: string[] = [];
		const wasm: string[] = [];
		page.on('request', (request) => request.url().endsWith('/api/view') && views.push(request.postData() ?? ''));
		page.on('request', (request) => request.url().endsWith('.wasm') && wasm.push(request.url()));
		await page.goto(`${server.url}/service`);
		await expect.poll(() => page.getByTestId('engine').textContent()).toContain('DuckDB 服务器');
		await expect.poll(() => page.getByTestId('dataset-select').locator('option:checked').textContent()).toContain('week');
		const all = await expected(EMPTY_FILTER);
		await expect.poll(async () => digits(await page.getByTestId('kpi-volume').textContent())).toBe(all.volume);
		await expect.poll(() => page.getByTestId('kpi-sl').textContent()).toBe(`${Math.round(all.service_level! * 100)}%`);

		const queue = DEPARTMENTS[2]!;
		await page.getByTestId('filter-queue').selectOption(queue);
		const one = await expected({ ...EMPTY_FILTER, queue });
		expect(one.volume).toBeLessThan(all.volume);
		await expect.poll(async () => digits(await page.getByTestId('kpi-volume').textContent())).toBe(one.volume);
		await expect.poll(() => page.getByTestId('kpi-sl').textContent()).toBe(`${Math.round(one.service_level! * 100)}%`);
		// The questions went to the server by name, never as SQL.
		expect(views.length).toBeGreaterThan(0);
		for (const body of views) {
			expect(Object.keys(JSON.parse(body)).sort()).toEqual(['dataset', 'filter', 'settings', 'view']);
			expect(body).not.toMatch(/SELECT/i);
		}
		// The staffing section too is the server's answer (its load per interval, by name).
		await page.getByTestId('staffing').scrollIntoViewIfNeeded();
		await expect.poll(() => page.getByTestId('staffing-summary').count()).toBe(1);
		expect(views.some((body) => JSON.parse(body).view === 'staffingLoad')).toBe(true);
		// The server answers every question: the browser's engine (34 MB of wasm) is never fetched.
		expect(wasm).toEqual([]);
		expect(await page.evaluate(() => document.documentElement.dataset.database ?? 'not started')).toBe('not started');
		expect(errors).toEqual([]);
		await page.close();
	});
});

/** The report's summary cell for a measure, as the page shows it. */
async function summaryText(page: Page, measure: string) {
	const row = page.locator('[data-table="summary"] tbody tr').filter({ has: page.locator('td[data-col="metric"]', { hasText: new RegExp(`^${measure}$`) }) });
	return (await row.locator('td[data-col="now"]').textContent())?.trim();
}

describe('the Report page served by npm run serve', () => {
	it('reports the server’s dataset from the server’s named views: KPIs, and a department chosen', async () => {
		const page = await open();
		const views: string[] = [];
		page.on('request', (request) => request.url().endsWith('/api/view') && views.push(request.postData() ?? ''));
		await page.goto(`${server.url}/report`);
		await expect.poll(() => page.getByTestId('dataset-select').locator('option:checked').textContent()).toContain('week');
		await page.locator('[data-report-ready="true"]').waitFor({ timeout: 30_000 });
		// The last 7 days of the data: all of its one day.
		await expect.poll(() => page.getByTestId('report-period').textContent()).toBe('2024-02-27 – 2024-03-04');
		const all = await expected(EMPTY_FILTER);
		await expect.poll(async () => digits((await summaryText(page, '来电量')) ?? null)).toBe(all.volume);
		expect(await summaryText(page, '服务水平')).toBe(`${(all.service_level! * 100).toFixed(1)}%`);
		expect(await page.locator('[data-section="staffing"] tbody tr').count()).toBeGreaterThan(0);

		const queue = DEPARTMENTS[1]!;
		await page.locator(`[data-testid="report-depts-choice"] input[value="${queue}"]`).check();
		const one = await expected({ ...EMPTY_FILTER, queues: [queue] });
		await expect.poll(async () => digits((await summaryText(page, '来电量')) ?? null)).toBe(one.volume);
		// Every figure came from the server by name, never as SQL.
		expect(views.map((body) => JSON.parse(body).view)).toEqual(expect.arrayContaining(['summary', 'reportQueues', 'reportAgents', 'staffingLoad']));
		for (const body of views) expect(body).not.toMatch(/SELECT/i);
		expect(errors).toEqual([]);
		await page.close();
	});
});
