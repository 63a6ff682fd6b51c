import ExcelJS from 'exceljs';
import { Writable } from 'node:stream';
import { clock, generateCalls, type GeneratorOptions } from './generate';
import { isoDate, LAYOUTS, layoutRows, SHEET_LAYOUTS, type SheetCallTruth, type SheetCell, type SheetLayoutId } from './sheet-layouts';

/**
 * The generated calls written in one of the spreadsheet layouts (`sheet-layouts.ts`), as CSV
 * text or as an XLSX workbook with real Excel cell types, with the per-call truth the import
 * should agree with. The same options give the same calls in every layout.
 */
export type SheetOutput = 'csv' | 'xlsx';

export interface SheetOptions {
	/** Two title rows above the header ('Call Center Report', 'Generated …'), as a report export has. */
	titles?: boolean;
	/** The file's name: rows without an id are named `name:line`, as the importer names them. */
	fileName?: string;
	/** Workbooks of more rows than this are streamed out (default `STREAMED_XLSX_ROWS`). */
	streamAbove?: number;
}

export interface SheetTruth {
	layout: SheetLayoutId;
	/** The header's line (CSV) or row (worksheet), 1-based. */
	headerLine: number;
	/** Data rows written. */
	records: number;
	calls: SheetCallTruth[];
}

/** Above this many rows a workbook is streamed out rather than built in memory. */
export const STREAMED_XLSX_ROWS = 100_000;

export const isSheetLayout = (name: string): name is SheetLayoutId => (SHEET_LAYOUTS as readonly string[]).includes(name);

export const defaultSheetName = (layout: SheetLayoutId, output: SheetOutput) => `synthetic-${layout}.${output}`;

/** The day after the last generated day (the generator fills 20,000 calls a day): when the report was made. */
function generatedOn(options: GeneratorOptions): string {
	const days = Math.ceil(options.rows / 20_000);
	return isoDate(Date.parse(`${options.start}T00:00:00Z`) / 1000 + days * 86_400);
}

/** Every row of the sheet as cells: titles, header, then the calls (truth filled as they are written). */
function* sheetRows(options: GeneratorOptions, layoutId: SheetLayoutId, sheet: SheetOptions, truth: SheetTruth): Generator<SheetCell[]> {
	if (options.dirt) throw new Error('dirt is written into the csv and master.csv formats, not the spreadsheet layouts');
	const layout = LAYOUTS[layoutId];
	const label = (s: string): SheetCell => ({ text: s, value: s });
	let line = 0;
	if (sheet.titles) {
		for (const title of layout.titles(generatedOn(options))) {
			line++;
			yield [label(title)];
		}
	}
	yield layout.header.map(label);
	truth.headerLine = ++line;
	const fileName = sheet.fileName ?? 'calls';
	for (const { call, row } of layoutRows(generateCalls(options), layout, options.seed)) {
		line++;
		truth.records++;
		truth.calls.push({ ...row.truth, call_id: row.truth.call_id ?? `${fileName}:${line}`, arrival: clock(call.arrival), line });
		yield row.cells;
	}
}

export const emptySheetTruth = (layout: SheetLayoutId): SheetTruth => ({ layout, headerLine: 0, records: 0, calls: [] });

const csvField = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * The CSV's lines, each with its line end. Title rows are padded with commas to the header's
 * width, as a spreadsheet saves them.
 */
export function* sheetCsvLines(options: GeneratorOptions, layout: SheetLayoutId, sheet: SheetOptions, truth: SheetTruth): Generator<string> {
	const width = LAYOUTS[layout].header.length;
	for (const cells of sheetRows(options, layout, sheet, truth)) {
		const fields = cells.map((c) => csvField(c.text));
		while (fields.length < width) fields.push('');
		yield fields.join(',') + '\n';
	}
}

/** Writes the workbook to `out` (streamed when large) and ends it. */
export async function writeSheetXlsx(options: GeneratorOptions, layoutId: SheetLayoutId, sheet: SheetOptions, truth: SheetTruth, out: Writable): Promise<void> {
	const layout = LAYOUTS[layoutId];
	const streamed = options.rows > (sheet.streamAbove ?? STREAMED_XLSX_ROWS);
	const workbook = streamed ? new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false }) : new ExcelJS.Workbook();
	// A fixed creation time: the same seed gives the same workbook contents.
	const made = new Date(`${generatedOn(options)}T00:00:00Z`);
	workbook.creator = 'holdline (synthetic)';
	workbook.created = made;
	workbook.modified = made;
	const worksheet = workbook.addWorksheet(layout.sheetName);
	worksheet.columns = layout.header.map((h) => ({ width: Math.max(12, h.length + 2) }));
	for (const cells of sheetRows(options, layoutId, sheet, truth)) {
		const row = worksheet.addRow(cells.map((c) => c.value));
		cells.forEach((c, i) => {
			if (c.numFmt && c.value !== null) row.getCell(i + 1).numFmt = c.numFmt;
		});
		if (streamed) row.commit();
	}
	if (workbook instanceof ExcelJS.stream.xlsx.WorkbookWriter) {
		worksheet.commit();
		await workbook.commit();
	} else {
		const bytes = await workbook.xlsx.writeBuffer();
		await new Promise<void>((resolve, reject) => out.end(Buffer.from(bytes), () => resolve()).once('error', reject));
	}
}

export interface SheetCsv {
	text: string;
	truth: SheetTruth;
}
export interface SheetXlsx {
	bytes: Uint8Array;
	truth: SheetTruth;
}

/** The whole sheet in memory with its truth (tests, small runs): CSV text at once, a workbook's bytes when written. */
export function generateSheet(options: GeneratorOptions, layout: SheetLayoutId, output: 'csv', sheet?: SheetOptions): SheetCsv;
export function generateSheet(options: GeneratorOptions, layout: SheetLayoutId, output: 'xlsx', sheet?: SheetOptions): Promise<SheetXlsx>;
export function generateSheet(options: GeneratorOptions, layout: SheetLayoutId, output: SheetOutput, sheet: SheetOptions = {}): SheetCsv | Promise<SheetXlsx> {
	if (!isSheetLayout(layout)) throw new Error(`unknown layout ${layout} (layouts: ${SHEET_LAYOUTS.join(', ')})`);
	const named = { ...sheet, fileName: sheet.fileName ?? defaultSheetName(layout, output) };
	const truth = emptySheetTruth(layout);
	if (output === 'csv') return { text: [...sheetCsvLines(options, layout, named, truth)].join(''), truth };
	const chunks: Buffer[] = [];
	const sink = new Writable({
		write(chunk: Buffer, _encoding, done) {
			chunks.push(chunk);
			done();
		}
	});
	return writeSheetXlsx(options, layout, named, truth, sink).then(() => ({ bytes: new Uint8Array(Buffer.concat(chunks)), truth }));
}
