import { CHROMIUM_ARGS, CHROMIUM_PATH } from '$lib/server/chromium';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startStaticServer } from '$lib/server/static-server';

/** Debian's Chromium; browser downloads are not possible on our machines. */
export const CHROMIUM = CHROMIUM_PATH;

export interface Harness {
	baseUrl: string;
	context: BrowserContext;
	/** Every URL the browser asked for, to prove nothing leaves localhost. */
	requests: string[];
	/** Console errors and uncaught page errors, per page. */
	errors: string[];
	newPage(): Promise<Page>;
	close(): Promise<void>;
}

/** Serves the built app (`build/`) as `npm start` does and opens Chromium with a fresh profile. */
export async function openHarness(): Promise<Harness> {
	if (!existsSync('build/index.html')) throw new Error('build/ is missing: run `npm run build` first.');
	if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium).`);
	const server = await startStaticServer({ root: 'build' });
	const baseUrl = server.url;
	const profile = mkdtempSync(join(tmpdir(), 'holdline-chromium-'));
	const downloads = mkdtempSync(join(tmpdir(), 'holdline-downloads-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		args: CHROMIUM_ARGS,
		viewport: { width: 1280, height: 900 },
		acceptDownloads: true,
		downloadsPath: downloads
	});
	const requests: string[] = [];
	const errors: string[] = [];
	context.on('request', (request) => requests.push(request.url()));
	return {
		baseUrl,
		context,
		requests,
		errors,
		async newPage() {
			const page = await context.newPage();
			page.on('console', (message) => {
				if (message.type() === 'error') errors.push(message.text());
			});
			page.on('pageerror', (error) => errors.push(error.message));
			return page;
		},
		async close() {
			await context.close();
			await server.close();
			rmSync(profile, { recursive: true, force: true });
			rmSync(downloads, { recursive: true, force: true });
		}
	};
}

/** Waits until every KPI and chart of the page has its query answered. */
export async function waitReady(page: Page): Promise<void> {
	await page.locator('[data-ready="true"]').first().waitFor({ timeout: 30_000 });
}

/** A temporary folder for the files a test file generates and chooses in the page. */
export function inputFolder(prefix: string): { write(name: string, data: string | Uint8Array): string; remove(): void } {
	const dir = mkdtempSync(join(tmpdir(), prefix));
	return {
		write(name, data) {
			const path = join(dir, name);
			writeFileSync(path, data);
			return path;
		},
		remove: () => rmSync(dir, { recursive: true, force: true })
	};
}

/** Starts the import of the chosen files, waits for it to finish, and opens the dataset on the Service level page. */
export async function importAndOpen(page: Page): Promise<void> {
	await page.getByTestId('import-start').click();
	await page.getByTestId('import-done').waitFor({ timeout: 60_000 });
	await page.getByTestId('import-view').click();
	await waitReady(page);
}

/** Clicks an export button and returns the downloaded file's name and bytes. */
export async function downloadFrom(page: Page, selector: string): Promise<{ name: string; bytes: Buffer }> {
	const [download] = await Promise.all([page.waitForEvent('download'), page.locator(selector).click()]);
	const path = await download.path();
	const { readFileSync } = await import('node:fs');
	return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}
