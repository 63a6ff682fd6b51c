import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { downloadFrom, importAndOpen, inputFolder, openHarness, type Harness } from './harness';
import { MAPPABLE_FIELDS } from '$lib/imports/canonical';
import { legFile, LEG_LAYOUTS } from '$lib/synthetic/legs';

/**
 * A leg log of a PBX holdline does not know, through the Import page: status words no list
 * knows stop the import, the status table lists the whole file's values with the unknown
 * ones marked, and once they are assigned the dataset's figures are the generator's truth.
 * The assignments are kept with the mapping and written in its file.
 */

let harness: Harness;
let page: Page;
const files = inputFolder('holdline-legs-');

beforeAll(async () => {
	harness = await openHarness();
	page = await harness.newPage();
});
afterAll(async () => {
	await harness?.close();
	files.remove();
});

const count = (text: string | null) => Number((text ?? '').replace(/\D/g, ''));

/** The generator's status words that no list knows, in their place. */
const UNKNOWN: Record<string, string> = { Answered: 'Atendeu-se', 'No answer': 'Perdida-X' };
const STATUS = LEG_LAYOUTS.generic!.header.indexOf('Call Status');

/** The generic leg log with its answered and unanswered statuses written in words no list knows. */
function unknownWords(text: string): { text: string; statuses: Map<string, number> } {
	const statuses = new Map<string, number>();
	const lines = text.split('\n').map((line) => {
		const cells = line.split(',');
		// Title, footer and blank lines have fewer cells; the header's status is its name.
		if (cells.length !== LEG_LAYOUTS.generic!.header.length || cells[STATUS] === 'Call Status') return line;
		cells[STATUS] = UNKNOWN[cells[STATUS]!] ?? cells[STATUS]!;
		statuses.set(cells[STATUS]!, (statuses.get(cells[STATUS]!) ?? 0) + 1);
		return cells.join(',');
	});
	return { text: lines.join('\n'), statuses };
}

async function choose(path: string) {
	await page.goto(`${harness.baseUrl}/import`);
	await page.getByTestId('import-input').setInputFiles(path);
	await page.getByTestId('import-start').waitFor();
}

describe('a leg log through the Import page', () => {
	it('unknown status words stop the import and are listed; once assigned, the calls are the truth', async () => {
		const made = legFile({ rows: 600, seed: 5, start: '2024-03-04', incident: null, completeShare: 0.5, callsPerDay: 300 }, 'generic');
		const { text, statuses } = unknownWords(made.text);
		expect([...statuses.keys()]).toEqual(expect.arrayContaining(['Atendeu-se', 'Perdida-X']));
		const path = files.write('pbx-legs.csv', text);
		await choose(path);

		// The user maps the leg log's columns (the status column's words are not ones the guess knows).
		const mapping = LEG_LAYOUTS.generic!.mapping!;
		for (const field of MAPPABLE_FIELDS) await page.locator(`select[data-field="${field}"]`).selectOption(mapping[field] ?? '');
		// A leg log: the direction and status tables, not the outcome's. Directions are common words.
		await page.getByTestId('status-values').waitFor();
		expect(await page.getByTestId('outcome-values').count()).toBe(0);
		expect(await page.locator('[data-testid="direction-value"][data-value="Inbound"] select').inputValue()).toBe('inbound');
		await page.getByTestId('status-open').waitFor();

		await page.getByTestId('import-start').click();
		await page.getByTestId('status-stopped').waitFor({ timeout: 60_000 });
		const listed = await page
			.getByTestId('status-value')
			.evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-value'), r.getAttribute('data-missing'), r.querySelector('td.n')?.textContent ?? '']));
		// Every value of the whole file with its count; the unknown ones marked.
		expect(new Map(listed.map(([value, , rows]) => [value!, count(rows ?? null)]))).toEqual(statuses);
		expect(listed.filter(([, missing]) => missing === 'true').map(([value]) => value)).toEqual(expect.arrayContaining(['Atendeu-se', 'Perdida-X']));
		expect(listed.filter(([, missing]) => missing === 'true')).toHaveLength(2);
		expect(await page.getByTestId('status-missing').textContent()).toContain('Atendeu-se');

		await page.locator('[data-testid="status-value"][data-value="Atendeu-se"] select').selectOption('answered');
		await page.locator('[data-testid="status-value"][data-value="Perdida-X"] select').selectOption('no_answer');
		await expect.poll(() => page.locator('[data-missing="true"]').count()).toBe(0);
		await importAndOpen(page);
		expect(count(await page.getByTestId('kpi-volume').textContent())).toBe(made.truth.calls.length);
		// The ASA card says how many answered calls its mean is over.
		expect(count(await page.locator('[data-kpi="asa"] .detail').textContent())).toBe(made.truth.calls.filter((c) => c.outcome === 'answered').length);

		// The statuses were saved with the mapping, and are written in its file.
		await choose(path);
		await page.getByTestId('mapping-saved').waitFor();
		expect(await page.locator('[data-testid="status-value"][data-value="Atendeu-se"] select').inputValue()).toBe('answered');
		const file = JSON.parse((await downloadFrom(page, '[data-testid="mapping-download"]')).bytes.toString('utf8'));
		expect(file.statuses).toEqual({ 'Atendeu-se': 'answered', 'Perdida-X': 'no_answer' });
		expect(harness.errors).toEqual([]);
	});
});
