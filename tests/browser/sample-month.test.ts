import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openHarness, waitReady, type Harness } from './harness';
import { callsOnDays, reportCalls, reportFigures } from '../reference/report';
import { generateText } from '$lib/synthetic/generate';
import { daysInMonth, SAMPLE_MONTH, sampleMonthOptions } from '$lib/datasets/sample-month';

let harness: Harness;
let page: Page;
let scratch: string;

const kpi = (id: string) => page.getByTestId(`kpi-${id}`);
const whole = (n: number) => new Intl.NumberFormat('zh-CN').format(n);
const percent = (share: number, digits: number) => `${(share * 100).toFixed(digits)}%`;

// The sample's calls as the generator writes them, read back by the reference reader (not the app's import).
let all: ReturnType<typeof reportCalls>;
const lastDay = `${SAMPLE_MONTH}-${daysInMonth(SAMPLE_MONTH)}`;
const weekStart = `${SAMPLE_MONTH}-${daysInMonth(SAMPLE_MONTH) - 6}`;

beforeAll(async () => {
	harness = await openHarness();
	page = await harness.newPage();
	scratch = mkdtempSync(join(tmpdir(), 'holdline-sample-'));
	const file = join(scratch, 'sample.csv');
	writeFileSync(file, [...generateText(sampleMonthOptions(), 'csv')].join(''));
	all = reportCalls(file);
});
afterAll(async () => {
	await harness?.close();
	rmSync(scratch, { recursive: true, force: true });
});

/** The summary cell the report shows for a measure (as report.test.ts reads it). */
async function summaryCell(measure: string) {
	const row = page.locator('[data-table="summary"] tbody tr').filter({ has: page.locator('td[data-col="metric"]', { hasText: new RegExp(`^${measure}$`) }) });
	return (await row.locator('td[data-col="now"]').textContent())?.trim();
}

/** Datasets this browser's library lists. */
const manifest = () => page.evaluate(() => JSON.parse(localStorage.getItem('holdline.datasets') ?? '[]') as { name: string; synthetic?: boolean }[]);

describe('a sample month for a newcomer without data', () => {
	it('cancelled while it is built, the page is as before and nothing is saved', async () => {
		await page.goto(`${harness.baseUrl}/service`);
		await page.getByTestId('sample-open').click();
		await page.getByTestId('sample-cancel').click();
		await page.getByTestId('sample-open').waitFor();
		expect(await page.getByTestId('sample-error').count()).toBe(0);
		expect(await manifest()).toEqual([]);
	});

	it('the Service level page builds it in the page and opens it, marked synthetic', async () => {
		await page.getByTestId('sample-open').click();
		// Building the month is an import in the page: as long as an import may take (harness.ts importAndOpen).
		await expect.poll(() => new URL(page.url()).searchParams.get('ds'), { timeout: 60_000 }).toMatch(/^ds_/);
		await waitReady(page);
		await expect.poll(() => kpi('volume').textContent()).toBe(whole(all.length));
		expect(await kpi('sl').textContent()).toBe(percent(reportFigures(all).sl, 0));
		expect(await page.getByTestId('synthetic-badge').textContent()).toBe('合成数据');
		expect(await page.locator('h1').textContent()).toContain('示例月份');
		expect(await manifest()).toMatchObject([{ name: '示例月份', synthetic: true }]);
		expect(await page.getByTestId('sample-month').count()).toBe(0);
	});

	it('the Report page reports the sample too: its last week, named synthetic', async () => {
		await page.goto(`${harness.baseUrl}/report`);
		await page.locator('[data-report-ready="true"]').waitFor({ timeout: 30_000 });
		expect(await page.getByTestId('sample-month').count()).toBe(0);
		await expect.poll(() => page.getByTestId('report-period').textContent()).toBe(`${weekStart} – ${lastDay}`);
		const week = reportFigures(callsOnDays(all, weekStart, lastDay));
		await expect.poll(() => summaryCell('来电量')).toBe(whole(week.volume));
		expect(await summaryCell('服务水平')).toBe(percent(week.sl, 1));
		const title = await page.locator('.title-page').textContent();
		expect(title).toContain('示例月份');
		expect(title).toContain(' (合成数据)'); // the report's own synthetic mark after the dataset's name
		// One sample, however many pages offered it.
		expect(await manifest()).toHaveLength(1);
		expect(harness.errors).toEqual([]);
	});
});
