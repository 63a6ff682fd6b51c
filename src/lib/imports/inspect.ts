import { legPresetFor } from './calls/leg-presets';
import type { Mapping } from './canonical';
import { guessMapping, mappingOf, type Guess } from './guess';
import { decodeSample, detectEncoding, type Encoding } from './encoding';
import { ImportError, MAX_COLUMNS_READ } from './errors';
import { gunzipped, isGzip, sniffNotText } from './sniff';
import { detectFormat, layoutFor, splitLine, type CsvLayout, type FormatId } from './formats';
import type { SourceFile } from './source';
import { openParquet, type ParquetFile } from './parquet';
import { looksLikeDump } from './sql-dump';
import { dumpLayout, surveyDump, type DumpSurvey } from './dump-import';

import { inspectWorkbook, type SheetChoice } from './xlsx';
import { detectIntervals, type IntervalDetection } from './intervals/detect';

export type FileKind = 'text' | 'jsonl' | 'parquet' | 'sqldump' | 'xlsx';

/** What holdline learned from a file's first bytes, before importing it. */
export interface Inspection {
	file: SourceFile;
	kind: FileKind;
	encoding: Encoding;
	format: FormatId;
	layout: CsvLayout;
	/** First rows as text, for the mapping step. */
	preview: string[][];
	/** A mapping guessed from the column names and first rows (for `mapped`). */
	suggested: Mapping;
	/** Each guess with its reason and sample values, for the mapping step. */
	guesses: Guess[];
	/** Bytes per record in the sampled head (text and JSON lines): how many rows the file holds, estimated before import. */
	bytesPerRow?: number;
	/** The opened Parquet file, kept so the import does not read and parse it again. */
	parquet?: ParquetFile;
	/** An SQL dump: the table imported and the tables it holds. */
	dump?: DumpSurvey;
	/** An Excel workbook's sheet that is read, and the line its records start on. */
	sheet?: SheetChoice;
	/** An interval report (a row per queue per interval), recognised by its header: imported into the interval table. */
	intervals?: IntervalDetection;
}

export interface InspectOptions {
	/** The workbook sheet to read (default: the one with the most rows). */
	sheet?: string;
}

const SAMPLE_BYTES = 64 * 1024;

export async function inspectFile(file: SourceFile, format: FormatId | 'auto' = 'auto', options: InspectOptions = {}): Promise<Inspection> {
	const head = await file.head(SAMPLE_BYTES);
	if (head.byteLength === 0) throw new ImportError({ problem: 'empty', file: file.name });
	if (head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x31) return inspectParquet(file, format);
	if (isGzip(head) && !file.compressed) return inspectFile(gunzipped(file), format);
	const encoding = detectEncoding(head);
	const fileKind = sniffNotText(head, encoding.startsWith('utf-16'));
	if (fileKind === 'xlsx') return inspectXlsx(file, format, options.sheet);
	if (fileKind) throw new ImportError({ problem: 'not_text', file: file.name, fileKind });
	const sample = decodeSample(head, encoding);
	if (/^\s*\{/.test(sample)) return inspectJsonLines(file, encoding, sample, format, head.byteLength);
	if (looksLikeDump(sample)) return inspectDump(file, encoding, format);
	const detected = detectFormat(sample);
	const chosen = format === 'auto' ? detected.format : format;
	const layout = format === 'auto' ? detected.layout : layoutFor(chosen, sample);
	checkWidth(file.name, layout.columns);
	const lines = sample.split(/\r?\n/).filter((l) => l.trim() !== '');
	// Title lines above the header are not rows.
	const top = (layout.titles?.length ?? 0) + (layout.header ? 1 : 0);
	const body = lines.slice(top, top + 10);
	// The last sampled line may be cut short by the sample's end.
	if (head.byteLength === SAMPLE_BYTES && body.length === lines.length - top) body.pop();
	const preview = body.map((line) => splitLine(line, layout.delimiter, layout.quote));
	const bytesPerRow = head.byteLength / Math.max(1, lines.length);
	// A named vendor's leg log is read through its preset's mapping.
	const preset = chosen === 'legs' ? legPresetFor(layout.columns) : null;
	const guess = guessed(layout.columns, preview);
	// An interval report has no arrival to guess: its columns are read by their names (intervals/).
	const intervals = chosen === 'mapped' && layout.header ? detectIntervals(layout.columns, preview) : null;
	if (intervals) return { file, kind: 'text', encoding, format: chosen, layout, preview, suggested: {}, guesses: [], bytesPerRow, intervals };
	return { file, kind: 'text', encoding, format: chosen, layout, preview, ...guess, ...(preset ? { suggested: preset.mapping } : {}), bytesPerRow };
}

/**
 * Call records have tens of columns; thousands mean a wrong delimiter or a file that is
 * not records, and would cost the reader hundreds of MB (10,000 columns: 775 MB) and the
 * mapping step a hundred thousand menu entries. Refused, with the count.
 */
export const MAX_COLUMNS = MAX_COLUMNS_READ;

function checkWidth(fileName: string, columns: string[]) {
	if (columns.length > MAX_COLUMNS)
		throw new ImportError({
			problem: 'too_wide',
			file: fileName,
			line: 1,
			value: columns.slice(0, 5).join(', ') + ', …',
			hint: { key: 'hint.too_wide', values: { n: columns.length.toLocaleString('en') } }
		});
}

async function inspectDump(file: SourceFile, encoding: Encoding, format: FormatId | 'auto'): Promise<Inspection> {
	const dump = await surveyDump(file, encoding);
	const { format: chosen, layout, preview } = dumpLayout(dump, format);
	checkWidth(file.name, layout.columns);
	const rows = dump.tables.find((t) => t.name === dump.table)?.rows ?? 0;
	const bytesPerRow = file.size / Math.max(1, rows);
	return { file, kind: 'sqldump', encoding, format: chosen, layout, preview, ...guessed(layout.columns, preview), bytesPerRow, dump };
}

function inspectJsonLines(file: SourceFile, encoding: Encoding, sample: string, format: FormatId | 'auto', sampleBytes: number): Inspection {
	const records: Record<string, unknown>[] = [];
	const lines = sample.split('\n');
	for (const [i, line] of lines.entries()) {
		if (!line.trim() || records.length >= 50) continue;
		try {
			records.push(JSON.parse(line));
		} catch {
			if (i < lines.length - 1 || records.length === 0)
				throw new ImportError({ problem: 'malformed', file: file.name, line: i + 1, value: line, hint: { key: 'hint.not_json_object' } });
		}
	}
	const columns = [...new Set(records.flatMap((r) => Object.keys(r)))];
	checkWidth(file.name, columns);
	const layout: CsvLayout = { delimiter: '', quote: '', header: false, columns };
	const chosen = format === 'auto' ? formatFromNames(columns) : format;
	const preview = records.slice(0, 10).map((r) => columns.map((c) => (r[c] == null ? '' : String(r[c]))));
	const bytesPerRow = sampleBytes / Math.max(1, lines.filter((l) => l.trim()).length);
	return { file, kind: 'jsonl', encoding, format: chosen, layout, preview, ...guessed(columns, preview), bytesPerRow };
}

async function inspectParquet(file: SourceFile, format: FormatId | 'auto'): Promise<Inspection> {
	try {
		const parquet = openParquet(await file.bytes());
		const preview = await parquet.read(0, Math.min(10, parquet.rows));
		const layout: CsvLayout = { delimiter: '', quote: '', header: true, columns: parquet.columns };
		const chosen = format === 'auto' ? formatFromNames(parquet.columns) : format;
		return { file, kind: 'parquet', encoding: 'utf-8', format: chosen, layout, preview, ...guessed(parquet.columns, preview), parquet };
	} catch (error) {
		throw new ImportError({ problem: 'unreadable', file: file.name, detail: firstLine(error) });
	}
}

async function inspectXlsx(file: SourceFile, format: FormatId | 'auto', sheet?: string): Promise<Inspection> {
	const found = await inspectWorkbook(file, format, sheet);
	checkWidth(file.name, found.layout.columns);
	return { file, kind: 'xlsx', encoding: 'utf-8', ...found, ...guessed(found.layout.columns, found.preview) };
}

function formatFromNames(columns: string[]): FormatId {
	const lower = columns.map((c) => c.toLowerCase());
	return lower.includes('q_start') && lower.includes('ser_start') ? 'bank-research' : 'mapped';
}

/** The mapping guessed from a file's header and first rows (see guess.ts). */
function guessed(columns: string[], preview: string[][]): { suggested: Mapping; guesses: Guess[] } {
	const guesses = guessMapping(columns, preview);
	return { suggested: mappingOf(guesses), guesses };
}

export function firstLine(error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	return text.split('\n')[0]!.slice(0, 300);
}
