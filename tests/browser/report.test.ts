import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { downloadFrom, openHarness, type Harness } from './harness';
import { printPdf } from '../../src/cli/report-pdf';
import { callsOnDays, REPORT_FIXTURE, reportCalls, reportFigures } from '../reference/report';

let harness: Harness;
let page: Page;
let dir: string;
/** The page's own workbook download: images per sheet, for the command line's to match. */
let pageImages: Record<string, number> = {};
const imagesPerSheet = (book: ExcelJS.Workbook) => Object.fromEntries(book.worksheets.map((sheet) => [sheet.name, sheet.getImages().length]));
const run = promisify(execFile);
const has = (bin: string) => {
	try {
		execFileSync('which', [bin]);
		return true;
	} catch {
		return false;
	}
};
const poppler = has('pdftotext') && has('pdffonts') && has('pdfinfo');
const week = reportFigures(callsOnDays(reportCalls(), '2024-03-11', '2024-03-17'));
const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

beforeAll(async () => {
	harness = await openHarness();
	page = await harness.newPage();
	dir = mkdtempSync(join(tmpdir(), 'holdline-report-'));
});
afterAll(async () => {
	await harness?.close();
	rmSync(dir, { recursive: true, force: true });
});

/** The summary cell the page shows for a measure: its value and its text. */
async function summaryCell(measure: string, column: 'now' | 'before' | 'change') {
	const row = page.locator('[data-table="summary"] tbody tr').filter({ has: page.locator('td[data-col="metric"]', { hasText: new RegExp(`^${measure}$`) }) });
	const cell = row.locator(`td[data-col="${column}"]`);
	return { value: Number(await cell.getAttribute('data-value')), text: (await cell.textContent())?.trim() };
}

describe('the Report page', () => {
	it('reports an imported dataset: the last week of its data beside the week before', async () => {
		await page.goto(`${harness.baseUrl}/import`);
		await page.getByTestId('import-input').setInputFiles(resolve(REPORT_FIXTURE));
		await page.getByTestId('import-start').click();
		await page.getByTestId('import-done').waitFor({ timeout: 30_000 });
		await page.getByRole('link', { name: '报告' }).click();
		await page.locator('[data-report-ready="true"]').waitFor({ timeout: 30_000 });
		await expect.poll(() => page.getByTestId('report-period').textContent()).toBe('2024-03-11 – 2024-03-17');
		await expect.poll(async () => (await summaryCell('来电量', 'now')).text).toBe(String(week.volume));
		expect((await summaryCell('服务水平', 'now')).text).toBe(percent(week.sl));
		expect((await summaryCell('放弃率', 'now')).text).toBe(percent(week.abandonRate));
		expect(await page.locator('[data-table="intervals"] tbody tr').count()).toBe(7);
		expect(await page.locator('[data-chart-for] svg').count()).toBeGreaterThanOrEqual(5);
		// Staffing: the hours short of agents, named in a sentence above their table.
		const staffing = page.locator('[data-section="staffing"]');
		expect(await staffing.getByTestId('section-note').first().textContent()).toMatch(
			/^2024-03-1\d \d\d:00–\d\d:00：达到 80\/20 需要 \d+ 名座席员.*数据中见到 \d+ 名$|不少于/
		);
		expect(await staffing.locator('tbody tr').count()).toBeGreaterThan(0);
		expect(harness.errors).toEqual([]);
	});

	it('choosing a department and weeks recomputes, in the URL', async () => {
		await page.locator('[data-testid="report-depts-choice"] input[value="座席一部"]').check();
		await expect.poll(() => new URL(page.url()).searchParams.getAll('dept')).toEqual(['座席一部']);
		const one = reportFigures(callsOnDays(reportCalls(), '2024-03-11', '2024-03-17').filter((c) => c.queue === '座席一部'));
		await expect.poll(async () => (await summaryCell('来电量', 'now')).text).toBe(String(one.volume));
		await page.getByTestId('report-by').selectOption('week');
		await expect.poll(() => page.locator('[data-table="intervals"] tbody tr').count()).toBe(1);
		await page.locator('[data-testid="report-depts-choice"] input[value="座席一部"]').uncheck();
		await page.getByTestId('report-by').selectOption('day');
		await expect.poll(async () => (await summaryCell('来电量', 'now')).text).toBe(String(week.volume));
	});

	it('a report link made before opens its departments ticked, described on the title page', async () => {
		const ds = new URL(page.url()).searchParams.get('ds') ?? '';
		const link = `?ds=${ds}&from=2024-03-11&to=2024-03-17&dept=${encodeURIComponent('座席二部')}&dept=${encodeURIComponent('座席一部')}`;
		await page.goto(`${harness.baseUrl}/report${link}`);
		const box = (dept: string) => page.locator(`[data-testid="report-depts-choice"] input[value="${dept}"]`);
		await expect.poll(() => box('座席一部').isChecked()).toBe(true);
		expect(await box('座席二部').isChecked()).toBe(true);
		await expect.poll(() => page.getByTestId('report-depts').textContent()).toBe('座席二部、座席一部');
		const both = reportFigures(callsOnDays(reportCalls(), '2024-03-11', '2024-03-17').filter((c) => c.queue === '座席一部' || c.queue === '座席二部'));
		await expect.poll(async () => (await summaryCell('来电量', 'now')).text).toBe(String(both.volume));
		// Unticking one writes the other alone, under the same key.
		await box('座席二部').uncheck();
		await expect.poll(() => new URL(page.url()).searchParams.getAll('dept')).toEqual(['座席一部']);
		await expect.poll(() => page.getByTestId('report-depts').textContent()).toBe('座席一部');
		await box('座席一部').uncheck();
		await expect.poll(() => page.getByTestId('report-depts').textContent()).toBe('全部');
		await expect.poll(async () => (await summaryCell('来电量', 'now')).text).toBe(String(week.volume));
	});

	it('the XLSX download opens and holds the page’s values and the charts', async () => {
		await page.locator('[data-report-ready="true"]').waitFor();
		const { name, bytes } = await downloadFrom(page, '[data-testid="report-xlsx"]');
		expect(name).toBe('服务水平报告-2024-03-11-2024-03-17.xlsx');
		const book = new ExcelJS.Workbook();
		await book.xlsx.load(bytes as unknown as ArrayBuffer);
		const summary = book.getWorksheet('摘要')!;
		for (let r = 4; r <= summary.rowCount; r++) {
			const measure = String(summary.getCell(r, 1).value);
			const shown = await summaryCell(measure, 'now');
			const cell = summary.getCell(r, 2);
			const value = cell.value instanceof Date ? (cell.value.getTime() - Date.UTC(1899, 11, 30)) / 1000 : Number(cell.value);
			expect(value).toBeCloseTo(shown.value, 2);
		}
		const days = book.getWorksheet('按天')!;
		expect(days.rowCount - 3).toBe(await page.locator('[data-table="intervals"] tbody tr').count());
		// Each chart drawn on the page is an image beside its table.
		expect(days.getImages().length).toBe(1);
		expect(book.getWorksheet('等待分布')!.getImages().length).toBe(1);
		expect(book.model.media.filter((m) => m.extension === 'png').length).toBe(await page.locator('[data-chart-for] svg').count());
		pageImages = imagesPerSheet(book);
	});

	it('its PDF (the page printed) has a title page, page numbers and the page’s values', async () => {
		const pdf = await printPdf(page);
		const file = join(dir, 'page.pdf');
		writeFileSync(file, pdf);
		expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
		if (!poppler) return;
		const pages = Number(/Pages:\s+(\d+)/.exec((await run('pdfinfo', [file])).stdout)?.[1]);
		expect(pages).toBeGreaterThanOrEqual(3);
		const text = (await run('pdftotext', ['-layout', file, '-'])).stdout;
		const firstPage = text.split('\f')[0]!;
		expect(firstPage).toContain('服务水平报告');
		expect(firstPage).toContain('2024-03-11 – 2024-03-17');
		// Page numbers "n / N" (pdftotext drops the spaces around the slash).
		for (let n = 1; n <= pages; n++) expect(text).toMatch(new RegExp(`\\b${n}\\s*/\\s*${pages}\\b`));
		expect(text).toContain((await summaryCell('服务水平', 'now')).text);
		expect(text).toContain((await summaryCell('服务水平', 'change')).text);
	});
});

describe('npm run report → PDF', () => {
	it('prints the report page for the files given, with its Chinese font embedded, and its workbook has the page’s charts', async () => {
		const out = join(dir, 'cli.pdf');
		const xlsx = join(dir, 'cli.xlsx');
		// No period: the data's last full week, as cron runs it; one browser for both files.
		const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/report.ts', REPORT_FIXTURE, '--out', out, '--out', xlsx]);
		expect(stdout).toMatch(/^period: 2024-03-11 – 2024-03-17 \(last-week: /);
		expect(stderr).not.toContain('warning');
		// One image per chart of the page's own workbook, on the same sheets, drawn at 2×.
		const book = new ExcelJS.Workbook();
		await book.xlsx.readFile(xlsx);
		expect(Object.values(pageImages).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5);
		expect(imagesPerSheet(book)).toEqual(pageImages);
		expect(stdout).toContain(`cli.xlsx: 2024-03-11 – 2024-03-17, ${week.volume} calls, ${book.model.media.length} charts`);
		for (const sheet of book.worksheets)
			for (const image of sheet.getImages()) {
				const png = Buffer.from(book.getImage(Number(image.imageId)).buffer as unknown as Uint8Array);
				// exceljs reads the anchor's size back, though its types leave it out.
				const shown = (image.range as unknown as { ext: { width: number } }).ext.width;
				expect(png.subarray(1, 4).toString()).toBe('PNG');
				expect(png.readUInt32BE(16)).toBe(Math.round(shown * 2));
			}
		if (!poppler) return;
		const pages = Number(/Pages:\s+(\d+)/.exec((await run('pdfinfo', [out])).stdout)?.[1]);
		expect(pages).toBeGreaterThanOrEqual(3);
		const fonts = (await run('pdffonts', [out])).stdout.split('\n').slice(2);
		expect(fonts.some((line) => /NotoSans(SC|CJK)/.test(line) && /\byes\s+yes\b/.test(line))).toBe(true);
		const text = (await run('pdftotext', ['-layout', out, '-'])).stdout;
		for (let n = 1; n <= pages; n++) expect(text).toMatch(new RegExp(`\\b${n}\\s*/\\s*${pages}\\b`));
		expect(text).toContain('服务水平报告');
		expect(text).toContain(percent(week.sl));
		expect(text).toMatch(new RegExp(`来电量\\s+${week.volume}\\b`));
	}, 180_000);

	it('bad input exits non-zero before any browser starts', async () => {
		const failure = await run(process.execPath, [
			'--import',
			'tsx',
			'src/cli/report.ts',
			REPORT_FIXTURE,
			'--from',
			'2024-03-11',
			'--to',
			'next week',
			'--out',
			join(dir, 'x.pdf')
		]).then(
			() => null,
			(e: { code: number; stderr: string }) => e
		);
		expect(failure?.code).toBe(2);
		expect(failure?.stderr).toContain('--to: not a date (YYYY-MM-DD): "next week"');
	});
});
