import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadFrom, openHarness, waitReady, type Harness } from './harness';

/**
 * The Service level page's figures as a new user meets them: a real bank day imported
 * through the Import page, then its charts, tables, exports and layout checked for what they
 * state (sources, bins, fractions, sample sizes, language).
 */

let harness: Harness;
let page: Page;
let dir = '';
const FILE = 'bank-day-1999-02-01.txt';

const kpi = (id: string) => page.getByTestId(`kpi-${id}`);
const csvLines = (bytes: Buffer) => bytes.toString('utf8').slice(1).trim().split('\r\n');
const LATIN = /[A-Za-z]/;

beforeAll(async () => {
	// One day (1 Feb 1999) of the real bank data in tests/fixtures/real: its header and that day's rows.
	const text = readFileSync(fileURLToPath(new URL('../fixtures/real/bank-feb1999.txt', import.meta.url)), 'latin1');
	const lines = text.split('\r\n');
	dir = mkdtempSync(join(tmpdir(), 'holdline-figures-'));
	writeFileSync(join(dir, FILE), [lines[0], ...lines.filter((l) => l.split('\t')[5] === '990201')].join('\r\n') + '\r\n', 'latin1');
	harness = await openHarness();
	page = await harness.newPage();
});
afterAll(async () => {
	await harness?.close();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('figures of an imported bank day', () => {
	it('imports the day through the Import page', async () => {
		await page.goto(`${harness.baseUrl}/import`);
		await page.getByTestId('import-input').setInputFiles(join(dir, FILE));
		await page.getByTestId('import-start').click();
		await page.getByTestId('import-done').waitFor({ timeout: 60_000 });
		await page.getByTestId('import-view').click();
		await waitReady(page);
		await expect.poll(() => kpi('volume').textContent()).not.toBe('…');
	});

	it('an SVG export names the dataset as its source (not the story article) and embeds its font', async () => {
		const { name, bytes } = await downloadFrom(page, '#chart-sl-by-queue [data-export="svg"]');
		const svg = bytes.toString('utf8');
		expect(svg).toContain(FILE);
		expect(svg).toMatch(/1999-02-01/);
		expect(svg).not.toContain('震不断');
		expect(svg).toMatch(/@font-face\{font-family:'Noto Sans SC'[^}]*src:url\(data:/);
		expect(name).toMatch(/^holdline-各部门-队列服务水平-/);
		expect(name).not.toMatch(/无|全部记录/);
	});

	it('the wait histogram covers the waits: regular bins, then one "≥" bin, the same in the table and CSV', async () => {
		const chart = page.locator('#chart-wait-distribution');
		const ticks = await chart.locator('svg .axis-bottom text').allTextContents();
		expect(ticks.some((t) => t.startsWith('≥'))).toBe(true);
		await chart.locator('details summary').click();
		await expect.poll(() => chart.locator('details table tbody tr').count()).toBeGreaterThan(5);
		expect(await chart.locator('details table tbody tr').last().locator('td').first().textContent()).toMatch(/^≥ /);
		const lines = csvLines((await downloadFrom(page, '#chart-wait-distribution [data-export="csv"]')).bytes);
		expect(lines[0]).not.toMatch(LATIN);
		const rows = lines.slice(1).map((l) => l.split(','));
		const last = rows.at(-1)!;
		expect(last[0]).toMatch(/^≥ /);
		expect(last[2]).toBe(''); // the overflow bin has no end
		for (const row of rows.slice(0, -1)) expect(row[0]).not.toMatch(/^≥/);
		const total = (r: string[]) => Number(r[3]) + Number(r[4]);
		const all = rows.reduce((n, r) => n + total(r), 0);
		expect(total(last) / all).toBeLessThan(0.05); // the bins reach the 99th percentile of the day's waits
	});

	it('a queue tooltip shows the fraction its percentage is computed from, and stays off the export buttons', async () => {
		const mark = page.locator('#chart-sl-by-queue svg g.mark').first();
		await mark.focus();
		const tip = page.locator('#chart-sl-by-queue .tooltip');
		await expect.poll(() => tip.textContent()).toMatch(/\d+ \/ [\d,]+/);
		const text = (await tip.innerText()).replace(/,(?=\d{3})/g, '');
		const percent = Number(/服务水平: (\d+)%/.exec(text)![1]);
		const [, num, den] = /(\d+) \/ (\d+)/.exec(text)!.map(Number) as [number, number, number];
		expect(percent).toBe(Math.round((num / den) * 100));
		expect(text).toContain(`${den} 通`); // n beside the rate
		const tipBox = (await tip.boundingBox())!;
		const buttons = (await page.locator('#chart-sl-by-queue .exports').boundingBox())!;
		expect(tipBox.y).toBeGreaterThanOrEqual(buttons.y + buttons.height);
	});

	it('tables and CSV speak Chinese, with rates as percentages beside their fractions', async () => {
		const lines = csvLines((await downloadFrom(page, '#chart-sl-by-queue [data-export="csv"]')).bytes);
		expect(lines[0]).not.toMatch(LATIN);
		const header = lines[0]!.split(',');
		const row = lines[1]!.split(',');
		const at = (h: string) => row[header.indexOf(h)]!;
		const within = Number(at('20 秒内接听'));
		const den = Number(at('服务水平分母（通）'));
		expect(Number(at('服务水平（%）'))).toBeCloseTo((within / den) * 100, 1);
		expect(Number(at('服务水平（比例 0–1）'))).toBeCloseTo(within / den, 6);
		const printed = await page.locator('.intro .print-only').textContent();
		expect(printed).not.toMatch(/AM|PM/);
		expect(printed).toMatch(/年/);
	});

	it('rates from fewer calls than the minimum are faded, keyed and marked in the CSV', async () => {
		await page.getByTestId('setting-min-sample').fill('100000');
		await page.getByTestId('setting-min-sample').dispatchEvent('change');
		await expect.poll(() => new URL(page.url()).searchParams.get('minn')).toBe('100000');
		await waitReady(page);
		await expect.poll(() => page.locator('#chart-sl-by-queue svg [data-small="true"]').count()).toBeGreaterThan(0);
		expect(await page.locator('#chart-sl-by-queue svg').textContent()).toContain('少于 100000 通');
		await expect.poll(() => page.getByTestId('kpi-warning-sl').textContent()).toContain('少于 100000 通');
		const lines = csvLines((await downloadFrom(page, '#chart-sl-by-queue [data-export="csv"]')).bytes);
		const small = lines[0]!.split(',').indexOf('服务水平样本少（分母少于 100000 通）');
		expect(small).toBeGreaterThan(0);
		expect(lines.slice(1).every((l) => l.split(',')[small] === '是')).toBe(true);
		await page.getByTestId('setting-min-sample').fill('30');
		await page.getByTestId('setting-min-sample').dispatchEvent('change');
		await expect.poll(() => new URL(page.url()).searchParams.get('minn')).toBeNull();
		await waitReady(page);
	});

	it('answered calls without an agent are one row of the per-agent chart; no abandon columns there', async () => {
		await expect.poll(() => page.locator('#chart-agents svg').textContent()).toContain('未记录座席');
		const lines = csvLines((await downloadFrom(page, '#chart-agents [data-export="csv"]')).bytes);
		expect(lines[0]).not.toMatch(/放弃/);
		expect(lines.some((l) => l.startsWith('未记录座席,'))).toBe(true);
	});

	it('an interval tooltip of the service-level chart shows the fraction its percentage is computed from', async () => {
		const plot = page.locator('#chart-sl-over-time svg g.plot > rect').first();
		await plot.scrollIntoViewIfNeeded();
		const box = (await plot.boundingBox())!;
		await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.9);
		const tip = page.locator('#chart-sl-over-time .tooltip');
		await expect.poll(() => tip.textContent()).toMatch(/服务水平: \d+% \([\d,]+ \/ [\d,]+\)/);
		const text = (await tip.innerText()).replace(/,(?=\d{3})/g, '');
		const [, percent, num, den] = /服务水平: (\d+)% \((\d+) \/ (\d+)\)/.exec(text)!.map(Number) as [number, number, number, number];
		expect(percent).toBe(Math.round((num / den) * 100));
		await page.mouse.move(0, 0);
	});

	/** Drags across the service-level chart's plot from `a` to `b` (shares of its width). */
	async function dragAcross(a: number, b: number) {
		const plot = page.locator('#chart-sl-over-time svg g.plot > rect').first();
		await plot.scrollIntoViewIfNeeded();
		const box = (await plot.boundingBox())!;
		const y = box.y + box.height / 2;
		await page.mouse.move(box.x + box.width * a, y);
		await page.mouse.down();
		await page.mouse.move(box.x + box.width * ((a + b) / 2), y, { steps: 5 });
		await page.mouse.move(box.x + box.width * b, y, { steps: 5 });
		await page.mouse.up();
	}

	it('dragging across the service-level chart filters to whole intervals, and the new rows clear the drag', async () => {
		await dragAcross(0.3, 0.55);
		await expect.poll(() => new URL(page.url()).searchParams.get('to')).not.toBeNull();
		const from = new URL(page.url()).searchParams.get('from')!;
		const to = new URL(page.url()).searchParams.get('to')!;
		// Hourly intervals for one day: both ends on the hour, at least one hour apart, within the day.
		expect(from).toMatch(/^1999-02-01[ T]\d{2}:00(:00)?$/);
		expect(to).toMatch(/^1999-02-0[12][ T]\d{2}:00(:00)?$/);
		expect(Date.parse(to.replace(' ', 'T')) - Date.parse(from.replace(' ', 'T'))).toBeGreaterThanOrEqual(3_600_000);
		await waitReady(page);
		const selection = page.locator('#chart-sl-over-time rect.selection');
		await expect.poll(() => selection.evaluate((el) => (el as SVGRectElement).style.display)).toBe('none');
		await page.getByTestId('filter-reset').click();
		await expect.poll(() => new URL(page.url()).searchParams.get('from')).toBeNull();
		await waitReady(page);
		// Redrawn for the whole day, the chart still filters by dragging, to a later range.
		await dragAcross(0.6, 0.8);
		await expect.poll(() => new URL(page.url()).searchParams.get('from')).not.toBeNull();
		expect(new URL(page.url()).searchParams.get('from')! > from).toBe(true);
		await waitReady(page);
		await page.getByTestId('filter-reset').click();
		await expect.poll(() => new URL(page.url()).searchParams.get('from')).toBeNull();
		await waitReady(page);
	});

	it('the incident window says the bank data cannot tell completed calls from interrupted ones', async () => {
		await page.getByTestId('incident-onset').fill('1999-02-01T10:00');
		await page.getByTestId('incident-apply').click();
		await expect.poll(() => kpi('incident-completed').textContent()).toBe('数据无法判断');
		expect(await page.locator('[data-kpi="incident-ended-early"]').textContent()).toContain('无法');
		// A median and a share from the few calls in service at 10:00: marked as a small sample.
		expect(await page.getByTestId('kpi-warning-incident-after').textContent()).toContain('少于 30 通');
		await waitReady(page);
	});
});

describe('layout', () => {
	it('a phone: the menu links are one line each and the dataset menu fits the screen', async () => {
		await page.setViewportSize({ width: 390, height: 844 });
		for (const link of await page.locator('header.top nav a').all()) expect((await link.boundingBox())!.height).toBeLessThan(40);
		const select = (await page.getByTestId('dataset-select').boundingBox())!;
		expect(select.x + select.width).toBeLessThanOrEqual(390);
	});

	it.each([1024, 820, 390])('%d px: no key-figure card alone on a row', async (width) => {
		await page.setViewportSize({ width, height: 900 });
		const tops = await page
			.locator('section.kpis')
			.first()
			.locator('.kpi')
			.evaluateAll((cards) => cards.map((c) => Math.round(c.getBoundingClientRect().top)));
		const lastRow = tops.filter((t) => t === tops.at(-1)).length;
		const widths = await page
			.locator('section.kpis')
			.first()
			.locator('.kpi')
			.evaluateAll((cards) => cards.map((c) => c.getBoundingClientRect().width));
		// A last card alone on its row spans it (the phone layout), never a lone narrow card.
		expect(lastRow >= 2 || widths.at(-1)! > widths[0]! * 1.5).toBe(true);
		await page.setViewportSize({ width: 1280, height: 900 });
	});
});
