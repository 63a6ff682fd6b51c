import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { openHarness, type Harness } from './harness';

/**
 * On a cold visit, a filter change on the story pages is answered from the answers computed at
 * build time, before the database in the page has started: never the old figures under a
 * new label. (The database's start — 34 MB of WebAssembly — takes seconds; its state is on
 * <html data-database>.)
 */
let harness: Harness;
beforeAll(async () => (harness = await openHarness()));
afterAll(async () => harness?.close());

/** Calls in progress at the onset, per department, counted from data/calls.csv itself. */
function inProgress(department: string): number {
	const [header, ...lines] = readFileSync('data/calls.csv', 'utf8').trim().split('\n');
	const columns = header!.split(',');
	const dept = columns.indexOf('department');
	const flag = columns.indexOf('in_progress_at_onset');
	// The first columns hold no quoted commas (id … in_progress_at_onset).
	return lines.map((l) => l.split(',')).filter((f) => f[dept] === department && f[flag] === 'true').length;
}

describe('the first interaction', () => {
	it('choosing a department as soon as the menu works is answered before the database has started', async () => {
		const page = await harness.newPage();
		await page.goto(`${harness.baseUrl}/`);
		const menu = page.locator('select[name="dept"]').first();
		await menu.selectOption('座席二部');
		await expect.poll(() => page.getByTestId('kpi-in-progress').textContent()).toBe(String(inProgress('座席二部')));
		// Answered, and the engine is still starting: the answer came from the build.
		expect(await page.evaluate(() => document.documentElement.dataset.database ?? 'starting')).not.toBe('ready');
		await menu.selectOption('座席一部');
		await expect.poll(() => page.getByTestId('kpi-in-progress').textContent()).toBe(String(inProgress('座席一部')));
		expect(await page.evaluate(() => document.documentElement.dataset.database ?? 'starting')).not.toBe('ready');
		expect(harness.errors).toEqual([]);
	});

	it('each filter change is a history entry: Back and Forward step through them, also back from another page', async () => {
		const page = await harness.newPage();
		await page.goto(`${harness.baseUrl}/`);
		const menu = page.locator('select[name="dept"]').first();
		const shows = async (department: string) => {
			await expect.poll(() => page.getByTestId('kpi-in-progress').textContent()).toBe(String(inProgress(department)));
			expect(new URL(page.url()).searchParams.get('dept')).toBe(department);
			expect(await menu.inputValue()).toBe(department);
		};
		await menu.selectOption('座席二部');
		await shows('座席二部');
		await menu.selectOption('座席一部');
		await shows('座席一部');
		await page.goBack();
		await shows('座席二部');
		await page.goForward();
		await shows('座席一部');
		// Away to another page and back: the entry's own filter, not the address the page was first opened at.
		await page.locator('nav a[href$="/about"]').click();
		await expect.poll(() => new URL(page.url()).pathname).toMatch(/\/about\/?$/);
		await page.goBack();
		await shows('座席一部');
		await page.goBack();
		await shows('座席二部');
		expect(harness.errors).toEqual([]);
	});
});
