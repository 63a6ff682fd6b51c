import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { engine, fixture, importFixtures, STRICT } from './import-helpers';
import { metrics } from './cli-run';
import { ImportError, problemText } from '$lib/imports/errors';
import { inspectFile } from '$lib/imports/inspect';
import { importFiles } from '$lib/imports/pipeline';
import { fromBytes } from '$lib/imports/source';
import { splitLine } from '$lib/imports/formats';
import { cellText, formatShape, numberText } from '$lib/imports/xlsx-cells';
import { sheetRows, UnknownSheetError } from '$lib/imports/xlsx';

/** Excel's serial day number of a wall-clock time, from its definition: days since 1899-12-30. */
const serial = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => (Date.UTC(y, mo - 1, d, h, mi, s) - Date.UTC(1899, 11, 30)) / 86_400_000;
/** exceljs hands date cells over as Dates whose UTC fields are the wall-clock value. */
const wallClock = (text: string) => new Date(text.replace(' ', 'T') + 'Z');

async function workbook(build: (book: ExcelJS.Workbook) => void): Promise<Uint8Array> {
	const book = new ExcelJS.Workbook();
	build(book);
	return new Uint8Array(await book.xlsx.writeBuffer());
}

/** The fixture's header and rows, its times as date cells (what a spreadsheet holds after opening the CSV). */
function csvRows(name: string): string[][] {
	return new TextDecoder()
		.decode(fixture(name))
		.split('\n')
		.filter((l) => l.trim())
		.map((l) => splitLine(l, ','));
}
const TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
function addAsCells(sheet: ExcelJS.Worksheet, rows: string[][]) {
	for (const fields of rows) {
		const row = sheet.addRow(fields.map((f) => (TIME.test(f) ? wallClock(f) : f === '' ? null : /^\d+$/.test(f) ? Number(f) : f)));
		row.eachCell((cell) => {
			if (cell.value instanceof Date) cell.numFmt = 'yyyy-mm-dd hh:mm:ss';
		});
	}
}

async function calls(table: string) {
	const db = await engine();
	return db.query<Record<string, unknown>>({
		sql: `SELECT * EXCLUDE (source_file) FROM ${table} ORDER BY source_line`,
		params: []
	});
}

async function importError(promise: Promise<unknown>): Promise<ImportError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(ImportError);
		return error as ImportError;
	}
	throw new Error('expected the import to fail');
}

/** Runs `body` with exceljs as the browser has it: no streaming reader, the workbook loaded whole. */
async function asInBrowser<T>(body: () => Promise<T>): Promise<T> {
	const lib = ExcelJS as unknown as { stream?: unknown };
	const stream = lib.stream;
	lib.stream = undefined;
	try {
		return await body();
	} finally {
		lib.stream = stream;
	}
}

describe('workbook cells as text', () => {
	it('tells number formats apart', () => {
		expect(formatShape('yyyy-mm-dd hh:mm:ss')).toBe('datetime');
		expect(formatShape('m/d/yy h:mm')).toBe('datetime');
		expect(formatShape('yyyy"年"m"月"d"日"')).toBe('date');
		expect(formatShape('mm-dd-yy')).toBe('date');
		expect(formatShape('h:mm:ss')).toBe('time');
		expect(formatShape('h:mm AM/PM')).toBe('time');
		expect(formatShape('mm:ss')).toBe('time');
		expect(formatShape('[h]:mm:ss')).toBe('elapsed');
		expect(formatShape('[mm]:ss')).toBe('elapsed');
		expect(formatShape('[$-409]h:mm:ss')).toBe('time');
		expect(formatShape('#,##0.00')).toBe('number');
		expect(formatShape('General')).toBe('number');
		expect(formatShape(undefined)).toBe('number');
	});

	it('writes dates, times, durations, numbers and the rest as a CSV export would', () => {
		const at = serial(2024, 3, 4, 14, 20, 5);
		expect(cellText({ value: wallClock('2024-03-04 14:20:05'), numFmt: 'yyyy-mm-dd hh:mm' })).toBe('2024-03-04 14:20:05');
		// A serial with a date format that came out as a number (a formula's result) is the same time.
		expect(cellText({ value: at, numFmt: 'yyyy-mm-dd hh:mm:ss' })).toBe('2024-03-04 14:20:05');
		expect(cellText({ value: serial(2024, 3, 4), numFmt: 'yyyy-mm-dd' })).toBe('2024-03-04');
		// A date format hiding a time of day does not lose it.
		expect(cellText({ value: at, numFmt: 'yyyy-mm-dd' })).toBe('2024-03-04 14:20:05');
		expect(cellText({ value: wallClock('1899-12-30 09:05:00'), numFmt: 'yyyy-mm-dd hh:mm:ss' })).toBe('9:05:00');
		expect(cellText({ value: (9 * 3600 + 5 * 60) / 86_400, numFmt: 'h:mm:ss' })).toBe('9:05:00');
		expect(cellText({ value: at, numFmt: 'hh:mm:ss' })).toBe('14:20:05');
		expect(cellText({ value: (26 * 3600 + 5) / 86_400, numFmt: '[h]:mm:ss' })).toBe('26:00:05');
		expect(cellText({ value: wallClock('1899-12-31 02:00:05'), numFmt: '[h]:mm:ss' })).toBe('26:00:05');
		expect(cellText({ value: 109.00000000000001 })).toBe('109');
		expect(cellText({ value: 0.1 + 0.2 })).toBe('0.3');
		expect(cellText({ value: 1709514000.1 })).toBe('1709514000.1');
		expect(cellText({ value: 13800000001 })).toBe('13800000001');
		expect(numberText(-0.5)).toBe('-0.5');
		expect(cellText({ value: true })).toBe('TRUE');
		expect(cellText({ value: false })).toBe('FALSE');
		expect(cellText({ value: { richText: [{ text: '座席' }, { text: '一部' }] } })).toBe('座席一部');
		expect(cellText({ value: { formula: 'A1*2', result: 42 } })).toBe('42');
		expect(cellText({ value: { formula: 'A1+1', result: at }, numFmt: 'yyyy-mm-dd hh:mm:ss' })).toBe('2024-03-04 14:20:05');
		expect(cellText({ value: { error: '#N/A' } })).toBe('');
		expect(cellText({ value: { formula: 'NA()', result: { error: '#N/A' } } })).toBe('');
		expect(cellText({ value: null })).toBe('');
	});
});

describe('Excel workbooks', () => {
	it('a plain per-call table imports to the same calls as its CSV, on the same lines', async () => {
		const source = csvRows('mapped-utf8.csv');
		const bytes = await workbook((book) => addAsCells(book.addWorksheet('通话'), source));
		const inspection = await inspectFile(fromBytes('calls.xlsx', bytes));
		expect(inspection.kind).toBe('xlsx');
		expect(inspection.format).toBe('mapped');
		expect(inspection.layout.columns).toEqual(source[0]);
		expect(inspection.preview[0]).toEqual(source[1]);
		expect(inspection.suggested).toEqual((await inspectFile(fromBytes('calls.csv', fixture('mapped-utf8.csv')))).suggested);

		const fromCsv = await calls((await importFixtures(['mapped-utf8.csv'], STRICT)).table);
		const fromXlsx = await calls((await importFixtures([['mapped-utf8.csv', bytes]], STRICT)).table);
		expect(fromXlsx).toHaveLength(7);
		expect(fromXlsx).toEqual(fromCsv);
	});

	it('the loaded workbook (the browser, which cannot stream) reads the same as the streamed one', async () => {
		const bytes = await workbook((book) => addAsCells(book.addWorksheet('calls'), csvRows('mapped-utf8.csv')));
		const streamed = await calls((await importFixtures([['a.xlsx', bytes]], STRICT)).table);
		const loaded = await asInBrowser(async () => {
			const inspection = await inspectFile(fromBytes('a.xlsx', bytes));
			expect(inspection.sheet?.loaded).toBeDefined();
			const result = await importFiles(
				await engine(),
				[inspection],
				{ format: inspection.format, mapping: inspection.suggested, onBadRows: 'abort', utcOffsetSeconds: 0 },
				{ table: 't_xlsx_loaded' }
			);
			return calls(result.table);
		});
		expect(loaded).toEqual(streamed);
	});

	it('finds the header below a report’s title rows; lines are the sheet’s rows', async () => {
		const source = csvRows('mapped-utf8.csv');
		const bytes = await workbook((book) => {
			const sheet = book.addWorksheet('报表');
			sheet.addRow(['呼叫明细报表']);
			sheet.mergeCells('A1:G1');
			sheet.addRow([]);
			sheet.addRow(['生成时间：', wallClock('2024-03-05 08:00:00')]).getCell(2).numFmt = 'yyyy-mm-dd hh:mm';
			addAsCells(sheet, source);
		});
		const inspection = await inspectFile(fromBytes('report.xlsx', bytes));
		expect(inspection.layout.columns).toEqual(source[0]);
		expect(inspection.sheet).toMatchObject({ name: '报表', firstLine: 5, rows: 7 });
		expect(inspection.preview[0]).toEqual(source[1]);
		const r = await calls((await importFixtures([['report.xlsx', bytes]], STRICT)).table);
		// The header is row 4, so call M1 is on row 5 (line 2 of the CSV).
		expect(r.map((x) => [x.call_id, x.source_line])).toEqual(source.slice(1).map((f, i) => [f[0], i + 5]));
	});

	it('a bad cell is reported on its sheet row, blank rows between records counted', async () => {
		const source = csvRows('mapped-utf8.csv');
		source[3]![3] = 'not a time'; // M3's arrival
		const bytes = await workbook((book) => {
			const sheet = book.addWorksheet('calls');
			sheet.addRow(['Calls of 4 March']);
			addAsCells(sheet, source.slice(0, 3)); // rows 2–4
			sheet.addRow([]); // row 5
			addAsCells(sheet, source.slice(3)); // M3 on row 6
		});
		const error = await importError(importFixtures([['bad.xlsx', bytes]], STRICT));
		expect(error.detail).toMatchObject({ problem: 'time', file: 'bad.xlsx', line: 6, column: '来电时间', value: 'not a time' });
		const skipped = await importFixtures([['bad.xlsx', bytes]]);
		expect(skipped.rows).toBe(6);
		expect(skipped.skipped.examples[0]).toMatchObject({ problem: 'time', line: 6 });
		expect((await calls(skipped.table)).map((x) => x.source_line)).toEqual([3, 4, 7, 8, 9, 10]);
	});

	it('a value right of the header’s last column leaves its row out, reported on its row', async () => {
		const source = csvRows('mapped-utf8.csv');
		const bytes = await workbook((book) => {
			const sheet = book.addWorksheet('calls');
			addAsCells(sheet, source);
			sheet.getRow(3).getCell(9).value = 'note';
		});
		const result = await importFixtures([['wide.xlsx', bytes]]);
		expect(result.rows).toBe(6);
		expect(result.skipped.examples[0]).toMatchObject({
			problem: 'malformed',
			line: 3,
			value: 'note',
			hint: { key: 'hint.xlsx_beyond_header', values: { column: 'I' } }
		});
	});

	it('dates, times of day, [h]:mm:ss durations and floats come out as text without loss', async () => {
		const bytes = await workbook((book) => {
			const sheet = book.addWorksheet('calls');
			sheet.addRow(['id', 'day', 'time', 'arrival', 'wait', 'talk', 'vip']);
			const row = sheet.addRow([
				'C1',
				wallClock('2024-03-04 00:00:00'),
				(9 * 3600 + 5 * 60 + 7) / 86_400,
				{ formula: 'B2+C2', result: serial(2024, 3, 4, 9, 5, 7) },
				(26 * 3600 + 1) / 86_400,
				109.00000000000001,
				true
			]);
			row.getCell(2).numFmt = 'yyyy/m/d';
			row.getCell(3).numFmt = 'hh:mm:ss';
			row.getCell(4).numFmt = 'yyyy-mm-dd hh:mm:ss';
			row.getCell(5).numFmt = '[h]:mm:ss';
		});
		const inspection = await inspectFile(fromBytes('cells.xlsx', bytes));
		const expected = ['C1', '2024-03-04', '9:05:07', '2024-03-04 09:05:07', '26:00:01', '109', 'TRUE'];
		expect(inspection.preview).toEqual([expected]);
		const loaded = await asInBrowser(() => inspectFile(fromBytes('cells.xlsx', bytes)));
		expect(loaded.preview).toEqual([expected]);
	});

	it('reads the sheet with the most rows, or the one named', async () => {
		const source = csvRows('mapped-utf8.csv');
		const bytes = await workbook((book) => {
			addAsCells(book.addWorksheet('notes'), [['about'], ['written by hand']]);
			addAsCells(book.addWorksheet('calls'), source);
			addAsCells(book.addWorksheet('march'), source.slice(0, 3));
		});
		const file = fromBytes('two.xlsx', bytes);
		const larger = await inspectFile(file);
		expect(larger.sheet).toMatchObject({ name: 'calls', names: ['notes', 'calls', 'march'], rows: 7 });
		const named = await inspectFile(file, 'auto', { sheet: 'march' });
		expect(named.sheet).toMatchObject({ name: 'march', rows: 2 });
		const result = await importFiles(
			await engine(),
			[named],
			{ format: named.format, mapping: named.suggested, onBadRows: 'abort', utcOffsetSeconds: 0 },
			{ table: 't_xlsx_named' }
		);
		expect((await calls(result.table)).map((x) => x.call_id)).toEqual(['M1', 'M2']);
		const unknown = await inspectFile(file, 'auto', { sheet: 'april' }).catch((e: unknown) => e);
		expect(unknown).toBeInstanceOf(UnknownSheetError);
		expect((unknown as UnknownSheetError).names).toEqual(['notes', 'calls', 'march']);
	});

	it('a workbook holding an Asterisk CDR (no header) is recognised and read like the CSV', async () => {
		const source = csvRows('Master.csv');
		const bytes = await workbook((book) => addAsCells(book.addWorksheet('Master'), source));
		const inspection = await inspectFile(fromBytes('Master.xlsx', bytes));
		expect(inspection.format).toBe('asterisk-cdr');
		expect(inspection.layout.header).toBe(false);
		expect(inspection.sheet?.firstLine).toBe(1);
		const fromCsv = await calls((await importFixtures(['Master.csv'], STRICT)).table);
		const fromXlsx = await calls((await importFixtures([['Master.csv', bytes]], STRICT)).table);
		expect(fromXlsx.length).toBeGreaterThan(0);
		expect(fromXlsx).toEqual(fromCsv);
	});

	it('cancel stops the import without leaving a table, and stops reading a sheet', async () => {
		const source = csvRows('mapped-utf8.csv');
		const bytes = await workbook((book) => addAsCells(book.addWorksheet('calls'), source));
		const inspection = await inspectFile(fromBytes('c.xlsx', bytes));
		const controller = new AbortController();
		const seen: number[] = [];
		const cancelled = importFiles(
			await engine(),
			[inspection],
			{ format: inspection.format, mapping: inspection.suggested, onBadRows: 'abort', utcOffsetSeconds: 0 },
			{
				table: 't_xlsx_cancelled',
				signal: controller.signal,
				onProgress: (p) => {
					seen.push(p.bytesRead);
					controller.abort();
				}
			}
		);
		expect((await importError(cancelled)).detail.problem).toBe('cancelled');
		expect(seen.length).toBeGreaterThan(0);
		const db = await engine();
		expect(await db.query({ sql: `SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 't_xlsx_cancelled%'`, params: [] })).toEqual([]);

		// A long sheet: reading stops within its next thousand rows.
		const long = await workbook((book) => {
			const sheet = book.addWorksheet('calls');
			sheet.addRow(['id', 'arrival']);
			for (let i = 0; i < 5000; i++) sheet.addRow([`C${i}`, `2024-03-04 09:00:00`]);
		});
		const longInspection = await inspectFile(fromBytes('long.xlsx', long));
		const stop = new AbortController();
		let read = 0;
		const reading = (async () => {
			for await (const row of sheetRows(longInspection.file, longInspection.sheet!, { signal: stop.signal, progress: () => {} })) {
				read++;
				if (row.line === 100) stop.abort();
			}
		})();
		expect((await importError(reading)).detail.problem).toBe('cancelled');
		expect(read).toBeLessThan(1100);
	});

	it('an old .xls, a damaged workbook and an empty one are said plainly', async () => {
		const xls = new Uint8Array(4096);
		xls.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
		const old = await importError(inspectFile(fromBytes('calls.xls', xls)));
		expect(old.detail).toMatchObject({ problem: 'not_text', fileKind: 'xls' });
		expect(problemText(old.detail, 'en').what).toContain('.xlsx');
		expect(problemText(old.detail, 'zh-CN').what).toContain('.xlsx');

		const good = await workbook((book) => addAsCells(book.addWorksheet('calls'), csvRows('mapped-utf8.csv')));
		const damaged = good.slice(0, Math.floor(good.byteLength * 0.6));
		const broken = await importError(inspectFile(fromBytes('broken.xlsx', damaged)));
		expect(broken.detail).toMatchObject({ problem: 'unreadable', hint: { key: 'hint.xlsx_damaged' } });
		const scrambled = good.slice();
		for (let i = 200; i < scrambled.byteLength - 200; i += 7) scrambled[i] = scrambled[i]! ^ 0x5a;
		expect((await importError(inspectFile(fromBytes('scrambled.xlsx', scrambled)))).detail.problem).toBe('unreadable');

		const empty = await workbook((book) => {
			book.addWorksheet('one');
			book.addWorksheet('two');
		});
		expect((await importError(inspectFile(fromBytes('empty.xlsx', empty)))).detail.problem).toBe('empty');
	});
});

describe('npm run metrics on a workbook', () => {
	const cli = metrics;

	it('prints the same metrics as for its CSV; --sheet names the sheet, an unknown one lists them', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'holdline-xlsx-'));
		try {
			const file = join(dir, 'calls.xlsx');
			writeFileSync(
				file,
				await workbook((book) => {
					addAsCells(book.addWorksheet('small'), csvRows('mapped-utf8.csv').slice(0, 3));
					addAsCells(book.addWorksheet('all'), csvRows('mapped-utf8.csv'));
				})
			);
			const csv = JSON.parse((await cli('tests/fixtures/imports/mapped-utf8.csv', '--utc-offset', '8', '--json')).stdout);
			const xlsx = JSON.parse((await cli(file, '--utc-offset', '8', '--json')).stdout);
			expect(xlsx.summary).toEqual(csv.summary);
			const small = JSON.parse((await cli(file, '--sheet', 'small', '--utc-offset', '8', '--json')).stdout);
			expect(small.summary.volume).toBe(2);
			const failure = await cli(file, '--sheet', 'April').then(
				() => null,
				(error: { code: number; stderr: string }) => error
			);
			expect(failure?.code).toBe(2);
			expect(failure?.stderr).toContain('"small", "all"');
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}, 60_000);
});
