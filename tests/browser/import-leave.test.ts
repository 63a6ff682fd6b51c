import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { openHarness, type Harness } from './harness';

/**
 * An import belongs to its page: leaving mid-way asks, and cancels it (no dataset appears
 * later behind the user's back); importing the same files again asks before a duplicate.
 */
let harness: Harness;
let page: Page;
const dialogs: string[] = [];
let answer: 'accept' | 'dismiss' = 'dismiss';

beforeAll(async () => {
	harness = await openHarness();
	page = await harness.newPage();
	page.on('dialog', (dialog) => {
		dialogs.push(dialog.message());
		void (answer === 'accept' ? dialog.accept() : dialog.dismiss());
	});
});
afterAll(async () => harness?.close());

const datasetsStored = () => page.evaluate(() => JSON.parse(localStorage.getItem('holdline.datasets') ?? '[]').length as number);

/** About 22 MB of plain calls: still importing when the user leaves. */
function bigCsv(): Buffer {
	const rows = ['call_id,queue,agent,arrival,answer,end,outcome'];
	for (let i = 0; i < 250_000; i++) {
		const m = String(i % 60).padStart(2, '0');
		rows.push(`C${i},cards,agent${i % 40},2024-03-04 09:${m}:00,2024-03-04 09:${m}:10,2024-03-04 09:${m}:50,answered`);
	}
	return Buffer.from(rows.join('\n') + '\n');
}

describe('an import belongs to its page', () => {
	it('leaving mid-import asks; staying keeps importing; leaving cancels and no dataset appears', { timeout: 180_000 }, async () => {
		await page.goto(`${harness.baseUrl}/import`);
		// Handing the browser 22 MB from memory took 28 s with the machine's load average at 12 (2 cores).
		await page.getByTestId('import-input').setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: bigCsv() }, { timeout: 120_000 });
		await page.getByTestId('import-start').click();
		await expect.poll(() => page.getByTestId('import-progress').evaluate((p) => (p as HTMLProgressElement).value), { timeout: 60_000 }).toBeGreaterThan(0);

		// Asked, the user stays: still on the Import page, still importing.
		answer = 'dismiss';
		await page.locator('nav a[href="/"]').click();
		await expect.poll(() => dialogs.length).toBe(1);
		expect(dialogs[0]).toMatch(/导入尚未完成/);
		expect(new URL(page.url()).pathname).toBe('/import');
		expect(await page.getByTestId('import-cancel').isVisible()).toBe(true);

		// Asked again, the user leaves: the import is cancelled with the page.
		answer = 'accept';
		await page.locator('nav a[href="/"]').click();
		await expect.poll(() => new URL(page.url()).pathname).toBe('/');
		// The import's end, which the page marks however it ends: had it gone on (as before imports
		// belonged to their page), it would have saved its dataset by then.
		const ends = () =>
			page.evaluate(() =>
				performance.getEntriesByName('holdline:import-end').map((e) => (e as PerformanceMark).detail as { step: string; problem: string | null })
			);
		await expect.poll(ends, { timeout: 60_000 }).toHaveLength(1);
		expect(await ends()).toEqual([{ step: 'failed', problem: 'cancelled' }]);
		expect(await datasetsStored()).toBe(0);
		await page.goto(`${harness.baseUrl}/service`);
		// The story dataset only (the menu is drawn once the page knows whether a server answers).
		await expect.poll(() => page.getByTestId('dataset-select').locator('option').count()).toBe(1);
	});

	it('the same files again: asked first, with the earlier dataset to open instead', { timeout: 120_000 }, async () => {
		const file = fileURLToPath(new URL('../fixtures/imports/Master.csv', import.meta.url));
		await page.goto(`${harness.baseUrl}/import`);
		await page.getByTestId('import-input').setInputFiles(file);
		await page.getByTestId('import-start').click();
		await page.getByTestId('import-done').waitFor({ timeout: 60_000 });
		expect(await datasetsStored()).toBe(1);

		await page.goto(`${harness.baseUrl}/import`);
		await page.getByTestId('import-input').setInputFiles(file);
		await page.getByTestId('import-start').click();
		await page.getByTestId('import-duplicate').waitFor();
		expect(await page.getByTestId('import-duplicate').textContent()).toContain('Master');
		expect(await datasetsStored()).toBe(1);
		// Chosen knowingly, the second import goes ahead.
		await page.getByTestId('import-again').click();
		await page.getByTestId('import-done').waitFor({ timeout: 60_000 });
		expect(await datasetsStored()).toBe(2);
	});
});
