import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openHarness, type Harness } from './harness';

/**
 * The Import page watches a local queue_log without a server, and the wallboard shows it. The
 * file lives in the origin private file system, whose handles have the picker's API; the test
 * hands the page such a handle in place of the picker (`showOpenFilePicker`), then appends
 * lines to it and replaces it, and waits for the wallboard to show each change.
 */
let harness: Harness;
let page: Page;
const NAME = 'watched-queue_log';
const now = Math.floor(Date.now() / 1000);

/** Writes `text` to the watched file: at its end, or in place of what it held. */
const write = (text: string, append: boolean) =>
	page.evaluate(
		async ({ name, text, append }) => {
			const dir = await navigator.storage.getDirectory();
			const handle = await dir.getFileHandle(name, { create: true });
			const size = (await handle.getFile()).size;
			const writable = await handle.createWritable({ keepExistingData: append });
			if (append) await writable.seek(size);
			await writable.write(text);
			await writable.close();
		},
		{ name: NAME, text, append }
	);

beforeAll(async () => {
	harness = await openHarness();
	page = await harness.newPage();
	await page.addInitScript((name) => {
		(window as unknown as { showOpenFilePicker: () => Promise<FileSystemFileHandle[]> }).showOpenFilePicker = async () => [
			await (await navigator.storage.getDirectory()).getFileHandle(name)
		];
	}, NAME);
});
afterAll(async () => {
	await harness?.close();
});

const tile = (queue: string, waiting: number) => page.locator(`[data-queue="${queue}"][data-waiting="${waiting}"]`);

describe('watching a local queue_log', () => {
	it('shows the file read to its end, each append, and a replaced file from its start', async () => {
		await page.goto(`${harness.baseUrl}/import`);
		await write(`${now - 300}|NONE|sales|Agent/1001|ADDMEMBER|\n${now - 40}|c1|sales|NONE|ENTERQUEUE||13800001111|1\n`, false);
		await page.getByTestId('watch-pick').click();
		await expect.poll(() => page.getByTestId('watch-status').textContent()).toContain(NAME);
		await page.getByTestId('watch-open').click();
		await tile('sales', 1).waitFor();
		// The measures are said to be unavailable, not shown as empty ones.
		expect(await page.locator('[data-queue="sales"] [data-testid="not-measured"]').count()).toBe(1);
		expect(await page.locator('[data-queue="sales"] [data-measure]').count()).toBe(0);
		await page.locator('tr[data-agent]').first().waitFor();

		// A second caller, and a partial line that waits for its newline.
		await write(`${now - 5}|c2|sales|NONE|ENTERQUEUE||13800002222|1\n${now - 3}|c1|sales|Agent/1001|CON`, true);
		await tile('sales', 2).waitFor();
		await write(`NECT|37|c1.1|2\n`, true);
		await tile('sales', 1).waitFor();

		// The file replaced by a shorter one (a new export): read from its start, the old queue gone.
		await write(`${now - 2}|d1|support|NONE|ENTERQUEUE||13900003333|1\n`, false);
		await tile('support', 1).waitFor();
		await expect.poll(() => page.locator('[data-queue="sales"]').count()).toBe(0);
		expect(harness.errors).toEqual([]);
	});
});
