import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engine, importFixtures } from './import-helpers';
import { metrics, report as reportRun } from './cli-run';
import { localViews } from '$lib/query/named-views';
import { computeReport } from '$lib/report/model';
import { reportWorkbook } from '$lib/report/xlsx';
import { reportTables } from '$lib/report/tables';
import { toCsv } from '$lib/export/csv';
import { callbackCsvColumns } from '$lib/export/caller-columns';
import { translator } from '$lib/i18n/messages';
import { viewSettings } from '$lib/metrics/views/spec';
import { DEFAULT_SETTINGS } from '$lib/metrics/service';
import { EMPTY_FILTER } from '$lib/filters/filter';
import type { ReportSpec } from '$lib/report/spec';

// A caller's full number leaves holdline only when asked: every export is checked both ways.
const FULL = ['13812345678', '13900001111'];
const MASKED = ['138****5678', '139****1111'];
/** Two callers who gave up; the first called again 30 minutes later and got through. */
const QUEUE_LOG = [
	'1709542800|c1|sales|NONE|ENTERQUEUE||13812345678|1',
	'1709542860|c1|sales|NONE|ABANDON|1|1|60',
	'1709544600|c2|sales|NONE|ENTERQUEUE||13812345678|1',
	'1709544610|c2|sales|Agent/1|CONNECT|10|c2-1|5',
	'1709544700|c2|sales|Agent/1|COMPLETECALLER|10|90|1',
	'1709546400|c3|support|NONE|ENTERQUEUE||13900001111|1',
	'1709546500|c3|support|NONE|ABANDON|1|1|100',
	''
].join('\n');

const SLOW = 600_000;
let dir: string;
let file: string;
let table: string;
const spec = (unmask: boolean): ReportSpec => ({
	from: '2024-03-04',
	to: '2024-03-04',
	queues: [],
	by: 'day',
	settings: DEFAULT_SETTINGS,
	goal: 0.8,
	onset: null,
	end: null,
	...(unmask ? { unmask: true } : {})
});
/** Whether the numbers are in full (unmasked) or masked in `text`: by default both callers; the report lists the unresolved one only. */
const expectMasked = (text: string, unmasked: boolean, what: string, numbers = [0, 1]) => {
	for (const i of numbers) {
		expect(text.includes(FULL[i]!), `${what}: ${FULL[i]}`).toBe(unmasked);
		expect(text.includes(MASKED[i]!), `${what}: ${MASKED[i]}`).toBe(!unmasked);
	}
	// The one who got through is not in the report at all.
	if (numbers.length === 1) expect(text.includes(FULL[0]!) || text.includes(MASKED[0]!), `${what}: the resolved caller`).toBe(false);
};

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'holdline-callers-'));
	file = join(dir, 'queue_log');
	writeFileSync(file, QUEUE_LOG);
	table = (await importFixtures([['queue_log', QUEUE_LOG]], { utcOffsetSeconds: 0 })).table;
}, SLOW);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every cell of every sheet, as text. */
async function workbookText(bytes: Uint8Array): Promise<string> {
	const book = new ExcelJS.Workbook();
	await book.xlsx.load(bytes as unknown as ArrayBuffer);
	const cells: string[] = [];
	book.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.text)))));
	return cells.join('\n');
}

const ask = async () => {
	const db = await engine();
	return localViews((query) => db.query(query), table);
};

describe('callers’ numbers in exports', () => {
	it(
		'the page’s CSV of the call-back list',
		async () => {
			const views = await ask();
			for (const unmask of [false, true]) {
				const rows = await views({ dataset: table, view: 'callbacks', filter: EMPTY_FILTER, settings: { ...viewSettings(DEFAULT_SETTINGS), unmask } });
				expect(rows.map((r) => [r.caller, r.resolved])).toEqual(
					unmask
						? [
								['13900001111', 0],
								['13812345678', 1]
							]
						: [
								['139****1111', 0],
								['138****5678', 1]
							]
				);
				expectMasked(toCsv(rows, callbackCsvColumns(translator('en'))), unmask, `CSV${unmask ? ' unmasked' : ''}`);
			}
		},
		SLOW
	);

	it(
		'the report (its tables, as the page and the JSON show them) and its workbook',
		async () => {
			const source = { name: 'q', files: ['queue_log'], format: 'queue_log', rows: 3, from: '2024-03-04 09:00:00', to: '2024-03-04 10:15:00' };
			for (const unmask of [false, true]) {
				const data = await computeReport(await ask(), table, spec(unmask), source, null);
				const section = data.extra.find((s) => s.id === 'callbacks')!;
				// Unresolved only: the caller who got through is not listed.
				expect(section.rows.map((r) => r.caller)).toEqual([unmask ? '13900001111' : '139****1111']);
				expectMasked(JSON.stringify(data), unmask, `report data${unmask ? ' unmasked' : ''}`, [1]);
				expectMasked(JSON.stringify(reportTables(data, 'zh-CN')), unmask, `report tables${unmask ? ' unmasked' : ''}`, [1]);
				expectMasked(await workbookText(await reportWorkbook(data, 'en')), unmask, `xlsx${unmask ? ' unmasked' : ''}`, [1]);
			}
		},
		SLOW
	);

	it(
		'the command line: metrics --callbacks (text and JSON) and report --out report.json, masked unless --unmask',
		async () => {
			const report = (unmask: boolean) => join(dir, `report-${unmask}.json`);
			const period = ['--from', '2024-03-04', '--to', '2024-03-04', '--out'];
			// Both commands in this process (cli-run.ts), taking turns with the file's one engine.
			const inProcess = async (...args: string[]) => (await metrics(file, '--utc-offset', '0', ...args)).stdout;
			const reported = async (...args: string[]) => (await reportRun(file, '--utc-offset', '0', ...args)).stdout;
			const [maskedJson, wholeText] = await Promise.all([
				inProcess('--callbacks', '--json'),
				inProcess('--callbacks', '--unmask'),
				reported(...period, report(false)),
				reported(...period, report(true), '--unmask')
			]);
			const json = JSON.parse(maskedJson);
			expect(json.repeat_callers).toMatchObject({ calls: 3, with_number: 3, repeated_24h: 1, repeated_7d: 1 });
			expectMasked(JSON.stringify(json), false, 'metrics JSON');
			expectMasked(wholeText, true, 'metrics text, --unmask');
			expectMasked(readFileSync(report(false), 'utf8'), false, 'report JSON', [1]);
			expectMasked(readFileSync(report(true), 'utf8'), true, 'report JSON, --unmask', [1]);
		},
		SLOW
	);
});
