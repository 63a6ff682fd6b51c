import { CHROMIUM_ARGS } from '$lib/server/chromium';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startStaticServer } from '$lib/server/static-server';
import type { Lang } from '$lib/i18n/messages';
import type { ReportData } from '$lib/report/model';
import type { ChartImage } from '$lib/report/xlsx';
import { INJECTED_CHARTS, INJECTED_REPORT, type TransferredChart } from '$lib/report/injected';

/**
 * The PDF of a Report page already showing its figures: A4 from the page's own @page rules
 * (margins, page numbers), backgrounds kept. The Report page's print is the same layout.
 */
export async function printPdf(page: Page): Promise<Uint8Array> {
	await page.locator('[data-report-ready="true"]').waitFor({ timeout: 60_000 });
	await page.evaluate(() => document.fonts.ready.then(() => undefined));
	return page.pdf({ preferCSSPageSize: true, printBackground: true, outline: true, tagged: true });
}

/** The page's chart images, drawn by the page as its own workbook download draws them. */
export async function pageChartImages(page: Page): Promise<ChartImage[]> {
	await page.locator('[data-report-ready="true"]').waitFor({ timeout: 60_000 });
	const offered = await page.waitForFunction((key) => typeof (window as unknown as Record<string, unknown>)[key] === 'function', INJECTED_CHARTS);
	await offered.dispose();
	const charts = await page.evaluate((key) => ((window as unknown as Record<string, unknown>)[key] as () => Promise<TransferredChart[]>)(), INJECTED_CHARTS);
	return charts.map((chart) => ({ ...chart, png: new Uint8Array(Buffer.from(chart.png, 'base64')) }));
}

export interface Rendered {
	pdf: Uint8Array | null;
	charts: ChartImage[] | null;
}

/**
 * Serves the built app on 127.0.0.1 (port 0) and shows `data` on its Report page in one
 * Chromium: prints it when `want.pdf`, draws its charts for the workbook when `want.charts`.
 */
export async function renderReport(
	project: string,
	chromiumPath: string,
	data: ReportData,
	lang: Lang,
	want: { pdf: boolean; charts: boolean }
): Promise<Rendered> {
	const server = await startStaticServer({ root: join(project, 'build') });
	const profile = mkdtempSync(join(tmpdir(), 'holdline-report-'));
	try {
		const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
		try {
			const page = await context.newPage();
			// The figures go in before the app starts: the page renders them instead of a dataset.
			await page.addInitScript(([key, value]) => ((window as unknown as Record<string, unknown>)[key] = value), [INJECTED_REPORT, { data, lang }] as const);
			await page.goto(`${server.url}/report`);
			// The charts first, from the screen layout (printing lays the page out for paper).
			const charts = want.charts ? await pageChartImages(page) : null;
			const pdf = want.pdf ? await printPdf(page) : null;
			return { pdf, charts };
		} finally {
			await context.close();
		}
	} finally {
		await server.close();
		rmSync(profile, { recursive: true, force: true });
	}
}
