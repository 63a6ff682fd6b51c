import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { inputFolder, openHarness, waitReady, type Harness } from './harness';
import { formatDuration, formatNumber, formatPercent } from '$lib/i18n/format';

/**
 * An ACD's interval report through the Import page, as a center without per-call records has it:
 * the semicolon layout, percentages written `94.01%` and averages `0:02:14`. The page asks
 * the service level's denominator, imports, and the Service level and Report pages show the
 * figures computed here from the rows written, with a sentence where a view needs calls.
 */

let harness: Harness;
let page: Page;
const files = inputFolder('holdline-intervals-');

beforeAll(async () => {
	harness = await openHarness();
	page = await harness.newPage();
});
afterAll(async () => {
	await harness?.close();
	files.remove();
});

const HEADER =
	'Date;Queue;Interval;Incoming Calls;Answered Calls;Answer Rate;Abandoned Calls;Answer Speed (AVG);Talk Duration (AVG);Waiting Time (AVG);Service Level (20 Seconds)';
const QUEUES = ['Sales', 'Support', 'Billing'];
const HALF_HOURS = 8;

/** One written row, with the figures it says (as a reader of the file takes them). */
interface Row {
	queue: string;
	offered: number;
	answered: number;
	abandoned: number;
	asaS: number;
	talkS: number;
	/** The service level as written, as a share. */
	slShare: number;
}

const pad = (n: number) => String(n).padStart(2, '0');
const clock = (s: number) => `${Math.floor(s / 3600)}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
const half = (i: number) => `${pad(9 + Math.floor(i / 2))}:${i % 2 ? '30' : '00'}`;

/** A few queues × several half hours on one day, counts varied by a fixed rule (no randomness). */
function report(): { text: string; rows: Row[] } {
	const rows: Row[] = [];
	const lines = [HEADER];
	QUEUES.forEach((queue, q) => {
		for (let i = 0; i < HALF_HOURS; i++) {
			const offered = 20 + ((q * 37 + i * 11) % 45);
			const abandoned = (q + i * 3) % 7;
			const answered = offered - abandoned;
			const within = Math.max(0, answered - ((q * 5 + i * 2) % 9));
			const asaS = 5 + ((q * 13 + i * 17) % 140);
			const talkS = 90 + ((q * 29 + i * 7) % 200);
			const waitS = Math.round(asaS * 0.9);
			const slText = `${((within / offered) * 100).toFixed(2)}%`;
			const rateText = `${((answered / offered) * 100).toFixed(2)}%`;
			const end = i + 1;
			lines.push(
				['2024-05-14', queue, `${half(i)}-${half(end)}`, offered, answered, rateText, abandoned, clock(asaS), clock(talkS), clock(waitS), slText].join(';')
			);
			rows.push({ queue, offered, answered, abandoned, asaS, talkS, slShare: Number(slText.slice(0, -1)) / 100 });
		}
	});
	return { text: lines.join('\n') + '\n', rows };
}

/** The figures from their definitions: sums, the service level over offered calls (the answer given on the page). */
function figures(rows: Row[]) {
	const sum = (f: (r: Row) => number) => rows.reduce((s, r) => s + f(r), 0);
	const offered = sum((r) => r.offered);
	const answered = sum((r) => r.answered);
	const abandoned = sum((r) => r.abandoned);
	const within = sum((r) => Math.round(r.slShare * r.offered));
	return {
		volume: offered,
		answered,
		abandoned,
		within,
		sl: within / offered,
		asa: sum((r) => r.asaS * r.answered) / answered,
		aht: sum((r) => r.talkS * r.answered) / answered,
		abandonRate: abandoned / offered
	};
}

const made = report();
const all = figures(made.rows);
const text = (testId: string) => page.getByTestId(testId).textContent();
const detail = (kpi: string) => page.locator(`[data-kpi="${kpi}"] .detail`).textContent();

/** The KPI cards as the page shows them, and as they should read for the figures. */
async function cards() {
	return {
		volume: await text('kpi-volume'),
		sl: await text('kpi-sl'),
		slDetail: await detail('sl'),
		asa: await text('kpi-asa'),
		abandon: await text('kpi-abandon')
	};
}
function expected(f: ReturnType<typeof figures>, lang: 'zh-CN' | 'en' = 'zh-CN') {
	const n = (v: number) => formatNumber(v, lang);
	return {
		volume: n(f.volume),
		sl: formatPercent(f.sl, lang),
		slDetail: expect.stringContaining(lang === 'en' ? `${n(f.within)} of ${n(f.volume)}` : `${n(f.within)} / ${n(f.volume)}`),
		asa: formatDuration(f.asa, lang),
		abandon: formatPercent(f.abandonRate, lang)
	};
}

/** The summary cell of the report for a measure (its exact value). */
async function summaryValue(measure: string) {
	const row = page.locator('[data-table="summary"] tbody tr').filter({ has: page.locator('td[data-col="metric"]', { hasText: new RegExp(`^${measure}$`) }) });
	return Number(await row.locator('td[data-col="now"]').getAttribute('data-value'));
}

describe('an interval report through the Import page', () => {
	let datasetId = '';

	it('is recognised, asks what its service level is a share of, and imports', async () => {
		await page.goto(`${harness.baseUrl}/import`);
		await page.getByTestId('import-input').setInputFiles(files.write('acd-halfhours.csv', made.text));
		await page.getByTestId('intervals-recognised').waitFor({ timeout: 30_000 });
		// A percentage without a stated denominator: the import waits for the answer.
		const base = page.getByTestId('sl-base');
		await base.waitFor();
		expect(await page.getByTestId('import-start').isDisabled()).toBe(true);
		await base.selectOption('offered');
		await expect.poll(() => page.getByTestId('import-start').isDisabled()).toBe(false);
		await page.getByTestId('import-start').click();
		await page.getByTestId('import-done').waitFor({ timeout: 60_000 });
		await page.getByTestId('import-view').click();
		await waitReady(page);
		datasetId = new URL(page.url()).searchParams.get('ds') ?? '';
		expect(datasetId).not.toBe('');
		await page.getByTestId('intervals-badge').waitFor();
	});

	it('the KPI cards are the weighted sums of the rows written', async () => {
		await expect.poll(cards).toEqual(expected(all));
		expect(await text('kpi-aht')).toBe(formatDuration(all.aht, 'zh-CN'));
		expect(await detail('asa')).toContain(formatNumber(all.answered, 'zh-CN'));
	});

	it("the queue filter gives that queue's figures", async () => {
		const queue = 'Support';
		await page.getByTestId('filter-queue').selectOption(queue);
		await expect.poll(() => new URL(page.url()).searchParams.toString()).toContain(queue);
		await waitReady(page);
		await expect.poll(cards).toEqual(expected(figures(made.rows.filter((r) => r.queue === queue))));
		await page.getByTestId('filter-reset').click();
		await expect.poll(cards).toEqual(expected(all));
	});

	it('the views that need calls are a sentence saying why, in Chinese, then in English', async () => {
		const notes = ['needs-calls-waits', 'needs-calls-agents', 'needs-calls-incident'];
		for (const id of notes) expect(await text(id)).toMatch(/逐通话记录/);
		// Nothing drawn in their place: no agents or wait chart, no incident window.
		expect(await page.locator('#chart-agents, #chart-wait-distribution').count()).toBe(0);
		expect(await page.locator('#chart-sl-over-time svg, #chart-sl-by-queue svg').count()).toBeGreaterThanOrEqual(2);
		// No short abandons in the file: the abandon card does not count them as a figure.
		expect(await detail('abandon')).not.toContain('—');
		// No logged-in time: agents needed are not set beside a zero "seen", and the page says why.
		await page.getByTestId('staffing').scrollIntoViewIfNeeded();
		await page.locator('[data-testid="staffing"][data-state="ready"]').waitFor({ timeout: 30_000 });
		expect(await text('staffing-seen-unknown')).toMatch(/座席在线时长/);
		expect(await page.getByTestId('staffing-summary').count()).toBe(0);
		// The chart's legend names no "agents seen" series it cannot draw.
		expect(await page.locator('#chart-staffing svg').first().textContent()).not.toContain('见到的座席员');
		await page.getByTestId('lang-toggle').click();
		await expect.poll(() => text('needs-calls-waits')).toMatch(/per-call records/);
		for (const id of notes) expect(await text(id)).toMatch(/per-call records/);
		await expect.poll(cards).toEqual(expected(all, 'en'));
		await page.getByTestId('lang-toggle').click();
		await expect.poll(() => text('needs-calls-waits')).toMatch(/逐通话记录/);
	});

	it('the Report page gives the same figures and says why there is no agent section', async () => {
		await page.goto(`${harness.baseUrl}/report?ds=${encodeURIComponent(datasetId)}`);
		await page.locator('[data-report-ready="true"]').waitFor({ timeout: 30_000 });
		await expect.poll(() => page.getByTestId('report-period').textContent()).toBe('2024-05-08 – 2024-05-14');
		await expect.poll(() => summaryValue('来电量')).toBe(all.volume);
		expect(await summaryValue('服务水平')).toBeCloseTo(all.sl, 9);
		expect(await summaryValue('放弃率')).toBeCloseTo(all.abandonRate, 9);
		const agents = page.locator('[data-section="agents"]');
		expect(await agents.locator('[data-table="agents"]').textContent()).toMatch(/逐通话记录/);
		expect(await agents.locator('[data-chart-for] svg').count()).toBe(0);
		// Staffing: the reason agents seen are unknown, not a shortfall against zero agents.
		const staffing = page.locator('[data-section="staffing"]');
		expect(await staffing.getByTestId('section-note').allTextContents()).toEqual([expect.stringMatching(/座席在线时长/)]);
		expect(await staffing.locator('td[data-col="agents_seen"]').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-value')))).not.toContain('0');
		expect(harness.errors).toEqual([]);
	});
});
