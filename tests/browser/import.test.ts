import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { downloadFrom, openHarness, waitReady, type Harness } from './harness';
import { expectMasterKpis } from './master-kpis';

let harness: Harness;
let page: Page;
const dialogs: string[] = [];

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/imports/${name}`, import.meta.url));
const kpi = (id: string) => page.getByTestId(`kpi-${id}`);

beforeAll(async () => {
	harness = await openHarness();
	page = await harness.newPage();
	page.on('dialog', (dialog) => {
		dialogs.push(dialog.message());
		void dialog.dismiss();
	});
});
afterAll(async () => harness?.close());

/** Imports through the file chooser; `badRows` picks the bad-row option (skip-and-report is the default). */
async function importThroughChooser(files: string[], badRows?: 'skip' | 'abort') {
	await page.goto(`${harness.baseUrl}/import`);
	await page.getByTestId('import-input').setInputFiles(files.map(fixture));
	await page.getByTestId('import-start').waitFor();
	if (badRows) await page.getByTestId(`bad-rows-${badRows}`).check();
	await page.getByTestId('import-start').click();
}

describe('bring your own call records', () => {
	it('imports an Asterisk Master.csv through the file chooser and shows its service levels', async () => {
		await page.goto(`${harness.baseUrl}/import`);
		await page.getByTestId('import-input').setInputFiles(fixture('Master.csv'));
		await expect.poll(() => page.getByTestId('import-format').first().textContent()).toContain('Asterisk CDR');
		await page.getByTestId('import-start').click();
		await page.getByTestId('import-done').waitFor({ timeout: 30_000 });
		expect(Number(await page.getByTestId('import-memory').getAttribute('data-bytes'))).toBeGreaterThan(0);
		expect(await page.getByTestId('import-memory').textContent()).toMatch(/MB|KB/);
		await page.getByTestId('import-view').click();
		await expectMasterKpis(page);
		expect(harness.errors).toEqual([]);
	});

	it('changing the abandon variant and a queue filter recomputes, in the URL', async () => {
		await page.getByTestId('setting-variant').selectOption('exclude');
		await expect.poll(() => page.url()).toContain('abandons=exclude');
		await expect.poll(() => kpi('sl').textContent()).toBe('67%'); // 2 of 3 answered
		// The page's view group prepares cubes for its views once they are answered.
		await page.locator('[data-indexed="true"]').waitFor({ timeout: 30_000 });
		await page.getByTestId('filter-queue').selectOption('8001');
		await expect.poll(() => page.url()).toContain('dept=8001');
		await expect.poll(() => kpi('volume').textContent()).toBe('4');
		await waitReady(page); // every chart has its new answer, not only the KPIs
	});

	it('exports the CSV behind a chart', async () => {
		const { bytes } = await downloadFrom(page, '#chart-sl-by-queue [data-export="csv"]');
		const text = bytes.toString('utf8');
		expect(text.charCodeAt(0)).toBe(0xfeff);
		const lines = text.slice(1).trim().split('\r\n');
		expect(lines).toHaveLength(2); // header + queue 8001 (filtered)
		expect(lines[1]!.startsWith('8001,4,4,3,1,')).toBe(true);
	});

	it('the dataset survives a reload', async () => {
		await page.reload();
		await waitReady(page);
		await expect.poll(() => kpi('volume').textContent()).toBe('4');
		expect(await page.getByTestId('dataset-select').locator('option').count()).toBe(2); // story + Master.csv
	});

	it('a bad file is reported with file, line, column and value, and the loaded dataset stays intact', async () => {
		await importThroughChooser(['bad-time.csv'], 'abort');
		const error = page.getByTestId('import-error');
		await error.waitFor({ timeout: 30_000 });
		const text = (await error.textContent()) ?? '';
		expect(text).toContain('bad-time.csv');
		expect(text).toContain('第 3 行');
		expect(text).toContain('arrival');
		expect(text).toContain('2024-13-45 09:02:00');
		await page.goto(`${harness.baseUrl}/service`);
		await waitReady(page);
		await expect.poll(() => kpi('volume').textContent()).toBe('6');
		expect(await page.getByTestId('dataset-select').locator('option').count()).toBe(2);
	});

	it('a GB18030 export with Chinese headers maps itself, and the incident window works on it', async () => {
		await page.goto(`${harness.baseUrl}/import`);
		await page.getByTestId('import-input').setInputFiles(fixture('mapped-gb18030.csv'));
		await page.locator('select[data-field="arrival"]').waitFor();
		expect(await page.locator('select[data-field="arrival"]').inputValue()).toBe('来电时间');
		expect(await page.locator('select[data-field="queue"]').inputValue()).toBe('部门');
		await page.getByTestId('import-start').click();
		await page.getByTestId('import-done').waitFor({ timeout: 30_000 });
		await page.getByTestId('import-view').click();
		await waitReady(page);
		await expect.poll(() => kpi('sl').textContent()).toBe('57%'); // 4 of 7 within 20 s
		await page.getByTestId('incident-onset').fill('2024-03-04T14:28');
		await page.getByTestId('incident-apply').click();
		await expect.poll(() => kpi('incident-in-progress').textContent()).toBe('5');
		expect(await kpi('incident-after').textContent()).toBe('3分33秒'); // median of 213, 60, 300 s
		expect(new URL(page.url()).searchParams.get('onset')).toBe('2024-03-04 14:28:00');
	});

	it('dragging across the time chart filters a time range, in the URL', async () => {
		const overlay = page.locator('#chart-sl-over-time svg .overlay');
		// The incident form above may have scrolled the page past the chart: the mouse acts on what is in view.
		await overlay.scrollIntoViewIfNeeded();
		const box = (await overlay.boundingBox())!;
		await page.mouse.move(box.x + 2, box.y + box.height / 2);
		await page.mouse.down();
		await page.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2, { steps: 5 });
		await page.mouse.up();
		await expect.poll(() => new URL(page.url()).searchParams.get('from')).toBe('2024-03-04 14:00:00');
		expect(new URL(page.url()).searchParams.get('to')).toBe('2024-03-04 15:00:00');
		await waitReady(page);
	});

	it('files dropped on any page go to the import, and a saved mapping is offered again', async () => {
		const csv = readFileSync(fixture('mapped-utf8.csv'), 'utf8');
		await page.evaluate((text) => {
			const transfer = new DataTransfer();
			transfer.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
			window.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, cancelable: true }));
			window.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, cancelable: true }));
		}, csv);
		await expect.poll(() => new URL(page.url()).pathname).toBe('/import');
		await page.getByTestId('mapping-saved').waitFor();
		expect(await page.locator('select[data-field="agent"]').inputValue()).toBe('坐席');
		expect(await page.getByTestId('import-name').inputValue()).toBe('dropped');
	});

	it('hostile cell text is shown as text, and skipped rows are listed', async () => {
		await importThroughChooser(['hostile.csv'], 'skip');
		await page.getByTestId('import-done').waitFor({ timeout: 30_000 });
		expect(await page.locator('[data-testid="quality-entry"][data-kind="skipped"][data-code="malformed"]').textContent()).toContain('hostile.csv:6 — ');
		await page.getByTestId('import-view').click();
		await waitReady(page);
		const agents = await page.getByTestId('filter-agent').locator('option').allTextContents();
		expect(agents).toContain('<script>alert(1)</script>');
		expect(agents).toContain('<img src=x onerror=alert(2)>');
		expect(await page.locator('main img').count()).toBe(0);
		expect(dialogs).toEqual([]);
	});
});
