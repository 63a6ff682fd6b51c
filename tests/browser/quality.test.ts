import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { RECOGNISED_LAYOUTS } from '../../src/lib/imports/pipeline';
import { downloadFrom, openHarness, waitReady, type Harness } from './harness';

/**
 * The data-quality report in the browser: what an import repaired, merged, skipped and
 * flagged is shown on the Import page, downloadable, kept with the dataset, and the
 * Service level page says when its figures cannot be trusted.
 */

let harness: Harness;
let page: Page;

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/imports/${name}`, import.meta.url));
const real = (name: string) => fileURLToPath(new URL(`../fixtures/real/${name}`, import.meta.url));
const kpi = (id: string) => page.getByTestId(`kpi-${id}`);
const entry = (kind: string, code: string) => page.locator(`[data-testid="quality-entry"][data-kind="${kind}"][data-code="${code}"]`);

beforeAll(async () => {
	harness = await openHarness();
	page = await harness.newPage();
});
afterAll(async () => harness?.close());

/** Chooses the files, waits for the review step, and (if asked) changes nothing else: the defaults import. */
async function choose(path: string) {
	await page.goto(`${harness.baseUrl}/import`);
	await page.getByTestId('import-input').setInputFiles(path);
	await page.getByTestId('import-start').waitFor();
}

async function importAndWait() {
	await page.getByTestId('import-start').click();
	await page.getByTestId('import-done').waitFor({ timeout: 30_000 });
	await page.getByTestId('quality-report').waitFor();
}

describe('the data-quality report in the browser', () => {
	/*
	 * multi-leg-Master.csv: an Asterisk Master.csv (21 columns, linkedid at 20) from a ring
	 * group that writes one row per member rung. Legs are grouped by linkedid:
	 *   A 1709629200.1  SIP/201 NO ANSWER, SIP/202 ANSWERED at 09:00:12 (start 09:00:00), billsec 180
	 *                   → answered, wait 12 s, talk 180 s                               (2 rows)
	 *   B 1709629800.4  SIP/201, SIP/202 NO ANSWER; SIP/203 ANSWERED at 09:10:30 (start 09:10:00), billsec 240
	 *                   → answered, wait 30 s, talk 240 s                               (3 rows)
	 *   C 1709630400.8  SIP/201, SIP/202 NO ANSWER, both end 09:20:25 (start 09:20:00)
	 *                   → offered, nobody answered, rang out: abandoned, wait 25 s       (2 rows)
	 *   D 1709631000.11 Playback, no dstchannel, ANSWERED → IVR only: outcome other      (1 row)
	 * 8 rows → 4 calls: the report's merged `legs` entry counts 8 − 4 = 4 rows.
	 * volume 4; offered (A, B, C) 3; answered 2;
	 * service level (abandons counted) = answered within 20 s / offered = 1 (A) / 3 = 33%;
	 * ASA = (12 + 30) / 2 = 21 s; AHT = (180 + 240) / 2 = 210 s = 3 min 30 s;
	 * abandonment = 1 / 3 = 33%.
	 */
	it('a multi-leg Asterisk CDR: one call per linkedid, its KPIs, and the merged legs in the report', async () => {
		await choose(fixture('multi-leg-Master.csv'));
		await expect.poll(() => page.getByTestId('import-format').first().textContent()).toContain('Asterisk CDR');
		await importAndWait();
		expect(await page.getByTestId('quality-summary').textContent()).toContain('读取 8 行 → 4 通呼叫');
		const legs = entry('merged', 'legs');
		expect(await legs.getAttribute('data-count')).toBe('4');
		expect(await legs.textContent()).toContain('合并为一通呼叫');
		expect(await legs.textContent()).toContain('multi-leg-Master.csv:1'); // call A, its first leg
		expect(await page.locator('[data-testid="quality-entry"]').count()).toBe(1); // nothing else to report

		await page.getByTestId('import-view').click();
		await waitReady(page);
		await expect.poll(() => kpi('volume').textContent()).toBe('4');
		expect(await page.locator('[data-kpi="volume"] .detail').textContent()).toBe('其中进入队列 3 通');
		expect(await kpi('sl').textContent()).toBe('33%');
		expect(await kpi('asa').textContent()).toBe('21秒');
		expect(await kpi('aht').textContent()).toBe('3分30秒');
		expect(await kpi('abandon').textContent()).toBe('33%');
		expect(await page.getByTestId('quality-warning').count()).toBe(0); // times have seconds

		// The report is kept with the dataset: the Service level page links to it.
		await page.getByTestId('quality-link').click();
		await expect.poll(() => new URL(page.url()).searchParams.get('report')).toMatch(/^ds_/);
		await expect.poll(() => entry('merged', 'legs').getAttribute('data-count')).toBe('4');
		expect(await page.getByTestId('quality-report').textContent()).toContain('multi-leg-Master');
		expect(harness.errors).toEqual([]);
	});

	/*
	 * repairs.csv (Chinese headers the app maps by itself), imported with the defaults
	 * (bad rows skipped and reported, clock-skew tolerance 5 s):
	 *   line 3  R2 answered 2 s before it arrived       → repaired: clock_skew (answer = arrival)
	 *   line 5  an identical copy of line 4 (R3)       → merged: duplicate_rows
	 *   line 6  R4 answered 60 s before it arrived      → skipped: answer_before_arrival
	 * 7 rows read → 5 calls (R1, R2, R3, R5, R6). Waits: R1 10, R2 0, R3 30, R5 40 (abandoned),
	 * R6 25 → within 20 s: R1, R2 → service level 2 / 5 = 40%.
	 */
	it('a file needing repairs imports with the defaults, and the report lists every repair, merge and skip', async () => {
		await choose(fixture('repairs.csv'));
		const note = page.getByTestId('mapping-unrecognised');
		expect(await note.textContent()).toContain('未能识别此文件的格式');
		expect(await note.textContent()).toContain('FreeSWITCH cdr_csv');
		expect(await note.textContent()).toContain('来电时间');
		expect(await page.getByTestId('mapping-needed').textContent()).toContain('列“来电时间”');
		// The English note names the layouts as the command line does.
		await page.getByTestId('lang-toggle').click();
		await expect.poll(() => note.textContent()).toContain(RECOGNISED_LAYOUTS);
		await page.getByTestId('lang-toggle').click();
		await expect.poll(() => note.textContent()).toContain('未能识别');

		const mappingFile = await downloadFrom(page, '[data-testid="mapping-download"]');
		expect(mappingFile.name).toBe('字段对应-repairs.json');
		const json = JSON.parse(mappingFile.bytes.toString('utf8'));
		expect(json).toMatchObject({ holdline: 'mapping', version: 2, mapping: { arrival: '来电时间', answer: '应答时间', end: '结束时间', call_id: '呼叫编号' } });
		expect(json.columns).toEqual(['呼叫编号', '部门', '坐席', '来电时间', '应答时间', '结束时间', '结果']);

		// The defaults: skip and report; 5 s tolerance, validated.
		expect(await page.getByTestId('bad-rows-skip').isChecked()).toBe(true);
		expect(await page.getByTestId('clock-skew').inputValue()).toBe('5');
		await page.getByTestId('clock-skew').fill('700');
		await page.getByTestId('clock-skew-error').waitFor();
		expect(await page.getByTestId('import-start').isDisabled()).toBe(true);
		await page.getByTestId('clock-skew').fill('5');
		await expect.poll(() => page.getByTestId('import-start').isDisabled()).toBe(false);
		expect(await page.getByTestId('clock-skew-error').count()).toBe(0);

		await importAndWait();
		expect(await page.getByTestId('quality-summary').textContent()).toContain('读取 7 行 → 5 通呼叫');
		const expected = [
			['repaired', 'clock_skew', 'repairs.csv:3', '2 s before arrival'],
			['merged', 'duplicate_rows', 'repairs.csv:5', 'call R3'],
			['skipped', 'answer_before_arrival', 'repairs.csv:6', 'answer 2024-03-05 10:09:00']
		] as const;
		for (const [kind, code, where, value] of expected) {
			const e = entry(kind, code);
			expect(await e.getAttribute('data-count'), code).toBe('1');
			const text = (await e.textContent()) ?? '';
			expect(text).toContain(`${where} — `);
			expect(text).toContain(value);
		}
		expect(await entry('repaired', 'clock_skew').textContent()).toContain('应答时间按来电时间修正');
		expect(await entry('skipped', 'answer_before_arrival').textContent()).toContain('应答时间早于来电时间');
		expect(await page.locator('[data-testid="quality-entry"]').count()).toBe(3);

		const csv = await downloadFrom(page, '[data-testid="quality-download"]');
		expect(csv.name).toBe('数据质量报告-repairs.csv');
		expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const lines = csv.bytes.toString('utf8').slice(1).trim().split('\r\n');
		expect(lines[0]).toBe('类别,代码,原因,数量,文件,行,值');
		// One row per example, then the mapping used: one row per field, one per outcome value.
		const mappingRows = lines.filter((l) => l.startsWith('使用的字段对应,'));
		expect(lines).toHaveLength(4 + mappingRows.length);
		expect(mappingRows).toContain('使用的字段对应,field:arrival,来电时间,,,,来电时间');
		expect(mappingRows.some((l) => /^使用的字段对应,outcome:answered,已接听（常见写法）,\d+,,,接通$/.test(l))).toBe(true);
		expect(await page.locator('[data-testid="quality-mapping-field"][data-field="outcome"]').textContent()).toContain('结果');
		const skew = lines.find((l) => l.includes(',clock_skew,'));
		expect(skew).toMatch(/^已修复,clock_skew,.+,1,repairs\.csv,3,answer 2024-03-05 10:00:58 is 2 s before arrival 2024-03-05 10:01:00$/);
		expect(lines.some((l) => l.startsWith('已合并,duplicate_rows,') && l.includes(',1,repairs.csv,5,'))).toBe(true);
		expect(lines.some((l) => l.startsWith('已跳过（错误行）,answer_before_arrival,') && l.includes(',1,repairs.csv,6,'))).toBe(true);

		await page.getByTestId('import-view').click();
		await waitReady(page);
		await expect.poll(() => kpi('volume').textContent()).toBe('5');
		expect(await kpi('sl').textContent()).toBe('40%');
		expect(await page.getByTestId('quality-link').isVisible()).toBe(true);
	});

	it('a file a spreadsheet re-saved (times without seconds): the Service level page warns, and marks SL and ASA', async () => {
		await choose(real('freeswitch-cdr-csv-excel-resaved-2020.csv'));
		await expect.poll(() => page.getByTestId('import-format').first().textContent()).toContain('FreeSWITCH');
		await importAndWait();
		expect(await entry('warning', 'minute_precision').textContent()).toContain('秒已丢失');
		expect(await entry('merged', 'duplicate_id').getAttribute('data-count')).toBe('2');
		await page.getByTestId('import-view').click();
		await waitReady(page);
		const warning = page.getByTestId('quality-warning');
		await warning.waitFor();
		expect(await warning.isVisible()).toBe(true);
		expect(await warning.textContent()).toContain('服务水平');
		expect(await page.getByTestId('kpi-warning-sl').isVisible()).toBe(true);
		expect(await page.getByTestId('kpi-warning-asa').isVisible()).toBe(true);
		expect(await page.getByTestId('kpi-warning-volume').count()).toBe(0);
		expect(await page.locator('#kpi-sl').textContent()).toContain('⚠');
		// Exported figures carry the caveat too.
		const { bytes } = await downloadFrom(page, '#chart-sl-over-time [data-export="svg"]');
		expect(bytes.toString('utf8')).toContain('时间没有秒，不可信');
		expect(harness.errors).toEqual([]);
	});
});
