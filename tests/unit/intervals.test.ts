/**
 * Interval reports (docs/intervals.md): recognised by their header, values read in every written
 * form, averages turned into sums with their weights, a stated service level checked against the
 * counts, and generated calls rolled into each vendor's layout imported back to the reference.
 *
 * Column names of the vendor layouts, from their public documentation:
 * - Avaya CMS / BCMS split (skill) report: `ACD CALLS`, `AVG SPEED ANS`, `ABAND CALLS`,
 *   `AVG ABAND TIME`, `AVG TALK TIME`, `% IN SERV LEVL` (CMS: `% Within Service Level`),
 *   `AVG STAFF` (CMS: `Avg Pos Stf`) — Avaya Basic Call Management System (BCMS) Operations,
 *   Issue 5.0, May 2005, "Header definitions" and "Appendix A: BCMS/CMS report heading comparison"
 *   (https://www.manualshelf.com/manual/avaya/basic-call-management-system-bcms/user-s-manual-english/page-65.html,
 *   page-147.html); service level = "percentage of completed calls connected to agents within the
 *   Service Level Limit" — AT&T/Avaya CMS User's Guide, "Types of CMS Reports", 7-16
 *   (http://38.142.81.21:8001/manual/at-t/call-management-system/user-s-guide-english/page-195.html).
 *   `Avg ACD Time`, `Avg ACW Time` and the `Split/Skill`, `Date`, `Time` columns of an exported
 *   interval report are CMS Supervisor names not confirmed by a stored page.
 * - Cisco Unified CCX, Contact Service Queue Activity Report (by Interval): `Calls Presented`,
 *   `Calls Handled`, `Service Level`, `Percentage of Service Level Met — Only Handled` (= handled
 *   within SL / handled) — Cisco Unified CCX Historical Reports User Guide, Release 7.0(1),
 *   "Report Details" 3-52
 *   (http://38.142.81.21:8001/manual/cisco/cisco-unified-ip-interactive-voice-response-ivr-10-0-1/release-note-english/page-92.html);
 *   report list: Historical Reports Query Designs
 *   (http://www.cisco.com/en/US/products/sw/custcosw/ps1846/products_administration_guide09186a00801d7206.html).
 *   `Interval Start Time`, `CSQ Name`, `Calls Abandoned`, `Avg Speed of Answer`, `Avg Handle Time`
 *   are not confirmed by a stored page.
 * - Genesys Cloud performance views: `Offered`/`Offer`, `Answered`/`Answer`, `Abandoned`/`Abandon`,
 *   `Service Level %` — "View available columns in performance views by category"
 *   (https://help.mypurecloud.com/?p=334996); Service Level % = (answered − answered missing the
 *   target) / (answered + abandoned) by default — "Configure the service level calculation"
 *   (https://help.mypurecloud.com/articles/configure-the-service-level-calculation/), i.e. of
 *   offered in holdline's terms. The export's `Interval Start` column and T (a queue setting, not
 *   in the export) are not confirmed: T is given with --sl-threshold.
 * - Amazon Connect historical metrics, UI names: `Contacts queued`, `Contacts handled`,
 *   `Contacts abandoned`, `Average queue answer time`, `Average queue abandon time`,
 *   `After contact work time`, `Average customer hold time`, service level with a threshold —
 *   Amazon Connect API Reference, HistoricalMetric
 *   (https://docs.aws.amazon.com/connect/latest/APIReference/API_HistoricalMetric.html, API version
 *   2017-08-08). The service level's denominator is not confirmed by a stored page: asked (--sl-base).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { engine } from './import-helpers';
import { inspectFile } from '$lib/imports/inspect';
import { DEFAULT_BAD_ROWS, importFiles, type ImportResult } from '$lib/imports/pipeline';
import { fromBytes } from '$lib/imports/source';
import { ImportError } from '$lib/imports/errors';
import type { IntervalSettings } from '$lib/imports/intervals/assemble';
import { fractionColumn, parseDuration, parsePercent } from '$lib/imports/intervals/values';
import { INTERVAL_LAYOUTS, INTERVAL_VENDORS, type IntervalLayoutId } from '$lib/imports/intervals/layouts';
import { intervalReport, SL_THRESHOLD_S } from '$lib/synthetic/intervals';
import { generateCalls } from '$lib/synthetic/generate';
import { referenceIntervals } from '../reference/intervals';
import { importFromDisk, importSettings, UsageError } from '../../src/cli/shared';
import { writeIntervalFile } from '../../src/cli/generate-intervals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let counter = 0;
async function importText(name: string, text: string, intervals: IntervalSettings = {}): Promise<ImportResult & { table: string }> {
	const db = await engine();
	const inspection = await inspectFile(fromBytes(name, text));
	return importFiles(
		db,
		[inspection],
		{ format: inspection.format, mapping: inspection.suggested, onBadRows: DEFAULT_BAD_ROWS, utcOffsetSeconds: 0, intervals },
		{ table: `iv_${++counter}` }
	);
}

async function rows(table: string): Promise<Record<string, unknown>[]> {
	const db = await engine();
	const out = await db.query({
		sql: `SELECT strftime(interval_start, '%Y-%m-%d %H:%M:%S') AS start, * EXCLUDE (interval_start) FROM ${table} ORDER BY interval_start NULLS LAST, interval_index, queue`,
		params: []
	});
	return out.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
}

const entry = (result: ImportResult, code: string) => result.quality.entries.find((e) => e.code === code);

describe('values in every written form', () => {
	it('reads a duration as h:mm:ss, m:ss, seconds and decimal seconds', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 5 * 3600 }), (s) => {
				const h = Math.floor(s / 3600);
				const m = Math.floor(s / 60) % 60;
				const sec = String(s % 60).padStart(2, '0');
				expect(parseDuration(`${h}:${String(m).padStart(2, '0')}:${sec}`)).toBe(s);
				expect(parseDuration(`${Math.floor(s / 60)}:${sec}`)).toBe(s);
				expect(parseDuration(String(s))).toBe(s);
				expect(parseDuration(`${s}.0`)).toBe(s);
			})
		);
		expect(parseDuration('0:02:14')).toBe(134);
		expect(parseDuration('2:14')).toBe(134);
		expect(parseDuration('')).toBeNull();
		expect(parseDuration('2:75')).toBeNaN();
	});

	it('reads a percentage as 94.01%, 94.01 and 0.9401', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 10000 }), (hundredths) => {
				const pct = hundredths / 100;
				expect(parsePercent(`${pct.toFixed(2)}%`, false)).toBeCloseTo(hundredths / 10000, 12);
				expect(parsePercent(pct.toFixed(2), false)).toBeCloseTo(hundredths / 10000, 12);
				expect(parsePercent((hundredths / 10000).toFixed(4), true)).toBeCloseTo(hundredths / 10000, 12);
			})
		);
		expect(fractionColumn(['0.9401', '0.85', '1'])).toBe(true);
		expect(fractionColumn(['94.01', '85'])).toBe(false);
		expect(fractionColumn(['1.000000', '0.000000'])).toBe(true);
		expect(fractionColumn(['1', '0'])).toBe(false);
		expect(fractionColumn(['94.01%'])).toBe(false);
		expect(parsePercent('140%', false)).toBeNaN();
	});
});

const ISSUE_HEADER =
	'Date;Interval;Queue;Incoming Calls;Answered Calls;Answer Rate;Abandoned Calls;Answer Speed (AVG);Talk Duration (AVG);Waiting Time (AVG);Service Level (20 Seconds)';

describe("the issue's file", () => {
	const text = [
		'Queue report',
		'Exported: 2024-03-04;;;',
		ISSUE_HEADER,
		'2024-03-01;09:00-09:30;Sales;117;110;94.02%;7;0:00:12;0:02:14;0:00:14;94.01%',
		'2024-03-01;09:30-10:00;Sales;100;95;95.00%;5;0:00:10;2:00;0:00:11;90.00%',
		'Total;;;217;205;94.47%;12;0:00:11;0:02:07;0:00:13;92.1%'
	].join('\n');

	it('is recognised as an interval report with T = 20 from its header', async () => {
		const inspection = await inspectFile(fromBytes('report.csv', text));
		expect(inspection.intervals).toMatchObject({ layout: 'generic', threshold: 20, slBase: null });
		const fields = Object.fromEntries(inspection.intervals!.columns.map((c) => [c.column, c.field]));
		expect(fields).toMatchObject({
			Date: 'date',
			Interval: 'time',
			Queue: 'queue',
			'Incoming Calls': 'offered',
			'Answered Calls': 'answered',
			'Answer Rate': 'unused',
			'Abandoned Calls': 'abandoned',
			'Answer Speed (AVG)': 'asa',
			'Talk Duration (AVG)': 'talk_avg',
			'Service Level (20 Seconds)': 'sl_pct'
		});
	});

	it('asks for the service level denominator when the file does not say it', async () => {
		const error = await importText('report.csv', text).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ImportError);
		expect((error as ImportError).detail).toMatchObject({ problem: 'sl_base_unknown', column: 'Service Level (20 Seconds)', hint: { key: 'hint.sl_base' } });
	});

	it('imports with the denominator given: sums from averages, the count from the percentage, titles and totals reported', async () => {
		const result = await importText('report.csv', text, { slBase: 'offered' });
		expect(result.intervals).toEqual({ kind: 'intervals', layout: 'generic', intervalMinutes: 30, relativeTime: false });
		const table = await rows(result.table);
		expect(table).toHaveLength(2);
		expect(table[0]).toMatchObject({
			start: '2024-03-01 09:00:00',
			interval_minutes: 30,
			queue: 'Sales',
			offered: 117,
			answered: 110,
			abandoned: 7,
			sl_threshold_s: 20,
			answered_within: Math.round(0.9401 * 117),
			stated_sl_base: 'offered',
			wait_s_sum: 12 * 110,
			talk_s_sum: 134 * 110
		});
		expect(table[0]!.stated_sl).toBeCloseTo(0.9401, 10);
		expect(table[1]).toMatchObject({ start: '2024-03-01 09:30:00', answered_within: 90, talk_s_sum: 120 * 95 });
		expect(entry(result, 'title_rows')?.count).toBe(2);
		expect(entry(result, 'footer_rows')).toMatchObject({ count: 1, examples: [{ line: 6 }] });
		expect(entry(result, 'interval_sl_derived')?.count).toBe(2);
		expect(entry(result, 'interval_length_range')?.count).toBe(2);
	});

	it('reads Chinese names and a comma-separated file', async () => {
		const zh = [
			'日期,时段,技能组,呼入量,接通量,接通率,放弃量,平均应答速度,平均通话时长,服务水平(20秒)',
			'2024-03-01,09:00,客服,10,8,80%,2,0:00:05,0:01:40,0.8'
		].join('\n');
		const inspection = await inspectFile(fromBytes('zh.csv', zh));
		expect(inspection.intervals?.threshold).toBe(20);
		const result = await importText('zh.csv', zh, { slBase: 'answered', intervalMinutes: 60 });
		expect(await rows(result.table)).toMatchObject([
			{ start: '2024-03-01 09:00:00', queue: '客服', offered: 10, answered: 8, abandoned: 2, answered_within: 6, wait_s_sum: 40, interval_minutes: 60 }
		]);
	});
});

describe('a stated service level beside its count', () => {
	it('is a check: rows that disagree beyond rounding are counted with the largest difference', async () => {
		const text = [
			'Interval Start,Queue,Offered,Answered,Abandoned,Answered within 20s,Service Level %',
			'2024-03-01 09:00:00,A,100,90,10,80,80.00%', // agrees (80/100)
			'2024-03-01 09:00:00,B,3,3,0,2,66.67%', // agrees within rounding
			'2024-03-01 09:30:00,A,100,95,5,70,75.00%', // 5 points off
			'2024-03-01 09:30:00,B,50,50,0,40,70.00%' // 10 points off
		].join('\n');
		const result = await importText('check.csv', text, { slBase: 'offered' });
		const warning = entry(result, 'interval_sl_disagrees');
		expect(warning?.count).toBe(2);
		expect(warning?.examples[0]?.value).toBe('10.00');
		const table = await rows(result.table);
		// The counts are kept; the percentage only checked.
		expect(table.map((r) => r.answered_within)).toEqual([80, 2, 70, 40]);
		expect(entry(result, 'interval_length_spacing')?.count).toBe(4);
	});
});

describe('a file with an interval index and no dates', () => {
	const text = ['Interval,Queue,Offered,Answered,Abandoned,ASA', '1,A,10,9,1,12', '2,A,20,18,2,0:15', '3,A,5,5,0,3.0'].join('\n');

	it('without a length: totals and queues import, the time axis is left out', async () => {
		const result = await importText('index.csv', text);
		expect(result.intervals?.relativeTime).toBe(true);
		const table = await rows(result.table);
		expect(table.map((r) => [r.start, r.interval_index, r.offered])).toEqual([
			[null, 0, 10],
			[null, 1, 20],
			[null, 2, 5]
		]);
		expect(table.map((r) => r.wait_s_sum)).toEqual([108, 270, 15]);
		expect(entry(result, 'interval_no_time')?.count).toBe(3);
		expect(entry(result, 'interval_index_from_one')?.count).toBe(3);
	});

	it('with --interval-length 30: a relative time axis', async () => {
		const result = await importText('index.csv', text, { intervalMinutes: 30 });
		expect(result.intervals).toMatchObject({ intervalMinutes: 30, relativeTime: true });
		const table = await rows(result.table);
		expect(table.map((r) => r.start)).toEqual(['1970-01-01 00:00:00', '1970-01-01 00:30:00', '1970-01-01 01:00:00']);
		expect(entry(result, 'interval_relative_time')?.count).toBe(3);
	});
});

describe('per-call files keep their own path', () => {
	it('a call log with an answered time is not an interval report', async () => {
		const calls = [
			'call_id,arrival,answered,abandoned,queue',
			'1,2024-03-01 09:00:01,2024-03-01 09:00:11,,A',
			'2,2024-03-01 09:01:00,,2024-03-01 09:01:30,A'
		].join('\n');
		expect((await inspectFile(fromBytes('calls.csv', calls))).intervals).toBeUndefined();
	});
});

/** Tolerance of a sum read from an average written to whole seconds (clock) or hundredths. */
const tolerance = (layout: IntervalLayoutId, weight: number) => (INTERVAL_VENDORS[layout].durations === 'clock' ? 0.5 : 0.005) * weight + 1e-6;

/** What the user gives where the vendor's export does not say it (see the citations above). */
const SETTINGS: Record<IntervalLayoutId, IntervalSettings> = {
	generic: { slBase: 'offered' },
	cms: { slThreshold: SL_THRESHOLD_S },
	uccx: {},
	genesys: { slThreshold: SL_THRESHOLD_S },
	connect: { slBase: 'offered' }
};

describe('generated calls rolled into each layout import to the reference', () => {
	for (const layout of INTERVAL_LAYOUTS)
		it(`${layout}`, async () => {
			await fc.assert(
				fc.asyncProperty(
					fc.integer({ min: 0, max: 2 ** 32 - 1 }),
					fc.constantFrom(15, 30, 60),
					fc.integer({ min: 800, max: 2500 }),
					async (seed, minutes, count) => {
						const options = { rows: count, seed, start: '2024-03-04', incident: null, completeShare: 0.6, callsPerDay: count };
						const { lines } = intervalReport(options, layout, minutes);
						const expected = referenceIntervals([...generateCalls(options)], minutes, SL_THRESHOLD_S);
						const result = await importText(`${layout}.csv`, lines.join('\n') + '\n', SETTINGS[layout]);
						expect(result.intervals).toMatchObject({ kind: 'intervals', layout, intervalMinutes: minutes, relativeTime: false });
						const table = await rows(result.table);
						expect(table.map((r) => [r.start, r.queue, r.offered, r.answered, r.abandoned, r.answered_within, r.sl_threshold_s])).toEqual(
							expected.map((e) => [e.interval_start, e.queue, e.offered, e.answered, e.abandoned, e.answered_within, SL_THRESHOLD_S])
						);
						const sums = (INTERVAL_VENDORS[layout].header.map(([, f]) => f) as string[]).includes('aht')
							? (['wait_s_sum', 'handle_s_sum'] as const)
							: (['wait_s_sum', 'talk_s_sum'] as const);
						for (const [i, e] of expected.entries())
							for (const key of sums) expect(Math.abs((table[i]![key] as number) - e[key])).toBeLessThanOrEqual(tolerance(layout, e.answered));
						expect(entry(result, 'interval_sl_disagrees')).toBeUndefined();
					}
				),
				{ numRuns: 3 }
			);
		});
});

describe('bad rows', () => {
	const text = [
		'Interval Start,Queue,Offered,Answered,Abandoned,ASA',
		'2024-03-01 09:00:00,A,10,9,1,12',
		'2024-03-01 09:30:00,A,ten,9,1,12',
		'2024-03-01 10:00:00,A,8,8,0,2:99'
	].join('\n');

	it('are left out and named by line, column and value', async () => {
		const result = await importText('bad.csv', text, { intervalMinutes: 30 });
		expect(result.rows).toBe(1);
		expect(result.skipped.count).toBe(2);
		expect(result.skipped.examples).toMatchObject([
			{ problem: 'malformed', line: 3, column: 'Offered', value: 'ten' },
			{ problem: 'malformed', line: 4, column: 'ASA', value: '2:99' }
		]);
	});

	it('stop the import when asked to', async () => {
		const db = await engine();
		const inspection = await inspectFile(fromBytes('bad.csv', text));
		const error = await importFiles(
			db,
			[inspection],
			{ format: 'mapped', mapping: {}, onBadRows: 'abort', utcOffsetSeconds: 0 },
			{ table: `iv_${++counter}` }
		).catch((e: unknown) => e);
		expect((error as ImportError).detail).toMatchObject({ problem: 'malformed', line: 3, column: 'Offered' });
	});
});

describe('command line', () => {
	it('reads --sl-base, --sl-threshold and --interval-length, and refuses other values', () => {
		expect(importSettings({ 'sl-base': 'answered', 'sl-threshold': '15', 'interval-length': '30' }, ['f.csv']).intervals).toEqual({
			slBase: 'answered',
			slThreshold: 15,
			intervalMinutes: 30
		});
		expect(() => importSettings({ 'sl-base': 'calls' }, ['f.csv'])).toThrow(UsageError);
		expect(() => importSettings({ 'interval-length': '45' }, ['f.csv'])).toThrow(UsageError);
	});

	it('the generator writes the layout and the rolled-up truth beside it', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'holdline-intervals-'));
		const options = { rows: 500, seed: 7, start: '2024-03-04', incident: null, completeShare: 0.6 };
		const written = await writeIntervalFile(options, 'uccx', '60', { out: join(dir, 'uccx.csv'), truth: join(dir, 'uccx.json') });
		const truth = JSON.parse(await readFile(join(dir, 'uccx.json'), 'utf8'));
		expect(truth).toMatchObject({ synthetic: true, format: 'intervals', layout: 'uccx', interval: 60 });
		expect(truth.intervals).toHaveLength(written);
		const expected = referenceIntervals([...generateCalls(options)], 60, SL_THRESHOLD_S);
		expect(truth.intervals.map((r: { offered: number; answered_within: number }) => [r.offered, r.answered_within])).toEqual(
			expected.map((e) => [e.offered, e.answered_within])
		);
		const header = (await readFile(join(dir, 'uccx.csv'), 'utf8')).split('\n')[0];
		expect(header).toBe(INTERVAL_VENDORS.uccx.header.map(([name]) => name).join(','));
		await expect(writeIntervalFile(options, 'avaya', '30', { out: join(dir, 'x.csv') })).rejects.toThrow(/--layout/);
		await rm(dir, { recursive: true });
	});
});

describe('an interval report not recognised by its names', () => {
	it('imports with its columns mapped on the command line (--map offered=…, or --mapping FILE.json)', async () => {
		const text = ['Slot,Team,In,Got,Lost,Speed', '2024-03-01 09:00:00,A,10,9,1,0:00:10', '2024-03-01 09:30:00,A,12,12,0,0:00:05'].join('\n');
		const dir = await mkdtemp(join(tmpdir(), 'holdline-intervals-'));
		const file = join(dir, 'slots.csv');
		await writeFile(file, text);
		const settings = importSettings({ map: ['start=Slot', 'queue=Team', 'offered=In', 'answered=Got', 'abandoned=Lost', 'asa=Speed'] }, [file]);
		expect(settings.intervalMapping).toEqual({ start: 'Slot', offered: 'In', answered: 'Got', abandoned: 'Lost', asa: 'Speed' });
		const { result } = await importFromDisk(await engine(), settings, `iv_${++counter}`);
		expect(result.intervals).toMatchObject({ kind: 'intervals', intervalMinutes: 30 });
		expect(await rows(result.table)).toMatchObject([
			{ start: '2024-03-01 09:00:00', queue: 'A', offered: 10, answered: 9, abandoned: 1, wait_s_sum: 90 },
			{ start: '2024-03-01 09:30:00', queue: 'A', offered: 12, answered: 12, abandoned: 0, wait_s_sum: 60 }
		]);
		// The same mapping as a mapping file (version 2, interval fields beside the queue): the same table.
		const mappingFile = join(dir, 'slots.json');
		await writeFile(
			mappingFile,
			JSON.stringify({ version: 2, mapping: { start: 'Slot', queue: 'Team', offered: 'In', answered: 'Got', abandoned: 'Lost', asa: 'Speed' } })
		);
		const fromFile = importSettings({ mapping: mappingFile }, [file]);
		expect(fromFile.intervalMapping).toEqual(settings.intervalMapping);
		const read = await importFromDisk(await engine(), fromFile, `iv_${++counter}`);
		expect(await rows(read.result.table)).toEqual(await rows(result.table));
		const missing = importSettings({ map: ['offered=Calls'] }, [file]);
		await expect(importFromDisk(await engine(), missing, `iv_${++counter}`)).rejects.toMatchObject({ detail: { problem: 'missing_column', column: 'Calls' } });
		await rm(dir, { recursive: true });
	});
});

describe('call records with count-like flags', () => {
	it('a per-call file with answered/abandoned flags and arrival times is not an interval report', async () => {
		const calls = [
			'arrival,queue,offered,answered,abandoned,wait',
			'2024-03-01 09:00:07,A,1,1,0,12',
			'2024-03-01 09:01:43,A,1,0,1,40',
			'2024-03-01 09:02:18,B,1,1,0,3'
		].join('\n');
		expect((await inspectFile(fromBytes('flags.csv', calls))).intervals).toBeUndefined();
	});
});
