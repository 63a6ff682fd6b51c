import { CHROMIUM_ARGS } from '$lib/server/chromium';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startStaticServer } from '$lib/server/static-server';
import type { Lang } from '$lib/i18n/messages';
import type { ReportData } from '$lib/report/model';
import { INJECTED_REPORT } from '$lib/report/injected';

/**
 * The PDF of a Report page already showing its figures: A4 from the page's own @page rules
 * (margins, page numbers), backgrounds kept. The Report page's print is the same layout.
 */
export async function printPdf(page: Page): Promise<Uint8Array> {
	await page.locator('[data-report-ready="true"]').waitFor({ timeout: 60_000 });
	await page.evaluate(() => document.fonts.ready.then(() => undefined));
	return page.pdf({ preferCSSPageSize: true, printBackground: true, outline: true, tagged: true });
}

/** Serves the built app on 127.0.0.1 (port 0), shows `data` on its Report page and prints it. */
export async function renderPdf(project: string, chromiumPath: string, data: ReportData, lang: Lang): Promise<Uint8Array> {
	const server = await startStaticServer({ root: join(project, 'build') });
	const profile = mkdtempSync(join(tmpdir(), 'holdline-report-'));
	try {
		const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
		try {
			const page = await context.newPage();
			// The figures go in before the app starts: the page renders them instead of a dataset.
			await page.addInitScript(([key, value]) => ((window as unknown as Record<string, unknown>)[key] = value), [INJECTED_REPORT, { data, lang }] as const);
			await page.goto(`${server.url}/report`);
			return await printPdf(page);
		} finally {
			await context.close();
		}
	} finally {
		await server.close();
		rmSync(profile, { recursive: true, force: true });
	}
}
