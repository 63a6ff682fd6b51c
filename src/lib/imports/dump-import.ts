import type { Engine } from '$lib/engine/types';
import { quoteIdent, quoteLiteral } from '$lib/sql/identifiers';
import { utf8Stream, type Encoding, type EncodingError } from './encoding';
import { ImportError, type ImportErrorDetail } from './errors';
import { detectFormat, layoutFor, type CsvLayout, type FormatId } from './formats';
import { addToReport, type QualityReport } from './quality';
import { DumpSyntaxError, SqlDumpReader, type DumpRow } from './sql-dump';
import type { SourceFile } from './source';

/**
 * An SQL dump of Asterisk's `cdr` or `queue_log` table imports as that table exported as
 * CSV with a header: its rows become CSV text with the table's column names as the header,
 * so the format is recognised and assembled exactly as the CSV export would be. One table
 * of a dump is read; the others are named in the quality report.
 */

/** The tables of a dump holding calls, most exact first: queue_log times every queue event, the cdr only its legs. */
export const CALL_TABLES = ['queue_log', 'cdr'] as const;

export interface DumpTableSeen {
	name: string;
	rows: number;
	/** The line of the table's first row (or 0 if it has none). */
	line: number;
}

/** What a first reading of the whole dump found. */
export interface DumpSurvey {
	/** The table imported. */
	table: string;
	/** Its column names as the dump gives them, in the order of the CSV made from it. */
	columns: string[];
	tables: DumpTableSeen[];
	/** The table's first rows (for detection and the preview). */
	head: (string | null)[][];
}

const HEAD_ROWS = 30;

function text(file: SourceFile, encoding: Encoding, onBytes: (n: number) => void, onInvalid?: (e: EncodingError) => void): AsyncIterable<string> {
	const stream = utf8Stream(file.stream(), encoding, onBytes, onInvalid);
	const decoder = new TextDecoder('utf-8');
	return {
		async *[Symbol.asyncIterator]() {
			const reader = stream.getReader();
			try {
				for (;;) {
					const { done, value } = await reader.read();
					if (done) return;
					yield decoder.decode(value, { stream: true });
				}
			} finally {
				// Stopped early (cancelled, or a dump it cannot read on): the file is not read further.
				await reader.cancel().catch(() => {});
			}
		}
	};
}

/** A reading of the dump that stops naming the line where it cannot go on. */
async function readDump(
	file: SourceFile,
	encoding: Encoding,
	onRow: (row: DumpRow) => void,
	hooks: { onBytes?: (n: number) => void; onInvalid?: (e: EncodingError) => void; between?: () => Promise<void> } = {}
) {
	const reader = new SqlDumpReader(onRow);
	try {
		for await (const chunk of text(file, encoding, hooks.onBytes ?? (() => {}), hooks.onInvalid)) {
			reader.push(chunk);
			await hooks.between?.();
		}
		reader.end();
	} catch (error) {
		if (error instanceof DumpSyntaxError)
			throw new ImportError({ problem: 'malformed', file: file.name, line: error.line, hint: { key: `hint.dump_expected_${error.expected}` } });
		throw error;
	}
	return reader;
}

/** Reads the whole dump once: which tables it holds, how many rows each, and the call table to import. */
export async function surveyDump(file: SourceFile, encoding: Encoding): Promise<DumpSurvey> {
	const tables = new Map<string, DumpTableSeen>();
	const columns = new Map<string, string[] | null>();
	const heads = new Map<string, (string | null)[][]>();
	const reader = await readDump(
		file,
		encoding,
		(row) => {
			let seen = tables.get(row.table);
			if (!seen) tables.set(row.table, (seen = { name: row.table, rows: 0, line: row.line }));
			seen.rows++;
			if (!columns.has(row.table)) columns.set(row.table, row.columns);
			const head = heads.get(row.table) ?? [];
			if (head.length < HEAD_ROWS) heads.set(row.table, [...head, row.values]);
		},
		{ onInvalid: () => {} }
	);
	// Tables created but never filled are named too.
	for (const name of reader.created.keys()) if (!tables.has(name)) tables.set(name, { name, rows: 0, line: 0 });
	const found = [...tables.values()];
	const table = CALL_TABLES.find((t) => (tables.get(t)?.rows ?? 0) > 0) ?? CALL_TABLES.find((t) => tables.has(t));
	if (!table)
		throw new ImportError({
			problem: 'unrecognised',
			file: file.name,
			hint: { key: 'hint.dump_no_call_table', values: { tables: found.map((t) => t.name).join(', ') || '—' } }
		});
	const named = columns.get(table) ?? reader.created.get(table) ?? null;
	const head = heads.get(table) ?? [];
	// Values with no names (no column list, CREATE TABLE or known default): numbered columns.
	const width = Math.max(0, ...head.map((r) => r.length));
	const tableColumns = named ?? Array.from({ length: width }, (_, i) => `column${i + 1}`);
	return { table, columns: tableColumns, tables: found, head: head.map((r) => fitRow(r, null, tableColumns)).filter((r) => r !== null) };
}

/** The dump's table as CSV text with a header, which the CSV detection reads. */
export function dumpLayout(survey: DumpSurvey, format: FormatId | 'auto'): { format: FormatId; layout: CsvLayout; preview: string[][] } {
	const sample = [survey.columns, ...survey.head].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
	const detected = detectFormat(sample);
	const chosen = format === 'auto' ? detected.format : format;
	const layout = format === 'auto' ? detected.layout : layoutFor(chosen, sample);
	return { format: chosen, layout, preview: survey.head.slice(0, 10).map((r) => r.map((v) => v ?? '')) };
}

/**
 * A row's values in the table's column order: by name when its statement named columns of
 * its own, as they are otherwise. Null if the count does not fit.
 */
function fitRow(values: (string | null)[], columns: string[] | null, tableColumns: string[]): (string | null)[] | null {
	if (columns && columns !== tableColumns && columns.join('\u0000') !== tableColumns.join('\u0000')) {
		if (columns.length !== values.length) return null;
		const byName = new Map(columns.map((c, i) => [c.toLowerCase(), values[i] ?? null]));
		return tableColumns.map((c) => byName.get(c.toLowerCase()) ?? null);
	}
	return values.length === tableColumns.length ? values : null;
}

function csvCell(value: string | null): string {
	return value === null ? '' : `"${value.replace(/"/g, '""')}"`;
}

export interface DumpStageHooks {
	signal?: AbortSignal;
	note: (detail: ImportErrorDetail) => void;
	progress: (bytesRead: number) => void;
	staged: (rows: number) => void;
	invalidBytes?: (error: EncodingError) => void;
	pieceBytes: number;
	cancelled: () => void;
}

/**
 * Appends the dump's table to the stage table, in batches of CSV text (the table's columns,
 * then the dump line the row starts on). Returns the rows staged.
 */
export async function stageDump(
	engine: Engine,
	stage: string,
	file: SourceFile,
	encoding: Encoding,
	survey: DumpSurvey,
	columns: string[],
	hooks: DumpStageHooks
): Promise<number> {
	let batch: string[] = [];
	let batchBytes = 0;
	let rows = 0;
	const flush = async () => {
		if (!batch.length) return;
		hooks.cancelled();
		rows += await appendRows(engine, stage, batch.join(''), columns, file.name);
		batch = [];
		batchBytes = 0;
		hooks.staged(rows);
	};
	await readDump(
		file,
		encoding,
		(row) => {
			if (row.table !== survey.table) return;
			const values = fitRow(row.values, row.columns, survey.columns);
			if (!values) {
				hooks.note({
					problem: 'malformed',
					file: file.name,
					line: row.line,
					value: row.values.map((v) => v ?? 'NULL').join(', '),
					hint: { key: 'hint.field_count', values: { expected: (row.columns ?? survey.columns).length, found: row.values.length } }
				});
				return;
			}
			const line = values.map(csvCell).join(',') + `,${row.line}\n`;
			batch.push(line);
			batchBytes += line.length;
		},
		{
			onBytes: hooks.progress,
			onInvalid: hooks.invalidBytes,
			between: async () => {
				hooks.cancelled();
				if (batchBytes >= hooks.pieceBytes) await flush();
			}
		}
	);
	await flush();
	return rows;
}

async function appendRows(engine: Engine, stage: string, csv: string, columns: string[], fileName: string): Promise<number> {
	const name = `dump_${Math.random().toString(36).slice(2)}.csv`;
	const all = [...columns, '__dump_line'];
	const types = `{${all.map((c) => `${quoteLiteral(c)}: 'VARCHAR'`).join(', ')}}`;
	await engine.registerBuffer(name, new TextEncoder().encode(csv));
	try {
		const [inserted] = await engine.query<{ Count: number }>({
			sql: `INSERT INTO ${stage} SELECT ${columns.map(quoteIdent).join(', ')}, ?, CAST(__dump_line AS BIGINT)
			      FROM read_csv(?, header = false, columns = ${types}, delim = ',', quote = '"', escape = '"', auto_detect = false, max_line_size = 10000000)`,
			params: [fileName, name]
		});
		return Number(inserted?.Count ?? 0);
	} finally {
		await engine.dropFile(name);
	}
}

/** The quality report names the table read and the tables left out, with their rows. */
export function reportDumpTables(report: QualityReport, fileName: string, survey: DumpSurvey) {
	for (const t of survey.tables) {
		const read = t.name === survey.table;
		// A table with no rows is left out (an entry counts rows).
		addToReport(report, 'read', read ? 'dump_tables' : 'dump_tables_ignored', t.rows, [
			{
				file: fileName,
				line: t.line,
				value: t.name,
				hint: { key: read ? 'hint.dump_table_read' : 'hint.dump_table_ignored', values: { table: t.name, rows: t.rows } }
			}
		]);
	}
}
