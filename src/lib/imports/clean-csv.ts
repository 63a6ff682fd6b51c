import type { Engine } from '$lib/engine/types';
import { quoteIdent, quoteLiteral } from '$lib/sql/identifiers';
import type { Mapping } from './canonical';
import type { FormatId } from './formats';
import type { Inspection } from './inspect';
import type { SourceFile } from './source';
import { countLines } from './worker-lines';

/**
 * The fast way in for a clean CSV: DuckDB's own reader reads the whole file in one statement
 * (in parallel, no pieces cut in JavaScript), and the mapped time columns land as TIMESTAMPs,
 * so assembly and its checks never parse text. Plain DuckDB SQL, for native DuckDB and
 * DuckDB-WASM alike; the caller says by which name the engine reads the file.
 *
 * It takes only what it can read exactly as the slow way would, cell for cell:
 *   - a time cell is empty or `YYYY-MM-DD HH:MM:SS` (for that text the slow way's reading is
 *     `TRY_CAST(… AS TIMESTAMP)`, which is what is stored);
 *   - a duration cell is empty or a plain number (`-?\d+(\.\d+)?`), kept as its text;
 *   - the reader refuses no row (wrong number of fields, invalid UTF-8), and the rows plus the
 *     header are the file's physical lines (no blank line, no quoted line break), so row n is
 *     line n + 1.
 * Anything else (one cell is enough) and the stage is dropped and the file read the slow way
 * (pipeline.ts), which names every cell it cannot read. Every check then runs as SQL over the
 * typed stage, with the line number, so the quality report is the slow way's.
 */

/**
 * The in-memory database, stored compressed, where the Import page keeps a clean CSV's stage,
 * working table and calls (pipeline.ts `compressedWork`).
 */
export const IMPORT_WORK_DATABASE = 'holdline_import_work';

/** The columns the clean reader converted: the stage's times are TIMESTAMPs, its durations checked numbers (still text). */
export interface TypedColumns {
	times: string[];
	durations: string[];
}

export interface CleanStage {
	rows: number;
	typed: TypedColumns;
	/** A view of the stage as text (the times written back, which gives their cells' text): for the checks that read text. */
	text: string;
}

/**
 * A part of a file the engine reads by name. Parts follow each other and each ends at a line end
 * (the first holds the header): a large file read part by part shows progress and stops on cancel
 * between parts, where one statement over the whole file would do neither.
 */
export interface CsvPart {
	name: string;
	bytes: number;
}

/**
 * How the engine reads a file by name: a path on disk (native DuckDB), a registered file, or
 * the file's registered parts (DuckDB-WASM); null: not this way.
 */
export type CsvName = (file: SourceFile) => Promise<string | CsvPart[] | null> | string | CsvPart[] | null;

/** What the clean reader has read so far, across the files: their bytes and rows. */
export type CleanProgress = (bytesRead: number, rows: number) => void;

const ISO_TIME = `'\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}'`;
const PLAIN_NUMBER = `'-?\\d+(\\.\\d+)?'`;
/** Raised inside the reading statement by a cell the fast way does not read: the file goes the slow way. */
const NOT_CLEAN = 'holdline: not a clean file';

/** The typed columns for a plan the clean reader can take, or null (another format, a date column, titles, another encoding …). */
export function cleanColumns(files: Inspection[], format: FormatId, mapping: Mapping): TypedColumns | null {
	if (format !== 'mapped' || !mapping.arrival || mapping.date) return null;
	for (const f of files) {
		const { layout } = f;
		if (f.kind !== 'text' || f.encoding !== 'utf-8' || f.file.compressed || f.intervals) return null;
		if (!layout.header || layout.titleLines || layout.underHeaderLines || layout.delimiter.length !== 1 || layout.quote.length > 1) return null;
	}
	const columns = files[0]!.layout.columns;
	const mapped = (fields: (keyof Mapping)[]) => [...new Set(fields.map((f) => mapping[f]).filter((c): c is string => !!c && columns.includes(c)))];
	const times = mapped(['arrival', 'answer', 'end']);
	const durations = mapped(['wait', 'talk', 'hold', 'wrap']).filter((c) => !times.includes(c));
	return { times, durations };
}

/**
 * Reads the files into `stage` with the clean reader; null when a file is not clean (the stage
 * is then gone, nothing else touched). `cancelled` throws when the user stops the import.
 */
export async function stageCleanCsv(
	engine: Engine,
	stage: string,
	files: Inspection[],
	typed: TypedColumns,
	csvName: CsvName,
	cancelled: () => void,
	progress: CleanProgress = () => {}
): Promise<CleanStage | null> {
	const columns = files[0]!.layout.columns;
	const type = (c: string) => (typed.times.includes(c) ? 'TIMESTAMP' : 'VARCHAR');
	const text = `${stage}_text`;
	await engine.exec(`CREATE TABLE ${stage} (${columns.map((c) => `${quoteIdent(c)} ${type(c)}`).join(', ')}, __file VARCHAR, __line BIGINT)`);
	try {
		let rows = 0;
		let bytesBefore = 0;
		for (const inspection of files) {
			const named = await csvName(inspection.file);
			if (!named) return await gone(engine, stage);
			const parts = typeof named === 'string' ? [{ name: named, bytes: inspection.file.size }] : named;
			// The physical lines are counted while the database reads, to prove row n is line n + 1
			// (in a worker of their own in the browser: read on the page's thread, the count held it
			// for 182 ms at a million calls, 421 ms at five); the count stops when this file's reading
			// ends otherwise (cancelled, not clean).
			const counting = new AbortController();
			const lines = countLines(inspection.file, counting.signal);
			lines.catch(() => {}); // surfaced when awaited below; a cancel may come first
			let fileRows = 0;
			let partBytes = 0;
			try {
				for (const [i, part] of parts.entries()) {
					// A cell it does not take stops the statement (NOT_CLEAN); so does a file this engine cannot
					// open by name: either way the slow way reads it, and names what it finds.
					const read = await readClean(engine, stage, inspection, part.name, typed, i === 0, 1 + fileRows).catch(() => null);
					cancelled();
					if (read === null) return await gone(engine, stage);
					fileRows += read;
					partBytes += part.bytes;
					progress(bytesBefore + partBytes, rows + fileRows);
				}
				if ((await lines) !== fileRows + 1) return await gone(engine, stage);
			} finally {
				counting.abort();
			}
			rows += fileRows;
			bytesBefore += inspection.file.size;
		}
		const asText = columns.filter((c) => typed.times.includes(c)).map((c) => `CAST(${quoteIdent(c)} AS VARCHAR) AS ${quoteIdent(c)}`);
		await engine.exec(`CREATE VIEW ${text} AS SELECT * ${asText.length ? `REPLACE (${asText.join(', ')})` : ''} FROM ${stage}`);
		return { rows, typed, text };
	} catch (error) {
		await gone(engine, stage);
		throw error;
	}
}

/**
 * Appends one file, or one part of it (the first holds the header; `linesBefore` are the file's
 * lines before the part): its rows, or null when the reader refused one (the file is not clean).
 */
async function readClean(
	engine: Engine,
	stage: string,
	{ file, layout }: Inspection,
	name: string,
	typed: TypedColumns,
	header: boolean,
	linesBefore: number
): Promise<number | null> {
	const columns = layout.columns;
	const varchar = `{${columns.map((c) => `${quoteLiteral(c)}: 'VARCHAR'`).join(', ')}}`;
	const fail = `error(${quoteLiteral(NOT_CLEAN)})`;
	const cell = (c: string) => {
		const v = quoteIdent(c);
		if (typed.times.includes(c))
			return `CASE WHEN ${v} IS NULL THEN NULL WHEN regexp_full_match(${v}, ${ISO_TIME}) THEN coalesce(TRY_CAST(${v} AS TIMESTAMP), ${fail}) ELSE ${fail} END`;
		if (typed.durations.includes(c)) return `CASE WHEN ${v} IS NULL OR regexp_full_match(${v}, ${PLAIN_NUMBER}) THEN ${v} ELSE ${fail} END`;
		return v;
	};
	const [inserted] = await engine.query<{ Count: number }>({
		sql: `INSERT INTO ${stage} SELECT ${columns.map(cell).join(', ')}, ?, ? + row_number() OVER ()
		  FROM read_csv(?, header = ${header}, columns = ${varchar}, delim = ${quoteLiteral(layout.delimiter)}, quote = ${quoteLiteral(layout.quote)},
		    escape = ${quoteLiteral(layout.quote)}, auto_detect = false, null_padding = false, max_line_size = 10000000,
		    store_rejects = true, rejects_table = 'clean_rejects', rejects_scan = 'clean_scans')`,
		params: [file.name, linesBefore, name]
	});
	const [rejects] = await engine.query<{ n: number }>({ sql: `SELECT count(*) AS n FROM clean_rejects`, params: [] });
	await engine.exec(`DROP TABLE IF EXISTS clean_rejects; DROP TABLE IF EXISTS clean_scans`);
	return Number(rejects?.n ?? 0) ? null : Number(inserted?.Count ?? 0);
}

async function gone(engine: Engine, stage: string): Promise<null> {
	await engine.exec(`DROP VIEW IF EXISTS ${stage}_text; DROP TABLE IF EXISTS ${stage}; DROP TABLE IF EXISTS clean_rejects; DROP TABLE IF EXISTS clean_scans`);
	return null;
}
