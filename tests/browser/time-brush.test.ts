import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openHarness, waitReady, type Harness } from './harness';
import { reportCalls } from '../reference/report';
import { generateText } from '$lib/synthetic/generate';
import { sampleMonthOptions } from '$lib/datasets/sample-month';

/**
 * The time chart's brush filters while it is dragged (a crossfilter brush): the KPI cards
 * follow the range under the pointer before the button is released, the chart keeps its bars,
 * and the address (a history entry) is written once, on release. Figures are compared with the
 * sample month's calls counted from the generator's file by the reference reader.
 */

let harness: Harness;
let page: Page;
let scratch: string;
let all: ReturnType<typeof reportCalls>;

const kpi = (id: string) => page.getByTestId(`kpi-${id}`);
const whole = (n: number) => new Intl.NumberFormat('zh-CN').format(n);
/** Calls arriving in [from, to), both 'YYYY-MM-DD HH:MM:SS' (the filter's bounds). */
const callsIn = (from: string, to: string) => all.filter((c) => c.arrival >= from && c.arrival < to).length;
/** A time input's value ('YYYY-MM-DDTHH:MM') as the filter and the address hold it. */
const asFilterTime = (value: string) => `${value.replace('T', ' ')}:00`;
const shown = async () => ({ from: await page.getByTestId('filter-from').inputValue(), to: await page.getByTestId('filter-to').inputValue() });
const param = (name: string) => new URL(page.url()).searchParams.get(name);
/**
 * The range the time inputs show, once the cards show its figures (read together, as the last
 * moves may still be on their way to the page): null until then.
 */
async function settled(differentFrom?: string) {
	const range = await shown();
	if (!range.from || !range.to || range.to === differentFrom) return null;
	const calls = callsIn(asFilterTime(range.from), asFilterTime(range.to));
	return (await kpi('volume').textContent()) === whole(calls) ? { ...range, calls } : null;
}
const bars = () => page.locator('#chart-sl-over-time path[fill="#c6d9ec"]').getAttribute('d');

beforeAll(async () => {
	harness = await openHarness();
	page = await harness.newPage();
	scratch = mkdtempSync(join(tmpdir(), 'holdline-brush-'));
	const file = join(scratch, 'sample.csv');
	writeFileSync(file, [...generateText(sampleMonthOptions(), 'csv')].join(''));
	all = reportCalls(file);
});
afterAll(async () => {
	await harness?.close();
	rmSync(scratch, { recursive: true, force: true });
});

/** Page pixels at a share of the brush's layer width, halfway down the plot. */
async function plotPoint() {
	const layer = page.locator('#chart-sl-over-time [data-time-control]');
	await layer.scrollIntoViewIfNeeded();
	const box = (await layer.boundingBox())!;
	return (share: number) => ({ x: box.x + share * box.width, y: box.y + box.height / 2 });
}

describe('brushing the time chart', () => {
	it('opens the sample month', async () => {
		await page.goto(`${harness.baseUrl}/service`);
		await page.getByTestId('sample-open').click();
		// Built in the page: a month of calls generated and imported (slow on a busy machine).
		await expect.poll(() => param('ds'), { timeout: 120_000 }).toMatch(/^ds_/);
		await waitReady(page);
		await expect.poll(() => kpi('volume').textContent()).toBe(whole(all.length));
	});

	it('the cards follow the range while the button is held; the address and history move once, on release', async () => {
		const at = await plotPoint();
		// The pointer over the chart first: the page holds the time answers for the drag.
		await page.mouse.move(at(0.2).x, at(0.2).y);
		await page.locator('.dashboard[data-time-ready="true"]').waitFor();
		const url = page.url();
		const entries = await page.evaluate(() => history.length);
		const barsBefore = await bars();

		await page.mouse.down();
		await page.mouse.move(at(0.3).x, at(0.3).y, { steps: 6 });
		// The inputs show the range under the pointer; the cards that range's figures.
		await expect.poll(() => settled()).not.toBeNull();
		const first = (await settled())!;
		expect(first.calls).toBeGreaterThan(0);
		expect(first.calls).toBeLessThan(all.length);

		// Further, still held: the cards follow again.
		await page.mouse.move(at(0.55).x, at(0.55).y, { steps: 6 });
		await expect.poll(() => settled(first.to)).not.toBeNull();
		const second = (await settled(first.to))!;
		expect(second.from).toBe(first.from);
		expect(second.calls).toBeGreaterThan(first.calls);
		expect(await kpi('volume').textContent()).toBe(whole(second.calls));
		// Meanwhile the address and history are as before, and the brushed chart keeps its bars and the brush.
		expect(page.url()).toBe(url);
		expect(await page.evaluate(() => history.length)).toBe(entries);
		expect(await bars()).toBe(barsBefore);
		expect(await page.locator('#chart-sl-over-time rect.selection').evaluate((el) => (el as SVGRectElement).style.display)).not.toBe('none');

		await page.mouse.up();
		// Released: the range goes to the address as one history entry (the last range under the
		// pointer, which the cards may not have been given yet), and every view is repainted for it.
		await expect.poll(() => param('to')).not.toBeNull();
		const from = param('from')!;
		const to = param('to')!;
		expect(from).toBe(asFilterTime(second.from));
		expect(to >= asFilterTime(second.to)).toBe(true);
		expect(await page.evaluate(() => history.length)).toBe(entries + 1);
		await expect.poll(() => page.locator('.dashboard').getAttribute('data-answered')).toBe(new URL(page.url()).search);
		expect(await kpi('volume').textContent()).toBe(whole(callsIn(from, to)));
		expect((await shown()).to).toBe(to.slice(0, 16).replace(' ', 'T'));
		// As before: the time chart shows the chosen range's intervals (its rows changed, the brush went).
		expect(await bars()).not.toBe(barsBefore);
	});

	it('a click without a drag clears the range; Back returns to the brushed range, then to the whole month', async () => {
		const at = await plotPoint();
		await page.mouse.click(at(0.5).x, at(0.5).y);
		await expect.poll(() => param('from')).toBeNull();
		await expect.poll(() => kpi('volume').textContent()).toBe(whole(all.length));
		await waitReady(page);

		await page.goBack();
		await expect.poll(() => param('from')).not.toBeNull();
		const range = await shown();
		await expect.poll(() => kpi('volume').textContent()).toBe(whole(callsIn(asFilterTime(range.from), asFilterTime(range.to))));
		await page.goBack();
		await expect.poll(() => param('from')).toBeNull();
		await expect.poll(() => kpi('volume').textContent()).toBe(whole(all.length));
		expect(await shown()).toEqual({ from: '', to: '' });
		expect(harness.errors).toEqual([]);
	});
});
