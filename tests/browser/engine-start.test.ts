import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { openHarness, type Harness } from './harness';

/**
 * The database engine (DuckDB-WASM, most of a first visit's bytes) starts only when a page
 * needs it: the story pages are answered by the build, so there it starts on the first
 * question the build has not answered; the data pages start it at once.
 */
let harness: Harness;
beforeAll(async () => (harness = await openHarness()));
afterAll(async () => harness?.close());

const CALLS = (() => {
	const [header, ...lines] = readFileSync('data/calls.csv', 'utf8').trim().split('\n');
	const columns = header!.split(',');
	// The first columns hold no quoted commas (id … in_progress_at_onset).
	return lines.map((line) => {
		const fields = line.split(',');
		const at = (name: string) => fields[columns.indexOf(name)]!;
		return { agent: at('agent'), department: at('department'), inProgress: at('in_progress_at_onset') === 'true' };
	});
})();

const wasmRequests = () => harness.requests.filter((url) => url.endsWith('.wasm'));
const databaseState = (page: Page) => page.evaluate(() => document.documentElement.dataset.database ?? 'not started');

describe('the database starts when it is needed', () => {
	it('the overview and a menu filter are answered without downloading the engine', async () => {
		const page = await harness.newPage();
		await page.goto(`${harness.baseUrl}/`);
		const department = CALLS.find((c) => c.inProgress)!.department;
		await page.locator('select[name="dept"]').first().selectOption(department);
		const expected = CALLS.filter((c) => c.department === department && c.inProgress).length;
		await expect.poll(() => page.getByTestId('kpi-in-progress').textContent()).toBe(String(expected));
		await page.goto(`${harness.baseUrl}/calls`);
		await expect.poll(() => page.locator('table tbody tr').count()).toBeGreaterThan(0);
		expect(await databaseState(page)).toBe('not started');
		expect(wasmRequests()).toEqual([]);
		await page.close();
	});

	it(
		'a filter the build has not answered (an agent of another department, from a hand-edited link) starts the engine and is answered',
		{ timeout: 150_000 },
		async () => {
			const page = await harness.newPage();
			const agent = CALLS.find((c) => c.inProgress)!;
			const otherDepartment = CALLS.find((c) => c.department !== agent.department)!.department;
			await page.goto(`${harness.baseUrl}/?dept=${encodeURIComponent(otherDepartment)}&agent=${encodeURIComponent(agent.agent)}`);
			const expected = CALLS.filter((c) => c.department === otherDepartment && c.agent === agent.agent && c.inProgress).length;
			// The engine's start (34 MB of WebAssembly) takes longer than the usual wait on a busy machine.
			await expect.poll(() => databaseState(page), { timeout: 90_000 }).toBe('ready');
			await expect.poll(() => page.getByTestId('kpi-in-progress').textContent()).toBe(String(expected));
			expect(wasmRequests().length).toBeGreaterThan(0);
			expect(harness.errors).toEqual([]);
			await page.close();
		}
	);
});

describe('on the data pages', () => {
	it('the Import page starts the engine as it opens', { timeout: 150_000 }, async () => {
		const fresh = await openHarness();
		try {
			const page = await fresh.newPage();
			await page.goto(`${fresh.baseUrl}/import`);
			await expect.poll(() => page.evaluate(() => document.documentElement.dataset.database), { timeout: 90_000 }).toBe('ready');
			expect(fresh.requests.some((url) => url.endsWith('.wasm'))).toBe(true);
			expect(fresh.errors).toEqual([]);
		} finally {
			await fresh.close();
		}
	});
});
