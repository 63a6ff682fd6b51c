import ExcelJS from 'exceljs';
import { ImportError, type ImportErrorDetail } from './errors';
import { dedupe, detectFormat, layoutFor, type CsvLayout, type FormatId } from './formats';
import type { SourceFile } from './source';
import { cellText, isWords } from './xlsx-cells';

/**
 * Excel workbooks (.xlsx) read as rows of text, which the import then stages like a CSV.
 * On the command line (Node) the sheet is streamed (exceljs's streaming reader, fed from the
 * file's bytes), so a sheet of a million rows is never held whole; exceljs's browser build has
 * no streaming reader, so the page loads the workbook once and keeps it for the import.
 */

/** A non-blank row of a sheet: its cells as text, and what the header search needs. */
export interface SheetRow {
	/** The sheet's own row number (Excel's row 1 is line 1), which errors and the quality report name. */
	line: number;
	cells: string[];
	/** Non-empty cells. */
	filled: number;
	/** Of those, cells holding words (not numbers, dates, times or flags). */
	words: number;
}

/** A sheet as the inspection saw it. */
export interface SheetHead {
	name: string;
	/** Non-blank rows. */
	rows: number;
	/** The first `HEAD_ROWS` of them. */
	head: SheetRow[];
}

/** The sheet an import reads, and where its records start. */
export interface SheetChoice {
	name: string;
	/** Every sheet of the workbook, in order. */
	names: string[];
	/** The first line holding a record; rows above it are titles and the header. */
	firstLine: number;
	/** Non-blank rows of the sheet from `firstLine` on. */
	rows: number;
	/** The loaded workbook (browser), kept so the import does not read and parse it again. */
	loaded?: ExcelJS.Workbook;
}

/** Rows read per sheet to find the header and show the preview. */
export const HEAD_ROWS = 60;
/** The header is looked for among a sheet's first rows… */
export const HEADER_SEARCH_ROWS = 30;
/** …and must be as wide as the widest of the rows just below it. */
const HEADER_LOOKAHEAD = 5;

/** `--sheet` named a sheet the workbook does not have. */
export class UnknownSheetError extends Error {
	constructor(
		readonly sheet: string,
		readonly names: string[]
	) {
		super(`no sheet named ${JSON.stringify(sheet)}; the sheets are ${names.map((n) => JSON.stringify(n)).join(', ')}`);
		this.name = 'UnknownSheetError';
	}
}

/**
 * The header row, as an index into `head` (blank rows are not in it): among the first
 * `HEADER_SEARCH_ROWS` rows, the first whose non-empty cells are mostly words (more than
 * half) and which has at least as many non-empty cells as the typical (median) row of the
 * next `HEADER_LOOKAHEAD`. Title lines above a report's table ("Calls, week 12",
 * "generated on …") hold one or two cells, narrower than the header under them, so they are
 * passed over; data rows are mostly numbers and times. The median, not the widest, so that
 * one row with a stray note to the right does not hide the header. -1 when no row qualifies
 * (the first row is then read as the header or as data, as for a CSV).
 */
export function findHeader(head: SheetRow[]): number {
	for (let i = 0; i < Math.min(head.length, HEADER_SEARCH_ROWS); i++) {
		const row = head[i]!;
		if (row.words * 2 <= row.filled) continue;
		const next = head
			.slice(i + 1, i + 1 + HEADER_LOOKAHEAD)
			.map((r) => r.filled)
			.sort((a, b) => a - b);
		const typical = next.length ? next[Math.floor(next.length / 2)]! : 0;
		if (row.filled >= typical) return i;
	}
	return -1;
}

/** The sheet to import: the one named, else the one with the most rows (the first of equals). */
export function chooseSheet(sheets: SheetHead[], name?: string): SheetHead | undefined {
	if (name !== undefined) {
		const named = sheets.find((s) => s.name === name);
		if (!named)
			throw new UnknownSheetError(
				name,
				sheets.map((s) => s.name)
			);
		return named;
	}
	return sheets.reduce<SheetHead | undefined>((best, s) => (!best || s.rows > best.rows ? s : best), undefined);
}

/** Every sheet's name, row count and first rows. */
export async function readSheetHeads(file: SourceFile): Promise<{ sheets: SheetHead[]; loaded?: ExcelJS.Workbook }> {
	return readingWorkbook(file.name, async () => {
		const loaded = streamingReader() ? undefined : await loadWorkbook(file);
		const sheets: SheetHead[] = [];
		for await (const sheet of loaded ? loadedSheets(loaded) : streamedSheets(file)) {
			const head: SheetRow[] = [];
			let rows = 0;
			for await (const row of sheet.rows) {
				if (head.length < HEAD_ROWS) head.push(row);
				rows++;
			}
			sheets.push({ name: sheet.name, rows, head });
		}
		return { sheets, loaded };
	});
}

export interface SheetReadHooks {
	signal?: AbortSignal;
	/** Bytes of the file read so far. */
	progress: (bytesRead: number) => void;
}

/** The rows of one sheet from `choice.firstLine` on, blank rows left out. */
export async function* sheetRows(file: SourceFile, choice: SheetChoice, { signal, progress }: SheetReadHooks): AsyncGenerator<SheetRow> {
	const cancelled = () => {
		if (signal?.aborted) throw new ImportError({ problem: 'cancelled' });
	};
	const sheets = choice.loaded ? loadedSheets(choice.loaded) : streamedSheets(file, progress);
	try {
		for (;;) {
			const next = await readingWorkbook(file.name, () => sheets.next());
			if (next.done) return;
			if (next.value.name !== choice.name) continue;
			let seen = 0;
			const rows = next.value.rows;
			for (;;) {
				const row = await readingWorkbook(file.name, () => rows.next());
				if (row.done) return;
				if (++seen % 1000 === 0) cancelled();
				if (choice.loaded && seen % 1000 === 0) progress(Math.round((file.size * seen) / Math.max(1, choice.rows)));
				if (row.value.line >= choice.firstLine) yield row.value;
			}
		}
	} finally {
		await sheets.return(undefined).catch(() => {});
	}
}

/** Whether this build of exceljs can stream (Node), not the browser's. */
function streamingReader(): (new (input: unknown, options: object) => AsyncIterable<StreamedSheet>) | undefined {
	return (ExcelJS as unknown as { stream?: { xlsx?: { WorkbookReader?: never } } }).stream?.xlsx?.WorkbookReader;
}

interface StreamedSheet extends AsyncIterable<ExcelJS.Row> {
	name: string;
}

interface Sheet {
	name: string;
	rows: AsyncGenerator<SheetRow>;
}

async function loadWorkbook(file: SourceFile): Promise<ExcelJS.Workbook> {
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load((await file.bytes()) as unknown as ArrayBuffer);
	return workbook;
}

async function* loadedSheets(workbook: ExcelJS.Workbook): AsyncGenerator<Sheet> {
	const date1904 = !!workbook.properties?.date1904;
	for (const worksheet of workbook.worksheets) {
		async function* rows(): AsyncGenerator<SheetRow> {
			for (let n = 1; n <= worksheet.rowCount; n++) {
				const row = worksheet.findRow(n);
				const read = row && rowText(row, date1904);
				if (read) yield read;
			}
		}
		yield { name: worksheet.name, rows: rows() };
	}
}

/**
 * The sheets as exceljs's streaming reader meets them, fed from `file.stream()` through an
 * object that pipes like a Node stream (all the reader asks of its input), so nothing here
 * needs Node's own modules.
 */
async function* streamedSheets(file: SourceFile, progress?: (bytesRead: number) => void): AsyncGenerator<Sheet> {
	const Reader = streamingReader()!;
	const source = file.stream().getReader();
	let stopped = false;
	let bytesRead = 0;
	// The reader waits for ever on a file cut short inside a part: every wait is raced
	// against the end of the file, checked for the record a whole ZIP ends with.
	let damaged!: (error: Error) => void;
	const failure = new Promise<never>((_, reject) => (damaged = reject));
	failure.catch(() => {});
	const settled = <T>(promise: Promise<T>) => Promise.race([promise, failure]);
	const input = {
		pipe(destination: NodeWritable) {
			void (async () => {
				const tail = new ZipTail();
				try {
					for (;;) {
						const { done, value } = await source.read();
						if (done || stopped) break;
						bytesRead += value.byteLength;
						tail.add(value);
						progress?.(bytesRead);
						if (!destination.write(value)) await new Promise<void>((resolve) => destination.once('drain', resolve));
					}
					if (!stopped && !tail.complete()) damaged(new Error('the file ends before its last part'));
					destination.end();
				} catch (error) {
					const reason = error instanceof Error ? error : new Error(String(error));
					damaged(reason);
					destination.destroy(reason);
				}
			})();
			return destination;
		}
	};
	const reader = new Reader(input, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
	// The reader takes Node streams and paths only; this input pipes like one.
	(reader as { _getStream?: (i: unknown) => unknown })._getStream = (i) => i;
	decodeWhole(reader);
	const book = reader as { properties?: { model?: { date1904?: boolean } } };
	const sheets = reader[Symbol.asyncIterator]();
	try {
		for (;;) {
			const next = await settled(sheets.next());
			if (next.done) return;
			const worksheet = next.value;
			const date1904 = !!book.properties?.model?.date1904;
			const cells = worksheet[Symbol.asyncIterator]();
			async function* rows(): AsyncGenerator<SheetRow> {
				for (;;) {
					const row = await settled(cells.next());
					if (row.done) return;
					const read = rowText(row.value, date1904);
					if (read) yield read;
				}
			}
			yield { name: worksheet.name, rows: rows() };
		}
	} finally {
		stopped = true;
		await source.cancel().catch(() => {});
	}
}

/** The last bytes of a ZIP, where its end-of-central-directory record (PK 5 6) must be. */
class ZipTail {
	/** The record (22 bytes) and the longest comment it may carry. */
	static readonly SIZE = 22 + 0xffff;
	private chunks: Uint8Array[] = [];
	private size = 0;
	add(chunk: Uint8Array) {
		this.chunks.push(chunk);
		this.size += chunk.byteLength;
		while (this.chunks.length > 1 && this.size - this.chunks[0]!.byteLength >= ZipTail.SIZE) this.size -= this.chunks.shift()!.byteLength;
	}
	complete(): boolean {
		const bytes = new Uint8Array(this.size);
		let at = 0;
		for (const chunk of this.chunks) {
			bytes.set(chunk, at);
			at += chunk.byteLength;
		}
		for (let i = bytes.length - 22; i >= 0; i--) if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 0x05 && bytes[i + 3] === 0x06) return true;
		return false;
	}
}

/**
 * exceljs decodes each chunk of a part on its own, so a character split between two chunks
 * (Chinese text, nearly every 16 KB) came out as two U+FFFD. Its parts are handed to it
 * decoded with one decoder per part instead, which carries a split character over.
 */
function decodeWhole(reader: object) {
	const methods = reader as Record<string, (...args: unknown[]) => unknown>;
	for (const name of ['_parseRels', '_parseWorkbook', '_parseSharedStrings', '_parseStyles']) {
		const original = methods[name]!.bind(reader);
		methods[name] = (entry) => original(decodedEntry(entry as NodeEntry));
	}
	const parseWorksheet = methods._parseWorksheet!.bind(reader);
	methods._parseWorksheet = (chunks, sheetNo) => {
		// A sheet that came before the shared strings is parked in a temporary file, which exceljs
		// deletes as soon as the next sheet is asked for: a sheet passed over unread then fails to
		// open it, with no one listening. A sheet that is read still fails through its rows.
		(chunks as { on?: (event: string, listener: () => void) => void }).on?.('error', () => {});
		return parseWorksheet(decodedChunks(chunks as AsyncIterable<Uint8Array>), sheetNo);
	};
}

interface NodeEntry {
	on(event: string, listener: (...args: unknown[]) => void): NodeEntry;
}

function decodedEntry(entry: NodeEntry): NodeEntry {
	const decoder = new TextDecoder();
	const on = entry.on.bind(entry);
	entry.on = (event, listener) => on(event, event === 'data' ? (chunk) => listener(decoder.decode(chunk as Uint8Array, { stream: true })) : listener);
	return entry;
}

async function* decodedChunks(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
	const decoder = new TextDecoder();
	for await (const chunk of chunks) yield decoder.decode(chunk, { stream: true });
	const rest = decoder.decode();
	if (rest) yield rest;
}

interface NodeWritable {
	write(chunk: Uint8Array): boolean;
	end(): void;
	once(event: 'drain', listener: () => void): void;
	destroy(error: Error): void;
}

/** A row's cells as text; undefined for a blank row. Cells a merge covers (beside its first) are empty. */
function rowText(row: ExcelJS.Row, date1904: boolean): SheetRow | undefined {
	const cells: string[] = [];
	let filled = 0;
	let words = 0;
	row.eachCell({ includeEmpty: false }, (cell, column) => {
		if (cell.isMerged && cell.master !== cell) return;
		const text = cellText(cell, date1904);
		cells[column - 1] = text;
		if (text.trim() === '') return;
		filled++;
		if (isWords(cell.value)) words++;
	});
	if (!filled) return undefined;
	for (let i = 0; i < cells.length; i++) cells[i] ??= '';
	return { line: row.number, cells, filled, words };
}

/** Runs a read of the workbook; a damaged file's error becomes the app's own words. */
async function readingWorkbook<T>(fileName: string, read: () => Promise<T>): Promise<T> {
	try {
		return await read();
	} catch (error) {
		if (error instanceof ImportError || error instanceof UnknownSheetError) throw error;
		throw new ImportError({ problem: 'unreadable', file: fileName, hint: { key: 'hint.xlsx_damaged' } });
	}
}

/** What the inspection of a workbook finds (the rest of an `Inspection`). */
export interface WorkbookLayout {
	format: FormatId;
	layout: CsvLayout;
	preview: string[][];
	sheet: SheetChoice;
	bytesPerRow: number;
}

/**
 * Reads the workbook's sheets, chooses one (`sheetName`, else the one with the most rows),
 * finds its header (`findHeader`) and tells the format from the header and first rows written
 * as CSV, as a CSV export of the sheet would be told: a sheet holding an Asterisk CDR is
 * recognised like the CDR's CSV.
 */
export async function inspectWorkbook(file: SourceFile, format: FormatId | 'auto', sheetName?: string): Promise<WorkbookLayout> {
	const { sheets, loaded } = await readSheetHeads(file);
	const sheet = chooseSheet(sheets, sheetName);
	if (!sheet || sheet.rows === 0) throw new ImportError({ problem: 'empty', file: file.name });
	const found = findHeader(sheet.head);
	const start = Math.max(0, found);
	const rows = sheet.head.slice(start);
	const sample = rows
		.slice(0, HEADER_SEARCH_ROWS)
		.map((r) => csvLine(r.cells.map((c) => c.replace(/[\r\n]+/g, ' '))))
		.join('\n');
	const detected = detectFormat(sample + '\n');
	const chosen = format === 'auto' ? detected.format : format;
	let layout = format === 'auto' ? detected.layout : layoutFor(chosen, sample + '\n');
	// A header found is as wide as the table (a value right of it is reported, as a CSV's extra field is).
	const width = found >= 0 ? rows[0]!.cells.length : Math.max(...rows.map((r) => r.cells.length));
	// The header search found the header; a plain table's header is its own names.
	if (chosen === 'mapped' && (found >= 0 || layout.header)) {
		const names = Array.from({ length: width }, (_, i) => rows[0]!.cells[i]?.trim() || `column${i + 1}`);
		layout = { ...layout, header: true, columns: dedupe(names) };
	} else if (chosen === 'mapped') layout = { ...layout, columns: Array.from({ length: width }, (_, i) => `column${i + 1}`) };
	layout = { ...layout, delimiter: ',', quote: '"' };
	const records = layout.header ? rows.slice(1) : rows;
	const firstLine = records[0]?.line ?? rows[rows.length - 1]!.line + 1;
	const choice: SheetChoice = {
		name: sheet.name,
		names: sheets.map((s) => s.name),
		firstLine,
		rows: sheet.rows - (sheet.head.length - records.length),
		loaded
	};
	const preview = records.slice(0, 10).map((r) => layout.columns.map((_, i) => r.cells[i] ?? ''));
	return { format: chosen, layout, preview, sheet: choice, bytesPerRow: file.size / Math.max(1, sheet.rows) };
}

/** One record as a CSV line (its sheet line first); empty cells unquoted, so they read as missing like a CSV's. */
export function csvLine(fields: string[]): string {
	return fields.map((f) => (f === '' ? '' : `"${f.replace(/"/g, '""')}"`)).join(',');
}

export interface XlsxPieceHooks extends SheetReadHooks {
	/** A row left out (a value beyond the header's last column), reported like a CSV's bad row. */
	note: (detail: ImportErrorDetail) => void;
	rowsPerPiece?: number;
}

/** Rows per piece staged at a time. */
export const XLSX_PIECE_ROWS = 50_000;

/**
 * The sheet's records as pieces of CSV whose first field is the row's sheet line, each
 * record `width` fields wide after it. A row with a value to the right of the last column
 * has no column to go to: it is left out and reported, as a CSV row with too many fields is.
 */
export async function* xlsxPieces(
	file: SourceFile,
	choice: SheetChoice,
	columns: string[],
	{ note, rowsPerPiece = XLSX_PIECE_ROWS, ...hooks }: XlsxPieceHooks
): AsyncGenerator<Uint8Array> {
	const encoder = new TextEncoder();
	let lines: string[] = [];
	for await (const row of sheetRows(file, choice, hooks)) {
		const beyond = row.cells.findIndex((text, i) => i >= columns.length && text.trim() !== '');
		if (beyond >= 0) {
			note({
				problem: 'malformed',
				file: file.name,
				line: row.line,
				value: row.cells[beyond],
				hint: { key: 'hint.xlsx_beyond_header', values: { column: columnLetter(beyond), columns: columns.length } }
			});
			continue;
		}
		const fields = columns.map((_, i) => row.cells[i] ?? '');
		lines.push(`${row.line},${csvLine(fields)}`);
		if (lines.length >= rowsPerPiece) {
			yield encoder.encode(lines.join('\n') + '\n');
			lines = [];
		}
	}
	if (lines.length) yield encoder.encode(lines.join('\n') + '\n');
}

/** 0 → A, 25 → Z, 26 → AA: the column as Excel names it. */
export function columnLetter(index: number): string {
	let name = '';
	for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
	return name;
}
