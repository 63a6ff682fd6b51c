import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { downloadFrom, openHarness, waitReady, type Harness } from './harness';
import { pngSize } from '../../src/lib/export/png';

let harness: Harness;
let page: Page;

beforeAll(async () => {
	harness = await openHarness();
	page = await harness.newPage();
});
afterAll(async () => harness?.close());

const kpi = (id: string) => page.getByTestId(`kpi-${id}`);
const bars = (chart: string) => page.locator(`#chart-${chart} svg .mark`);

describe('overview on the story dataset', () => {
	it('loads without console errors and shows the hand-computed KPIs', async () => {
		await page.goto(`${harness.baseUrl}/`);
		await waitReady(page);
		// Hand-computed from data/calls.csv (see tests/unit/story-metrics.test.ts).
		await expect.poll(() => kpi('in-progress').textContent()).toBe('5');
		expect(await kpi('completed').textContent()).toBe('60%'); // 3 of 5 with a stated outcome
		expect(await kpi('service-time').textContent()).toBe('3分33秒'); // C01, 213 s
		expect(await kpi('over-two').textContent()).toBe('67%'); // 2 of 3 timed calls
		expect(await kpi('last-left').textContent()).toBe('14分钟'); // 曾晶, 840 s
		expect(await page.getByTestId('reported-completed').textContent()).toBe('> 50%');
		expect(await page.getByTestId('kpi-agents-online').textContent()).toBe('> 200');
		expect(await page.locator('[data-kpi="agents-online"]').textContent()).not.toContain('全中心'); // no filter: nothing to set apart
		await expect.poll(() => bars('service-time').count()).toBe(6);
		await expect.poll(() => bars('timeline').count()).toBe(7);
		expect(harness.errors).toEqual([]);
	});

	it('every chart has a title, an accessible name, axis labels and a data table', async () => {
		for (const id of ['service-time', 'outcomes', 'timeline']) {
			const chart = page.locator(`#chart-${id}`);
			expect(await chart.locator('h2').textContent()).toBeTruthy();
			// A group, not an image: an image's marks would be presentational to screen readers.
			const svg = chart.locator('svg[aria-roledescription="chart"]');
			expect(await svg.getAttribute('role')).toBe('group');
			expect(await svg.getAttribute('aria-label')).toBeTruthy();
			expect(await chart.locator('svg .axis-bottom text').last().textContent()).toMatch(/\S/);
			await chart.locator('details summary').click();
			// The table is built when opened, so it may arrive a frame after the click.
			await expect.poll(() => chart.locator('details table tbody tr').count()).toBeGreaterThan(0);
		}
	});

	it('shows a tooltip on keyboard focus', async () => {
		await bars('service-time').first().focus();
		const tip = page.locator('#chart-service-time .tooltip');
		await expect.poll(() => tip.textContent()).toContain('3分33秒');
		// Screen readers hear the same text from the chart's live region.
		await expect.poll(() => page.locator('#chart-service-time [data-testid="chart-announce"]').textContent()).toContain('3分33秒');
	});

	it('choosing a department filters every KPI and chart, and lives in the URL', async () => {
		await page.locator('select[name="dept"]').first().selectOption('座席一部');
		await expect.poll(() => page.url()).toContain('dept=');
		await waitReady(page);
		await expect.poll(() => kpi('completed').textContent()).toBe('67%'); // C01, C02 of C01, C02, C04
		expect(await kpi('in-progress').textContent()).toBe('3');
		await expect.poll(() => bars('service-time').count()).toBe(3);
		await expect.poll(() => bars('timeline').count()).toBe(3);
		expect(decodeURIComponent(new URL(page.url()).searchParams.get('dept')!)).toBe('座席一部');
		// The article's figures stay whole-center figures under the filter, and say so.
		for (const id of ['agents-online', 'completed', 'over-two']) expect(await page.locator(`[data-kpi="${id}"]`).textContent()).toContain('全中心');

		await page.reload();
		await waitReady(page);
		await expect.poll(() => kpi('completed').textContent()).toBe('67%');
		expect(await page.locator('select[name="dept"]').inputValue()).toBe('座席一部');

		await page.goBack();
		await waitReady(page);
		await expect.poll(() => kpi('completed').textContent()).toBe('60%');
		await page.goForward();
		await waitReady(page);
		await expect.poll(() => kpi('completed').textContent()).toBe('67%');
	});

	it("carries the story's filter between story pages only: the Service level page's queue does not filter the story", async () => {
		await page.goto(`${harness.baseUrl}/?dept=${encodeURIComponent('座席一部')}`);
		await waitReady(page);
		await page.locator('nav a', { hasText: '通话记录' }).click();
		await expect.poll(() => new URL(page.url()).searchParams.get('dept')).toBe('座席一部');
		await page.goto(`${harness.baseUrl}/service?dept=8001`);
		await page.locator('nav a', { hasText: '总览' }).click();
		await expect.poll(() => new URL(page.url()).pathname).toBe('/');
		expect(new URL(page.url()).searchParams.get('dept')).toBeNull();
		await waitReady(page);
		await expect.poll(() => kpi('completed').textContent()).toBe('60%'); // the whole story, as in the first test
	});

	it('arrives prerendered: the first KPIs are in the page before any script runs', async () => {
		const html = await (await fetch(`${harness.baseUrl}/`)).text();
		const value = (id: string) => new RegExp(`data-testid="kpi-${id}"[^>]*>([^<]*)<`).exec(html)?.[1];
		expect(value('in-progress')).toBe('5');
		expect(value('completed')).toBe('60%');
		expect(value('service-time')).toBe('3分33秒');
		// Scripts off: the same numbers, painted from the HTML alone.
		const bare = await harness.newPage();
		await (await harness.context.newCDPSession(bare)).send('Emulation.setScriptExecutionDisabled', { value: true });
		await bare.goto(`${harness.baseUrl}/`);
		expect(await bare.getByTestId('kpi-in-progress').textContent()).toBe('5');
		// With a filter in the URL the unfiltered prerendered view stays hidden (the app applies it).
		await bare.goto(`${harness.baseUrl}/?dept=${encodeURIComponent('座席一部')}`);
		expect(await bare.locator('main').isVisible()).toBe(true); // scripts off: nothing hides it
		await bare.close();
		// Scripts on: hidden until the app has applied the filter, then the filtered numbers.
		const fresh = await harness.newPage();
		await fresh.addInitScript(() => {
			const seen: boolean[] = ((window as unknown as { __hidden: boolean[] }).__hidden = []);
			document.addEventListener('DOMContentLoaded', () => seen.push(document.documentElement.classList.contains('pending-query')));
		});
		await fresh.goto(`${harness.baseUrl}/?dept=${encodeURIComponent('座席一部')}`);
		await waitReady(fresh);
		expect(await fresh.evaluate(() => (window as unknown as { __hidden: boolean[] }).__hidden)).toEqual([true]);
		await expect.poll(() => fresh.getByTestId('kpi-in-progress').textContent()).toBe('3');
		expect(await fresh.locator('main').isVisible()).toBe(true);
		await fresh.close();
	});

	it('filters by outcome too', async () => {
		await page.goto(`${harness.baseUrl}/?outcome=completed`);
		await waitReady(page);
		await expect.poll(() => kpi('completed').textContent()).toBe('100%');
		await expect.poll(() => bars('service-time').count()).toBe(3); // C01, C02, C03
	});
});

describe('exports', () => {
	beforeAll(async () => {
		await page.goto(`${harness.baseUrl}/?dept=${encodeURIComponent('座席一部')}`);
		await waitReady(page);
	});

	it('SVG is standalone, parses, and carries title, filters and source', async () => {
		const { name, bytes } = await downloadFrom(page, '#chart-service-time [data-export="svg"]');
		expect(name).toMatch(/\.svg$/);
		const text = bytes.toString('utf8');
		const parsed = await page.evaluate((svg) => {
			const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
			return {
				error: doc.querySelector('parsererror')?.textContent ?? null,
				root: doc.documentElement.nodeName,
				title: doc.querySelector('title')?.textContent,
				texts: Array.from(doc.querySelectorAll('text')).map((t) => t.textContent)
			};
		}, text);
		expect(parsed.error).toBeNull();
		expect(parsed.root).toBe('svg');
		expect(parsed.title).toBe('各座席员震中服务时长');
		expect(parsed.texts.join('\n')).toContain('座席一部');
		expect(parsed.texts.join('\n')).toContain('来源');
		expect(parsed.texts.some((t) => t?.includes('彭昭'))).toBe(true);
	});

	it('PNG exports at 2× and at 300 dpi, with the resolution recorded', async () => {
		const svg = (await downloadFrom(page, '#chart-outcomes [data-export="svg"]')).bytes.toString('utf8');
		const width = Number(/<svg[^>]*\swidth="(\d+)"/.exec(svg)![1]);
		const height = Number(/<svg[^>]*\sheight="(\d+)"/.exec(svg)![1]);

		const png2x = await downloadFrom(page, '#chart-outcomes [data-export="png2x"]');
		expect(png2x.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
		expect(pngSize(png2x.bytes)).toEqual({ width: width * 2, height: height * 2 });

		const png300 = await downloadFrom(page, '#chart-outcomes [data-export="png300"]');
		expect(pngSize(png300.bytes)).toEqual({
			width: Math.round((width * 300) / 96),
			height: Math.round((height * 300) / 96)
		});
		// The title's glyphs are drawn (fonts embedded in the SVG load before rasterising).
		const inkInTitle = await page.evaluate(async (base64) => {
			const blob = await (await fetch(`data:image/png;base64,${base64}`)).blob();
			const bitmap = await createImageBitmap(blob);
			const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
			const context = canvas.getContext('2d')!;
			context.drawImage(bitmap, 0, 0);
			const band = context.getImageData(0, 0, Math.round(bitmap.width / 3), Math.round(bitmap.height / 8)).data;
			let dark = 0;
			for (let i = 0; i < band.length; i += 4) if (band[i]! + band[i + 1]! + band[i + 2]! < 300) dark++;
			return dark;
		}, png300.bytes.toString('base64'));
		expect(inkInTitle).toBeGreaterThan(500);
		const phys = png300.bytes.indexOf(Buffer.from('pHYs'));
		expect(phys).toBeGreaterThan(0);
		expect(png300.bytes.readUInt32BE(phys + 4)).toBe(Math.round(300 / 0.0254));
	});

	it('CSV has a BOM, a header and exactly the filtered rows', async () => {
		const { name, bytes } = await downloadFrom(page, '#chart-service-time [data-export="csv"]');
		expect(name).toMatch(/\.csv$/);
		expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const lines = bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
		expect(lines[0]).toBe('编号,座席员,部门,结果,震中服务（秒）');
		expect(lines.slice(1)).toEqual(['C01,彭昭,座席一部,办理完毕,213', 'C02,罗希,座席一部,办理完毕,132', 'C04,王娅馨,座席一部,客户要求挂断,']);
	});

	it('prints as an A4 report with KPIs, charts, filters and source, without controls', async () => {
		await page.emulateMedia({ media: 'print' });
		try {
			expect(await page.locator('.filters').isVisible()).toBe(false);
			expect(await page.locator('[data-export="svg"]').first().isVisible()).toBe(false);
			expect(await page.locator('.print-meta').textContent()).toContain('座席一部');
			expect(await page.locator('.kpi').first().isVisible()).toBe(true);
			expect(await page.locator('#chart-timeline svg').isVisible()).toBe(true);
			const pdf = await page.pdf({ preferCSSPageSize: true });
			expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
			// Every page is A4 portrait: 595 × 842 PDF points.
			const boxes = [...pdf.toString('latin1').matchAll(/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)];
			expect(boxes.length).toBeGreaterThan(0);
			for (const [, w, h] of boxes) {
				expect(Number(w)).toBeCloseTo(595, 0);
				expect(Number(h)).toBeCloseTo(842, 0);
			}
		} finally {
			await page.emulateMedia({ media: 'screen' });
		}
	});
});

describe('language and pages', () => {
	it('switches to English, formats per locale, and remembers the choice', async () => {
		await page.goto(`${harness.baseUrl}/`);
		await waitReady(page);
		await page.getByTestId('lang-toggle').click();
		await expect.poll(() => page.locator('nav a').first().textContent()).toBe('Overview');
		expect(await kpi('service-time').textContent()).toBe('3 min 33 s');
		expect(await page.locator('html').getAttribute('lang')).toBe('en');
		await page.reload();
		await waitReady(page);
		expect(await page.locator('#chart-outcomes h2').textContent()).toBe('Outcomes by department');
		await page.getByTestId('lang-toggle').click();
		await expect.poll(() => page.locator('nav a').first().textContent()).toBe('总览');
	});

	it('the Calls table lists every record with its quote and sorts', async () => {
		await page.goto(`${harness.baseUrl}/calls`);
		await page.locator('table[data-ready="true"]').waitFor();
		const ids = () => page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
		expect(await ids()).toEqual(['C01', 'C02', 'C03', 'C04', 'C05', 'C06', 'C07']);
		expect(await page.locator('tbody tr[data-id="C01"] blockquote').textContent()).toContain('14时31分33秒');
		await page.getByRole('button', { name: '震中服务' }).click();
		expect((await ids()).slice(0, 3)).toEqual(['C06', 'C02', 'C01']);
		await page.getByRole('button', { name: '震中服务' }).click();
		expect((await ids()).slice(0, 3)).toEqual(['C01', 'C02', 'C06']);
	});

	it('the About page shows the provenance and the reported facts', async () => {
		await page.goto(`${harness.baseUrl}/about`);
		await expect.poll(() => page.locator('table').first().locator('tbody tr').count()).toBeGreaterThanOrEqual(4);
		expect(await page.locator('article').textContent()).toContain('震不断的优质服务声线');
	});

	it('no request left localhost, and no page logged an error', () => {
		const foreign = harness.requests.filter((url) => {
			const { protocol, hostname } = new URL(url);
			return !['data:', 'blob:'].includes(protocol) && !['127.0.0.1', 'localhost'].includes(hostname);
		});
		expect(foreign).toEqual([]);
		expect(harness.requests.length).toBeGreaterThan(5);
		expect(harness.errors).toEqual([]);
	});
});
