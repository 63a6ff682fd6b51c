import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openHarness, waitReady, type Harness } from './harness';
import { CSV_HEADER, csvLine, generateCalls, type SyntheticCall } from '$lib/synthetic/generate';
import { formatNumber } from '$lib/i18n/format';

let harness: Harness;
let scratch: string;
let calls: SyntheticCall[];
let file: string;

beforeAll(async () => {
	harness = await openHarness();
	scratch = mkdtempSync(join(tmpdir(), 'holdline-remembered-'));
	calls = [...generateCalls({ rows: 600, seed: 11, start: '2024-03-04', incident: null, completeShare: 1 })];
	file = join(scratch, 'calls-600.csv');
	writeFileSync(file, [CSV_HEADER, ...calls.map(csvLine)].join('\n') + '\n');
});
afterAll(async () => {
	await harness?.close();
	rmSync(scratch, { recursive: true, force: true });
});

const KPIS = ['volume', 'sl', 'asa', 'aht', 'abandon'] as const;
const kpiTexts = (page: Page) => Promise.all(KPIS.map((id) => page.getByTestId(`kpi-${id}`).textContent()));

/** Names of the origin-private files. */
const storedNames = (page: Page) =>
	page.evaluate(async () => {
		const names: string[] = [];
		const dir = await navigator.storage.getDirectory();
		for await (const [name] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) names.push(name);
		return names.sort();
	});

/** How many answers the dataset's remembered-answers file holds (0 while it is missing or being written). */
const rememberedCount = (page: Page, id: string) =>
	page.evaluate(async (name) => {
		try {
			const file = await (await (await navigator.storage.getDirectory()).getFileHandle(name)).getFile();
			// A line naming the format, then one line per answer; a file being written does not parse.
			const lines = (await file.text()).split('\n').map((line) => JSON.parse(line) as unknown);
			return lines.length - 1;
		} catch {
			return 0;
		}
	}, `${id}.answers.json`);

const databaseReady = (page: Page) => page.evaluate(() => document.documentElement.dataset.database === 'ready');

describe('a reopened dataset shows its remembered answers at once', () => {
	let id = '';
	let seen: (string | null)[] = [];

	it('the first visit keeps its answers beside the stored copy', async () => {
		const page = await harness.newPage();
		await page.goto(`${harness.baseUrl}/import`);
		await page.getByTestId('import-input').setInputFiles(file);
		await page.getByTestId('import-start').click();
		await page.getByTestId('import-done').waitFor({ timeout: 60_000 });
		await page.getByTestId('import-view').click();
		await waitReady(page);
		// Counted row by row from the generated calls: every one of them is a call of the dataset.
		await expect.poll(() => page.getByTestId('kpi-volume').textContent()).toBe(formatNumber(calls.length, 'zh-CN'));
		seen = await kpiTexts(page);
		id = new URL(page.url()).searchParams.get('ds')!;
		expect(id).toMatch(/^ds_/);
		// The menus, the wait reach and the five views, written once the page is idle.
		await expect.poll(() => rememberedCount(page, id), { timeout: 20_000 }).toBeGreaterThanOrEqual(7);
		await page.close();
	});

	it('a new tab shows the same KPIs while the engine cannot start, then answers a filter live', async () => {
		const page = await harness.newPage();
		// The engine's WebAssembly is held back until released: nothing can be asked of DuckDB meanwhile.
		let release!: () => void;
		const released = new Promise<void>((resolve) => (release = resolve));
		let held = 0;
		await page.route('**/*.wasm', async (route) => {
			held++;
			await released;
			await route.continue();
		});
		await page.goto(`${harness.baseUrl}/service?ds=${id}`);
		await waitReady(page);
		expect(await kpiTexts(page)).toEqual(seen);
		await expect.poll(() => held).toBeGreaterThan(0); // the engine did ask for its wasm, and waits
		expect(await databaseReady(page)).toBe(false);
		expect(await page.evaluate(() => document.documentElement.dataset.datasetOpen)).toBeUndefined();
		expect(await kpiTexts(page)).toEqual(seen);

		release();
		await expect.poll(() => page.evaluate(() => document.documentElement.dataset.datasetOpen)).toBe(id);
		expect(await databaseReady(page)).toBe(true);
		// A department no answer was kept for: asked live (the attached table or its indexes), counted here row by row.
		const department = calls[0]!.department;
		const inDepartment = calls.filter((c) => c.department === department).length;
		expect(inDepartment).toBeLessThan(calls.length);
		await page.getByTestId('filter-queue').selectOption(department);
		await expect.poll(() => page.getByTestId('kpi-volume').textContent()).toBe(formatNumber(inDepartment, 'zh-CN'));
		await waitReady(page);
		expect(harness.errors).toEqual([]);
		await page.close();
	});

	it('deleting the dataset deletes its remembered answers', async () => {
		const page = await harness.newPage();
		page.on('dialog', (dialog) => void dialog.accept());
		await page.goto(`${harness.baseUrl}/service?ds=${id}`);
		await waitReady(page);
		expect(await storedNames(page)).toContain(`${id}.answers.json`);
		await page.getByTestId('dataset-delete').click();
		await expect.poll(() => storedNames(page)).toEqual([]);
		expect(harness.errors).toEqual([]);
		await page.close();
	});
});
