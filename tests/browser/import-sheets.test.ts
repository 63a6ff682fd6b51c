import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { importAndOpen, inputFolder, openHarness, waitReady, type Harness } from './harness';
import { generateSheet, type SheetTruth } from '$lib/synthetic/sheet';
import { BUSINESS_RESULTS } from '$lib/synthetic/sheet-layouts';

/**
 * Per-call spreadsheets through the Import page with the mapping it guesses: the dataset's
 * figures on the Service level page equal the generator's per-call truth; an outcome column
 * whose values nothing settles stops the import, lists them, and imports once they are assigned.
 */

let harness: Harness;
let page: Page;
const files = inputFolder('holdline-sheets-');
const options = { rows: 1200, seed: 11, start: '2021-03-01', incident: null, completeShare: 0.6 };

beforeAll(async () => {
	harness = await openHarness();
	page = await harness.newPage();
});
afterAll(async () => {
	await harness?.close();
	files.remove();
});

const answered = (calls: { outcome: string }[]) => calls.filter((c) => c.outcome === 'answered').length;
const count = (text: string | null) => Number((text ?? '').replace(/\D/g, ''));

const write = files.write;

async function choose(path: string) {
	await page.goto(`${harness.baseUrl}/import`);
	await page.getByTestId('import-input').setInputFiles(path);
	await page.getByTestId('import-start').waitFor();
}

/** Imports what is chosen, opens it on the Service level page, and gives its volume and answered calls. */
async function importAndView(): Promise<{ volume: number; answered: number }> {
	await importAndOpen(page);
	// The ASA card says how many answered calls its mean is over.
	return { volume: count(await page.getByTestId('kpi-volume').textContent()), answered: count(await page.locator('[data-kpi="asa"] .detail').textContent()) };
}

const expectTruth = (got: { volume: number; answered: number }, truth: SheetTruth) =>
	expect(got).toEqual({ volume: truth.calls.length, answered: answered(truth.calls) });

describe('spreadsheets through the Import page', () => {
	it('a workbook with title rows and Y/N flags imports with the guessed mapping to its truth', async () => {
		const { bytes, truth } = await generateSheet(options, 'flag-outcome', 'xlsx', { titles: true, fileName: 'flags.xlsx' });
		await choose(write('flags.xlsx', bytes));
		expect(await page.locator('select[data-field="outcome"]').inputValue()).toBe('Answered (Y/N)');
		// Y and N are common words: their meanings are guessed, nothing is left to choose.
		await expect.poll(() => page.locator('[data-testid="outcome-value"][data-value="Y"] select').inputValue()).toBe('answered');
		expect(await page.locator('[data-testid="outcome-value"][data-value="N"] select').inputValue()).toBe('abandoned');
		expectTruth(await importAndView(), truth);
	});

	it('a CSV with the date and the times of day apart: the preview as calls, then the import, agree with the truth', async () => {
		const { text, truth } = generateSheet(options, 'split-datetime', 'csv', { fileName: 'split.csv' });
		await choose(write('split.csv', text));
		expect(await page.locator('select[data-field="date"]').inputValue()).toBe('Date');
		expect(await page.locator('[data-testid="mapping-why"][data-field="date"]').getAttribute('data-reason')).toBe('name');
		const kpis = page.getByTestId('calls-preview-kpis');
		await kpis.waitFor({ timeout: 30_000 });
		const head = truth.calls.slice(0, 1000);
		expect(Number(await kpis.getAttribute('data-volume'))).toBe(head.length);
		expect(Number(await kpis.getAttribute('data-answered'))).toBe(answered(head));
		// A wrong mapping shows before importing: without the date, the times of day cannot be placed.
		await page.locator('select[data-field="date"]').selectOption('');
		await expect.poll(() => page.getByTestId('calls-preview-error').textContent(), { timeout: 30_000 }).toContain('Time');
		await page.locator('select[data-field="date"]').selectOption('Date');
		await kpis.waitFor({ timeout: 30_000 });
		expectTruth(await importAndView(), truth);
	});

	it('outcome values nothing settles stop the import and are listed; once assigned, the import counts them so', async () => {
		const made = generateSheet(options, 'business-outcome', 'csv', { fileName: 'crm.csv' });
		// Without the talk time, the data cannot tell which results were answered.
		const lines = made.text.trimEnd().split('\n');
		expect(lines.every((l) => !l.includes('"'))).toBe(true);
		const talk = lines[0]!.split(',').indexOf('Talk Time');
		const text =
			lines
				.map((l) =>
					l
						.split(',')
						.filter((_, i) => i !== talk)
						.join(',')
				)
				.join('\n') + '\n';
		await choose(write('crm.csv', text));
		expect(await page.locator('select[data-field="outcome"]').inputValue()).toBe('Call Outcome');
		await page.getByTestId('outcome-open').waitFor();
		await page.getByTestId('calls-preview-error').waitFor({ timeout: 30_000 });

		await page.getByTestId('import-start').click();
		await page.getByTestId('outcome-stopped').waitFor({ timeout: 60_000 });
		const values = ['Dropped', ...BUSINESS_RESULTS];
		const listed = await page
			.getByTestId('outcome-value')
			.evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-value'), r.getAttribute('data-missing')]));
		expect(new Set(listed.map(([v]) => v))).toEqual(new Set(values));
		expect(listed.every(([, missing]) => missing === 'true')).toBe(true);
		// The whole file's counts: every row is one of the values.
		const rows = await page.locator('[data-testid="outcome-value"] td.n').allTextContents();
		expect(rows.reduce((s, r) => s + count(r), 0)).toBe(made.truth.records);

		for (const value of values)
			await page.locator(`[data-testid="outcome-value"][data-value="${value}"] select`).selectOption(value === 'Dropped' ? 'abandoned' : 'answered');
		await expect.poll(() => page.locator('[data-missing="true"]').count()).toBe(0);
		await page.getByTestId('import-start').click();
		await page.getByTestId('import-done').waitFor({ timeout: 60_000 });
		const sale = page.locator('[data-testid="quality-mapping-outcome"][data-value="Sale"]');
		expect(await sale.getAttribute('data-basis')).toBe('assigned');
		expect(await sale.getAttribute('data-outcome')).toBe('answered');
		await page.getByTestId('import-view').click();
		await waitReady(page);
		expectTruth(
			{ volume: count(await page.getByTestId('kpi-volume').textContent()), answered: count(await page.locator('[data-kpi="asa"] .detail').textContent()) },
			made.truth
		);

		// The meanings were saved with the mapping: the same header brings them back.
		await choose(write('crm-again.csv', text));
		await page.getByTestId('mapping-saved').waitFor();
		expect(await page.locator('[data-testid="outcome-value"][data-value="Dropped"] select').inputValue()).toBe('abandoned');
		expect(harness.errors).toEqual([]);
	});
});
