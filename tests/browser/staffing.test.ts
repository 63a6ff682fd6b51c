import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { downloadFrom, openHarness, waitReady, type Harness } from './harness';
import { refAsteriskCdr } from '../reference';
import { refErlangA, refRequiredC, refStaffingLoad } from '../reference/erlang';

let harness: Harness;
let page: Page;

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/imports/${name}`, import.meta.url));

beforeAll(async () => {
	harness = await openHarness();
	page = await harness.newPage();
});
afterAll(async () => harness?.close());

/** What the chart's table should say, from the file row by row and the reference formulas (80/20, hourly). */
function expected() {
	const load = refStaffingLoad(refAsteriskCdr(readFileSync(fixture('Master.csv'))).calls, 60);
	const handled = load.map((r) => (r.aht_s === null ? 0 : r.answered));
	const pooledAht = load.reduce((s, r, i) => s + (r.aht_s ?? 0) * handled[i]!, 0) / handled.reduce((a, b) => a + b, 0);
	const patience = load.reduce((s, r) => s + r.wait_sum_s, 0) / load.reduce((s, r) => s + r.abandoned, 0);
	return load.map((r) => {
		const aht = r.aht_s ?? pooledAht;
		let neededA = 1;
		while (refErlangA(neededA, r.offered, 3600, aht, patience, 20).answeredWithin < 0.8) neededA++;
		return { key: r.key, offered: r.offered, seen: r.agents_seen, neededC: refRequiredC(r.offered, 3600, aht, 0.8, 20), neededA };
	});
}

describe('agents needed vs seen', () => {
	it('draws the chart for an imported dataset, and its table equals an independent computation', async () => {
		await page.goto(`${harness.baseUrl}/import`);
		await page.getByTestId('import-input').setInputFiles(fixture('Master.csv'));
		await page.getByTestId('import-start').click();
		await page.getByTestId('import-done').waitFor({ timeout: 30_000 });
		await page.getByTestId('import-view').click();
		await waitReady(page);

		const chart = page.locator('#chart-staffing');
		// Planned when the user scrolls down to it.
		await chart.scrollIntoViewIfNeeded();
		await expect.poll(() => chart.locator('svg path.seen').getAttribute('d')).toMatch(/^M/);
		expect(await chart.locator('svg path.needed-c').getAttribute('d')).toMatch(/^M/);
		expect(await chart.locator('svg path.needed-a').getAttribute('d')).toMatch(/^M/);

		await chart.locator('details summary').click();
		const rows = chart.locator('table tbody tr');
		const want = expected();
		await expect.poll(() => rows.count()).toBe(want.length);
		const cells = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
		// Columns: time, offered, AHT, load, seen, busy, needed C, ASA, SL with seen, needed A, abandonment A.
		expect(cells.map((c) => ({ key: c[0], offered: Number(c[1]), seen: Number(c[4]), neededC: Number(c[6]), neededA: Number(c[9]) }))).toEqual(want);

		// The worst interval in a sentence: the one short of the most agents.
		const worst = want.reduce((a, b) => (b.neededC - b.seen > a.neededC - a.seen ? b : a));
		const hour = worst.key.slice(11, 13);
		const next = String(Number(hour) + 1).padStart(2, '0');
		expect(await page.getByTestId('staffing-summary').textContent()).toBe(
			`${hour}:00–${next}:00：达到 80/20 需要 ${worst.neededC} 名座席员（Erlang C；计入放弃的 Erlang A 为 ${worst.neededA} 名），数据中见到 ${worst.seen} 名`
		);
		expect(harness.errors).toEqual([]);
	});

	it('exports the same rows as CSV, and speaks English when switched', async () => {
		const { name, bytes } = await downloadFrom(page, '#chart-staffing [data-export="csv"]');
		// The file is named by the chart's title, in the page's language.
		expect(name).toBe('holdline-所需座席员与实际见到的座席员-按时段.csv');
		const lines = bytes.toString('utf8').slice(1).trim().split('\r\n');
		expect(lines).toHaveLength(expected().length + 1);
		expect(lines[0]!.split(',')).toContain('所需（Erlang C）');
		await page.getByTestId('lang-toggle').click();
		await expect.poll(() => page.locator('#chart-staffing h2').textContent()).toBe('Agents needed vs seen per interval');
		expect(await page.getByTestId('staffing-summary').textContent()).toMatch(
			/^\d\d:00–\d\d:00: \d+ agents? needed for 80\/20 \(Erlang C; \d+ with abandonment, Erlang A\), \d+ seen$/
		);
	});

	it('asks nothing while scrolled away, and follows the filter once the user is back at it', async () => {
		await page.setViewportSize({ width: 1280, height: 600 });
		await page.evaluate(() => window.scrollTo(0, 0));
		const chart = page.locator('#chart-staffing');
		// Beyond the 300 px the section looks ahead of the screen.
		await expect.poll(() => chart.evaluate((el) => el.getBoundingClientRect().top - innerHeight)).toBeGreaterThan(300);
		// The section has seen it is away: it holds no question.
		const section = page.getByTestId('staffing');
		await expect.poll(() => section.getAttribute('data-state')).toBe('idle');
		// The staffing load's questions, by a column its SQL names early (the measure keeps a key's first 300 characters).
		const staffingAsks = () =>
			page.evaluate(
				() => performance.getEntriesByName('holdline:ask').filter((e) => String((e as PerformanceMeasure).detail?.key).includes('AS arrival_k')).length
			);
		await page.evaluate(() => performance.clearMeasures('holdline:ask'));

		const calls = refAsteriskCdr(readFileSync(fixture('Master.csv'))).calls;
		const counts = new Map<string, number>();
		for (const c of calls) if (c.queue) counts.set(c.queue, (counts.get(c.queue) ?? 0) + 1);
		const queue = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
		await page.getByTestId('filter-queue').selectOption(queue);
		await expect.poll(() => new URL(page.url()).searchParams.get('dept')).toBe(queue);
		// The views are answered under the new filter: the update that would have asked the staffing
		// question with them has run. The section still holds none, and none was answered.
		await expect.poll(async () => new URLSearchParams((await page.locator('.dashboard').getAttribute('data-answered')) ?? '').get('dept')).toBe(queue);
		expect(await section.getAttribute('data-state')).toBe('idle');
		expect(await staffingAsks()).toBe(0);
		// Meanwhile the section shows its last plan marked stale, not under the new filter as current.
		expect(await section.getAttribute('aria-busy')).toBe('true');

		await chart.scrollIntoViewIfNeeded();
		await expect.poll(() => section.getAttribute('data-state')).toBe('ready');
		await expect.poll(staffingAsks).toBeGreaterThan(0);
		expect(await section.getAttribute('aria-busy')).toBe('false');
		const want = refStaffingLoad(
			calls.filter((c) => c.queue === queue),
			60
		).map((r) => [r.key, r.offered]);
		const rows = chart.locator('table tbody tr');
		await expect
			.poll(async () =>
				(await rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')))).map((c) => [c[0], Number(c[1])])
			)
			.toEqual(want);
		expect(harness.errors).toEqual([]);
	});
});
