import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { importAndOpen, inputFolder, openHarness, type Harness } from './harness';

/**
 * Never a silent zero, as a user sees it: a file whose figures would look plausible but say
 * nothing imports with its warning on the Service level page, beside the KPIs it concerns.
 */

let harness: Harness;
let page: Page;
const files = inputFolder('holdline-warnings-');

beforeAll(async () => {
	harness = await openHarness();
	page = await harness.newPage();
});
afterAll(async () => {
	await harness?.close();
	files.remove();
});

async function importFile(name: string, text: string) {
	const path = files.write(name, text);
	await page.goto(`${harness.baseUrl}/import`);
	await page.getByTestId('import-input').setInputFiles(path);
	await importAndOpen(page);
}

describe('dataset warnings on the Service level page', () => {
	it('no wait and no answer time: service level and ASA say the wait is unknown, with the banner', async () => {
		const rows = Array.from({ length: 40 }, (_, i) => `C${i},2021-03-01 09:${String(i).padStart(2, '0')}:07,a${i % 4},${60 + i},answered`);
		await importFile('no-waits.csv', `call_id,start,agent,talk,outcome\n${rows.join('\n')}\n`);
		await page.getByTestId('quality-warning-wait_unknown').waitFor();
		for (const kpi of ['sl', 'asa']) {
			await expect.poll(() => page.getByTestId(`kpi-warning-${kpi}`).isVisible()).toBe(true);
			// Not a figure: the card says the wait is unknown instead of 0 s or a share.
			expect(await page.getByTestId(`kpi-${kpi}`).textContent()).not.toMatch(/\d/);
		}
		// AHT is measured: no warning beside it.
		expect(await page.getByTestId('kpi-warning-aht').count()).toBe(0);
	});

	it('an outcome column whose values all mean "other": nothing offered, warned beside the rates', async () => {
		const rows = Array.from({ length: 30 }, (_, i) => `C${i},2021-03-01 10:${String(i).padStart(2, '0')}:11,${i % 9},120,IVR`);
		await importFile('ivr-only.csv', `call_id,start,wait,talk,outcome\n${rows.join('\n')}\n`);
		await page.getByTestId('quality-warning-no_offered').waitFor();
		await expect.poll(() => page.getByTestId('kpi-warning-sl').isVisible()).toBe(true);
		await expect.poll(() => page.getByTestId('kpi-warning-abandon').isVisible()).toBe(true);
	});
});
