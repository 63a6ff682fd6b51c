import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { inputFolder, openHarness, type Harness } from './harness';
import { generateText } from '$lib/synthetic/generate';

/**
 * A clean CSV on the Import page goes to DuckDB-WASM's own reader (clean-csv.ts), its physical
 * lines counted in a worker of their own (line-worker.ts) to prove row n is line n + 1: a row
 * failing a check keeps its line. A file with a blank line is not clean: the count says so, and
 * the pieces read it, with the same lines.
 */
let harness: Harness;
let page: Page;
const folder = inputFolder('holdline-clean-');
/** The workers the page started since the last import's click, by file name. */
let workers: string[] = [];

beforeAll(async () => {
	harness = await openHarness();
	page = await harness.newPage();
	page.on('worker', (worker) => workers.push(worker.url().split('/').pop() ?? ''));
});
afterAll(async () => {
	await harness?.close();
	folder.remove();
});

/** The generated layout's lines (the header first), and a call whose answer comes an hour before its arrival. */
const generated = () => [...generateText({ rows: 3000, seed: 11, start: '2024-03-01', incident: null, completeShare: 0.5 }, 'csv')];
const answerBeforeArrival = 'B1,座席一部,S1-001,2024-03-01 11:00:00,2024-03-01 10:00:00,2024-03-01 11:05:00,0,300,0,10,answered,synthetic\n';

async function importFile(name: string, lines: string[]) {
	await page.goto(`${harness.baseUrl}/import`);
	await page.getByTestId('import-input').setInputFiles(folder.write(name, lines.join('')));
	await page.getByTestId('import-start').waitFor();
	workers = [];
	await page.getByTestId('import-start').click();
	await page.getByTestId('import-done').waitFor({ timeout: 60_000 });
}

const skipped = () => page.locator('[data-testid="quality-entry"][data-kind="skipped"][data-code="answer_before_arrival"]');

describe('a clean CSV on the Import page', () => {
	it('is read by the database with its lines counted in a worker, and a refused row keeps its line', async () => {
		const lines = generated();
		lines.splice(79, 0, answerBeforeArrival); // line 80
		await importFile('clean.csv', lines);
		expect(workers.filter((w) => w.startsWith('line-worker'))).toHaveLength(1);
		expect(workers.filter((w) => w.startsWith('piece-worker'))).toEqual([]);
		expect(await skipped().getAttribute('data-count')).toBe('1');
		expect(await skipped().textContent()).toContain('clean.csv:80 — ');
		expect(harness.errors).toEqual([]);
	});

	it('goes in pieces when a blank line breaks row n = line n + 1', async () => {
		const lines = generated();
		lines.splice(79, 0, answerBeforeArrival); // line 80
		// After the refused row: the pieces number the lines after a blank line one short (its own
		// matter), which this test is not about.
		lines.splice(199, 0, '\n'); // line 200
		await importFile('blank.csv', lines);
		expect(workers.filter((w) => w.startsWith('line-worker'))).toHaveLength(1);
		expect(workers.filter((w) => w.startsWith('piece-worker'))).toHaveLength(1);
		expect(await skipped().textContent()).toContain('blank.csv:80 — ');
		expect(harness.errors).toEqual([]);
	});
});
