import type { Engine, SqlParam } from '$lib/engine/types';
import { quoteIdent, quoteLiteral, tableName } from '$lib/sql/identifiers';
import { assembleCalls } from './assemble';
import { agentEventsSelect, agentEventsTable } from './agent-events';
import { markCallbacks } from './callbacks';
import { CANONICAL_COLUMNS, missingColumns, type Mapping, type OutcomeValues } from './canonical';
import { mostlyEmptyColumns, silentZeroGuards, tallyRules } from './guards';
import { findOutcomeValues, isInvertedFlagColumn, settledOutcomes } from './outcome-values';
import { stagedAnswerEvidence } from './calls/mapped';
import {
	addToReport,
	DEFAULT_CLOCK_SKEW_S,
	emptyReport,
	QUALITY_CODES,
	reportTitleRows,
	type QualityCode,
	type QualityExample,
	type QualityReport
} from './quality';
import { badRows, findRows, reviewCalls } from './review';
import { MESSAGES } from '$lib/i18n/messages';
import { EncodingError } from './encoding';
import { ImportError, type Hint, type ImportErrorDetail } from './errors';
import type { CsvLayout, FormatId } from './formats';
import { firstLine, type Inspection } from './inspect';
import type { RecordPiece } from './records';
import { headLines, pieceSpec, textPieces, type PieceSource } from './text-pieces';
import { findDateOrder, type DateOrderChoice } from './date-order';
import { openParquet, rowsToCsv } from './parquet';
import { reportDumpTables, stageDump, type DumpSurvey } from './dump-import';
import { xlsxPieces } from './xlsx';
import { excludeFooters, looksLikeFooter } from './footers';
import { splitLine } from './formats';
import { isLegMapping } from './calls/legs';
import { legPresetFor, type LegPreset } from './calls/leg-presets';
import { settleLegColumns, type DirectionValues, type StatusValues } from './leg-values';
import { importIntervals, type IntervalSummary } from './intervals/import';
import type { IntervalSettings } from './intervals/assemble';
import { cleanColumns, stageCleanCsv, type CleanStage, type CsvName } from './clean-csv';

/**
 * Imports files into one canonical calls table:
 *   1. every file is staged as text (all VARCHAR, plus its file name and line), piece by
 *      piece so progress shows, cancel works and non-UTF-8 text is transcoded on the way;
 *   2. rows that do not fit the layout, unreadable times and missing required values are
 *      found with SQL on the staged text, naming file, line, column and value;
 *   3. the format's SELECT maps the text onto the canonical model.
 * A clean CSV the engine can read by name (`csvName`) is staged instead by the database's own
 * reader in one statement, its times typed (clean-csv.ts); the same checks then run on it.
 * Nothing outside the tables it creates (the calls, and a queue_log's agent events beside them)
 * is touched, so a failed or cancelled import leaves every loaded dataset as it was.
 */

/** Beyond this, DuckDB-WASM (4 GiB of memory at most) would fail mid-way: refuse up front. */
export const MAX_IMPORT_BYTES = 1.5 * 1024 ** 3;
const PIECE_BYTES = 16 * 1024 * 1024;
const EXAMPLES = 20;

export interface ImportPlan {
	format: FormatId;
	mapping: Mapping;
	/** `skip` (the default) leaves bad rows out and reports them; `abort` stops at the first. */
	onBadRows: 'abort' | 'skip';
	/** Added to epoch-second times (queue_log) to get local wall-clock time. */
	utcOffsetSeconds: number;
	/** An answer at most this many seconds before arrival is clock skew, repaired (default 5). */
	clockSkewS?: number;
	/** How slashed dates are read: from the data (default), or day-first / month-first as chosen. */
	dateOrder?: DateOrderChoice;
	/** The user's meaning for values of the mapped outcome column (the rest are read by word or from the data, or asked). */
	outcomeValues?: OutcomeValues;
	/** A leg log's direction and status values, as the user assigned them (see leg-values.ts). */
	directionValues?: DirectionValues;
	statusValues?: StatusValues;
	/** An interval report's settings (the stated service level's denominator and T, the interval length). */
	intervals?: IntervalSettings;
}

/** A file a user would import imports: bad rows are left out and reported, unless the user asks to stop at the first. */
export const DEFAULT_BAD_ROWS: ImportPlan['onBadRows'] = 'skip';

export interface ImportProgress {
	file: string;
	bytesRead: number;
	totalBytes: number;
	rows: number;
}

export interface SkippedRows {
	count: number;
	/** The first few, each naming file, line, column and value. */
	examples: ImportErrorDetail[];
}

export interface ImportResult {
	table: string;
	rows: number;
	skipped: SkippedRows;
	/** Every repair, exclusion, merge, skip and warning of this import. */
	quality: QualityReport;
	from: string | null;
	to: string | null;
	/** An interval report's table (INTERVALS-CONTRACT): its length and whether its time axis is relative. */
	intervals?: IntervalSummary;
	/** True when the database's own CSV reader read the files in one statement (clean-csv.ts), not the pieces. */
	cleanRead?: boolean;
	/**
	 * The compressed in-memory database (`compressedWork`) that holds the calls when the clean
	 * reader read them: `table` is then a view over the table of the same name there.
	 */
	heldIn?: string;
}

/** SQL that drops an import's table: the view and the compressed table it reads, or the table. */
export function dropImportedSql({ table, heldIn }: Pick<ImportResult, 'table' | 'heldIn'>): string {
	const t = tableName(table);
	return heldIn ? `DROP VIEW IF EXISTS ${t}; DROP TABLE IF EXISTS ${tableName(heldIn)}.main.${t}` : `DROP TABLE IF EXISTS ${t}`;
}

export interface ImportOptions {
	table: string;
	signal?: AbortSignal;
	onProgress?: (progress: ImportProgress) => void;
	/** Size of the pieces files are read in (smaller in tests, to cross piece boundaries). */
	pieceBytes?: number;
	/** Where text files are cut into pieces: on this thread unless given (the page cuts them in a worker). */
	pieces?: PieceSource;
	/**
	 * How the engine reads a file by name (a path on disk, a registered file): given, a clean CSV
	 * is read by the database's own reader in one statement (clean-csv.ts), else in pieces.
	 */
	csvName?: CsvName;
	/**
	 * Where a clean CSV's stage and working table are kept: an in-memory database of this name,
	 * attached with DuckDB's compression (what a database file stores). Given in the browser, where
	 * DuckDB-WASM's memory is at most 4 GiB: see `compressedWork`.
	 */
	compressedWork?: string;
	/** The most bytes the files may hold: DuckDB-WASM's limit unless given (native DuckDB on the command line has the machine's memory). */
	maxBytes?: number;
}

/**
 * `engine` is where the statements go: in the browser the client's write path (`importEngine`
 * in `query/client.ts`: each statement queued with the pages' questions, and the target table's
 * cached answers forgotten after it); on the command line and in tests, the connection itself.
 */
export async function importFiles(
	engine: Engine,
	files: Inspection[],
	plan: ImportPlan,
	{ table, signal, onProgress = () => {}, pieceBytes = PIECE_BYTES, pieces = textPieces, csvName, compressedWork, maxBytes = MAX_IMPORT_BYTES }: ImportOptions
): Promise<ImportResult> {
	const target = tableName(table);
	// The clean reader's stage and working table may live in a compressed database (set below).
	let stage = tableName(`${target}_stage`);
	let work = tableName(`${target}_work`);
	const agents = agentEventsTable(target);
	const totalBytes = files.reduce((sum, f) => sum + f.file.size, 0);
	if (totalBytes > maxBytes)
		throw new ImportError({
			problem: 'too_large',
			hint: { key: 'hint.too_large', values: { size: (totalBytes / 1024 ** 3).toFixed(2), max: (maxBytes / 1024 ** 3).toFixed(1) } }
		});
	checkSameLayout(files);
	// An interval report read without a mapping of call fields goes to the interval table.
	if (files[0]!.intervals && plan.format === 'mapped' && !plan.mapping.arrival && !plan.mapping.date)
		return importIntervals(engine, files, { ...plan.intervals, onBadRows: plan.onBadRows }, target);
	const columns = files[0]!.layout.columns;
	// A mapping with a call id and a leg's direction or status reads the file as a leg log.
	const format: FormatId = plan.format === 'mapped' && isLegMapping(plan.mapping) ? 'legs' : plan.format;
	const preset = format === 'legs' ? legPresetFor(columns) : null;
	if (plan.format === 'mapped' || plan.format === 'legs') {
		const missing = missingColumns(plan.mapping, columns)[0];
		if (missing)
			throw new ImportError({
				problem: 'missing_column',
				file: files[0]!.file.name,
				column: missing.column,
				hint: { key: 'hint.mapped_as', values: { field: missing.field } }
			});
		if (!plan.mapping.arrival && !plan.mapping.date) throw unrecognised(files[0]!, plan.mapping);
	}

	const skipped: SkippedRows = { count: 0, examples: [] };
	const report = emptyReport(plan.clockSkewS ?? DEFAULT_CLOCK_SKEW_S);
	const note = (detail: ImportErrorDetail, count = 1) => {
		if (plan.onBadRows === 'abort') throw new ImportError(detail);
		skipped.count += count;
		if (skipped.examples.length < EXAMPLES) skipped.examples.push(detail);
		const { problem, file = '', line = 0, value, column, detail: words, hint } = detail;
		addToReport(report, 'skipped', problem, count, [{ file, line, value, column, detail: words, hint }]);
	};

	await engine.exec(`DROP VIEW IF EXISTS ${stage}_text; DROP TABLE IF EXISTS ${stage}; DROP TABLE IF EXISTS ${target}; DROP TABLE IF EXISTS ${agents}`);
	// The step under way, named if the database stops in it.
	let doing: Hint = { key: 'hint.step_read' };
	let heldIn: string | undefined;
	try {
		const cleanPlan = csvName ? cleanColumns(files, format, plan.mapping) : null;
		let step = performance.now();
		const into = cleanPlan && compressedWork ? await compressedDatabase(engine, compressedWork) : null;
		const cleanStage = into ? `${into}.main.${stage}` : stage;
		const cleanProgress = (bytesRead: number, rows: number) => onProgress({ file: files[0]!.file.name, bytesRead, totalBytes, rows });
		const clean: CleanStage | null =
			cleanPlan && (await stageCleanCsv(engine, cleanStage, files, cleanPlan, csvName!, () => throwIfCancelled(signal), cleanProgress));
		if (clean && into) [stage, work] = [cleanStage, `${into}.main.${work}`];
		if (cleanPlan) step = measureImport('clean', step);
		if (!clean) await engine.exec(`CREATE TABLE ${stage} (${columns.map((c) => `${quoteIdent(c)} VARCHAR`).join(', ')}, __file VARCHAR, __line BIGINT)`);
		// The mapping checks read the staged text here (the clean stage with its times written back as text).
		const stagedText = clean ? clean.text : stage;
		let bytesBefore = clean ? totalBytes : 0;
		let rows = clean?.rows ?? 0;
		if (clean) onProgress({ file: files.at(-1)!.file.name, bytesRead: totalBytes, totalBytes, rows });
		for (const file of clean ? [] : files) {
			let fileBytes = 0;
			let fileRows = 0;
			const tell = () => onProgress({ file: file.file.name, bytesRead: bytesBefore + fileBytes, totalBytes, rows: rows + fileRows });
			const progress = (bytesRead: number) => {
				fileBytes = bytesRead;
				tell();
			};
			const staged = (n: number) => {
				fileRows = n;
				tell();
			};
			const repaired = (error: EncodingError) =>
				addToReport(report, 'repaired', 'invalid_bytes', 1, [
					{ file: file.file.name, line: error.position.line, value: `0x${error.byte.toString(16).toUpperCase().padStart(2, '0')}`, detail: error.message }
				]);
			const invalidBytes = plan.onBadRows === 'abort' ? undefined : repaired;
			const footer = (example: QualityExample) => addToReport(report, 'excluded', 'footer_rows', 1, [example]);
			rows += await stageFile(engine, stage, file, { signal, note, progress, staged, pieceBytes, invalidBytes, pieces, footer, layout: file.layout });
			if (file.dump) reportDumpTables(report, file.file.name, file.dump);
			const titles = file.kind === 'text' ? (file.layout.titles ?? []) : [];
			reportTitleRows(report, file.file.name, titles);
			bytesBefore += file.file.size;
			onProgress({ file: file.file.name, bytesRead: bytesBefore, totalBytes, rows });
		}
		throwIfCancelled(signal);

		report.rowsRead = rows + skipped.count;
		if (files.some((f) => f.kind === 'text')) await excludeFooters(engine, stage, columns, report, clean?.typed);

		step = performance.now();
		doing = { key: 'hint.step_dates' };
		// The clean reader's times are ISO: no slashed date to settle.
		const dateOrder = clean ? undefined : await findDateOrder(engine, stage, timeColumns(plan), plan.dateOrder);
		if (dateOrder) {
			const code = `date_order_${dateOrder.order}_${dateOrder.by}` as QualityCode;
			addToReport(report, QUALITY_CODES[code], code, dateOrder.rows, dateOrder.example ? [dateOrder.example] : []);
		}
		const outcomes = format === 'mapped' ? await readMapping(engine, stagedText, files[0]!.file.name, plan, report) : undefined;
		const legValues = format === 'legs' ? await readLegMapping(engine, stage, files[0]!.file.name, plan, report, preset) : undefined;
		const assemblyContext = {
			stage,
			columns,
			mapping: plan.mapping,
			offsetSeconds: plan.utcOffsetSeconds,
			dateOrder: dateOrder?.order,
			outcomes,
			legValues,
			preset,
			typed: clean?.typed
		};
		const assembly = assembleCalls(format, assemblyContext);
		for (const exclusion of assembly.exclusions) {
			doing = { key: 'hint.step_exclusion', values: { code: exclusion.code } };
			const found = await findRows(engine, stage, exclusion.where, exclusion.value, '__file', '__line');
			if (!found.count) continue;
			addToReport(report, 'excluded', exclusion.code, found.count, found.examples);
			await engine.exec(`DELETE FROM ${stage} WHERE ${exclusion.where}`);
		}
		// Over the clean stage, one pass says which checks find anything (rows only leave the stage
		// from here on, so a check that finds none now finds none later); only those run.
		const finds = clean ? await checksWithRows(engine, stage, assembly.checks) : null;
		for (const [i, check] of assembly.checks.entries()) {
			if (finds && !finds[i]) continue;
			doing = { key: 'hint.step_check', values: { column: check.column, check: check.problem } };
			await badRows(engine, stage, check.bad, quoteIdent(check.column), { problem: check.problem, column: check.column }, note, '__file', '__line');
		}

		step = measureImport('checks', step);
		doing = { key: 'hint.step_assemble' };
		// A queue_log's agent events are kept beside its calls (agent states and occupancy).
		if (format === 'queue_log') await engine.exec(`CREATE TABLE ${agents} AS ${agentEventsSelect(assemblyContext)}`);
		await engine.exec(`CREATE TABLE ${work} AS ${assembly.select}`);
		await engine.exec(`DROP VIEW IF EXISTS ${stage}_text; DROP TABLE ${stage}`);
		// Before the review leaves outbound calls out: they tell which callers were called back.
		await markCallbacks(engine, work);
		await tallyRules(engine, work, assembly.tallies ?? [], report);
		step = measureImport('assemble', step);
		doing = { key: 'hint.step_review' };
		await reviewCalls(engine, work, plan, report, note, assembly.noteValue);
		await silentZeroGuards(engine, work, report);
		step = measureImport('review', step);

		doing = { key: 'hint.step_order' };
		// One file's rows from the clean reader are in line order already (DuckDB keeps insertion order).
		const inOrder = clean && files.length === 1;
		// The clean reader's calls stay compressed (a tenth of their size in the default in-memory
		// database), the dataset's name a view over them; its stored copy replaces both once saved.
		heldIn = clean && into ? into : undefined;
		const kept = heldIn ? `${heldIn}.main.${target}` : target;
		await engine.exec(`CREATE TABLE ${kept} AS SELECT ${CANONICAL_COLUMNS.join(', ')} FROM ${work}${inOrder ? '' : ' ORDER BY source_file, source_line'}`);
		if (heldIn) await engine.exec(`CREATE VIEW ${target} AS SELECT * FROM ${kept}`);
		await engine.exec(`DROP TABLE ${work}`);
		measureImport('order', step);

		const [summary] = await engine.query<{ rows: number; from: string | null; to: string | null }>({
			sql: `SELECT count(*) AS rows, strftime(min(arrival), '%Y-%m-%d %H:%M:%S') AS "from", strftime(max(arrival), '%Y-%m-%d %H:%M:%S') AS "to" FROM ${target}`,
			params: []
		});
		if (!summary || Number(summary.rows) === 0) throw new ImportError({ problem: 'empty', file: files.map((f) => f.file.name).join(', ') });
		report.calls = Number(summary.rows);
		return {
			table: target,
			rows: Number(summary.rows),
			skipped,
			quality: report,
			from: summary.from,
			to: summary.to,
			...(clean ? { cleanRead: true } : {}),
			...(heldIn ? { heldIn } : {})
		};
	} catch (error) {
		await engine
			.exec(
				`DROP VIEW IF EXISTS ${stage}_text; DROP TABLE IF EXISTS ${stage}; DROP TABLE IF EXISTS ${work}; ${dropImportedSql({ table: target, heldIn })}; DROP TABLE IF EXISTS ${agents}`
			)
			.catch(() => {});
		throw asImportError(error, files.map((f) => f.file.name).join(', '), doing);
	}
}

/**
 * Attaches (once) an in-memory database that stores its tables compressed, as a database file
 * does; null where the engine has no such option. Measured on DuckDB-WASM 1.32 (DuckDB 1.4.3), a
 * generated file of 1,000,000 calls: the canonical table takes 202 MB of memory in the default
 * in-memory database, 25 MB in a compressed one; the clean reader's stage and working table there
 * keep a 10,000,000-call import inside DuckDB-WASM's 3.1 GiB (docs/performance.md).
 */
async function compressedDatabase(engine: Engine, name: string): Promise<string | null> {
	const database = tableName(name);
	try {
		await engine.exec(`ATTACH IF NOT EXISTS ':memory:' AS ${database} (COMPRESS)`);
		return database;
	} catch {
		return null;
	}
}

/** For each check, whether any staged row fails it: one pass over the stage. */
async function checksWithRows(engine: Engine, stage: string, checks: { bad: string }[]): Promise<boolean[]> {
	if (!checks.length) return [];
	const [counts] = await engine.query<Record<string, number>>({
		sql: `SELECT ${checks.map((c, i) => `count(*) FILTER (WHERE ${c.bad}) AS c${i}`).join(', ')} FROM ${stage}`,
		params: []
	});
	return checks.map((_, i) => Number(counts?.[`c${i}`] ?? 0) > 0);
}

interface StageContext {
	signal?: AbortSignal;
	note: (detail: ImportErrorDetail, count?: number) => void;
	progress: (bytesRead: number) => void;
	/** Rows of this file staged so far. */
	staged: (rows: number) => void;
	pieceBytes: number;
	/** Repairs an invalid byte (to U+FFFD) and reports it; without it, an invalid byte stops the import. */
	invalidBytes?: (error: EncodingError) => void;
	pieces: PieceSource;
	/** Counts a footer row the reader refused (see footers.ts); without it, such a row is a bad row. */
	footer?: (example: QualityExample) => void;
	/** The file's layout (set while its text is staged). */
	layout?: CsvLayout;
}

/** Appends one file to the stage table; returns the rows staged. */
async function stageFile(engine: Engine, stage: string, inspection: Inspection, ctx: StageContext): Promise<number> {
	try {
		if (inspection.dump) return await stageDumpFile(engine, stage, inspection, inspection.dump, ctx);
		if (inspection.kind === 'xlsx') return await stageXlsx(engine, stage, inspection, ctx);
		return inspection.kind === 'parquet' ? await stageParquet(engine, stage, inspection, ctx) : await stageText(engine, stage, inspection, ctx);
	} catch (error) {
		if (error instanceof EncodingError)
			throw new ImportError({ problem: 'encoding', file: inspection.file.name, line: error.position.line, detail: error.message });
		throw error;
	}
}

/**
 * Registers CSV bytes, appends them to the stage table with their file and first line,
 * and returns how many rows were appended (DuckDB's INSERT reports it).
 */
async function appendCsv(
	engine: Engine,
	stage: string,
	bytes: Uint8Array,
	reader: string,
	params: SqlParam[],
	select = '*, ?, ? + row_number() OVER ()'
): Promise<number> {
	const name = `import_${Math.random().toString(36).slice(2)}.csv`;
	await engine.registerBuffer(name, bytes);
	try {
		const [inserted] = await engine.query<{ Count: number }>({
			sql: `INSERT INTO ${stage} SELECT ${select} FROM ${reader}`,
			params: [...params, name]
		});
		return Number(inserted?.Count ?? 0);
	} finally {
		await engine.dropFile(name);
	}
}

async function stageParquet(engine: Engine, stage: string, { file, layout, parquet }: Inspection, ctx: StageContext): Promise<number> {
	const source = parquet ?? openParquet(await file.bytes());
	const reader = csvReader(layout.columns, ',', '"', 0, false);
	let rows = 0;
	for (const group of source.groups) {
		throwIfCancelled(ctx.signal);
		// Parquet has no header line: a row's "line" is its row number.
		rows += await appendCsv(engine, stage, rowsToCsv(await source.read(group.start, group.end)), reader, [file.name, group.start]);
		ctx.progress(Math.round((file.size * group.end) / Math.max(1, source.rows)));
		ctx.staged(rows);
	}
	return rows;
}

function stageDumpFile(engine: Engine, stage: string, { file, encoding, layout }: Inspection, dump: DumpSurvey, ctx: StageContext): Promise<number> {
	const cancelled = () => throwIfCancelled(ctx.signal);
	return stageDump(engine, stage, file, encoding, dump, layout.columns, { ...ctx, cancelled });
}

/**
 * A workbook's sheet, in pieces of CSV whose first field is each row's sheet line (titles,
 * blank rows and the header are not records, so lines are not consecutive).
 */
async function stageXlsx(engine: Engine, stage: string, { file, layout, sheet }: Inspection, ctx: StageContext): Promise<number> {
	const reader = csvReader(['__line', ...layout.columns], ',', '"', 0, false);
	let rows = 0;
	for await (const piece of xlsxPieces(file, sheet!, layout.columns, { signal: ctx.signal, progress: ctx.progress, note: ctx.note })) {
		throwIfCancelled(ctx.signal);
		rows += await appendCsv(engine, stage, piece, reader, [file.name], '* EXCLUDE (__line), ?, CAST(__line AS BIGINT)');
		await engine.exec(`DROP TABLE IF EXISTS import_rejects; DROP TABLE IF EXISTS import_scans`);
		ctx.staged(rows);
	}
	return rows;
}

async function stageText(engine: Engine, stage: string, inspection: Inspection, ctx: StageContext): Promise<number> {
	const { file, layout } = inspection;
	const json = inspection.kind === 'jsonl';
	const pieces = ctx.pieces(file, pieceSpec(inspection, ctx.pieceBytes), { signal: ctx.signal, progress: ctx.progress, invalidBytes: ctx.invalidBytes });
	let linesBefore = 0;
	let rows = 0;
	let waited = performance.now();
	for await (const piece of prefetched(pieces)) {
		throwIfCancelled(ctx.signal);
		measureImport('piece', waited);
		// The first piece starts with the title lines (if any) and the header (with a line of types below it).
		const skip = linesBefore === 0 ? headLines(layout) : 0;
		try {
			const reader = json
				? csvReader(layout.columns, ',', '"', 0, false)
				: csvReader(layout.columns, layout.delimiter, layout.quote, skip, VARIABLE_WIDTH.includes(inspection.format));
			let start = performance.now();
			rows += await appendCsv(engine, stage, piece.bytes, reader, [file.name, linesBefore + skip]);
			start = measureImport('parse', start);
			const physical = physicalLines(piece.multiline);
			await collectRejects(engine, stage, file.name, linesBefore, skip, physical, ctx);
			start = measureImport('rejects', start);
			await toPhysicalLines(engine, stage, file.name, linesBefore, piece.multiline);
			measureImport('lines', start);
		} catch (error) {
			if (error instanceof ImportError) throw error;
			throw new ImportError({
				problem: 'malformed',
				file: file.name,
				line: linesBefore + 1,
				hint: { key: 'hint.in_lines_unread', values: { from: linesBefore + 1, to: linesBefore + piece.lines } }
			});
		}
		linesBefore += piece.lines;
		ctx.staged(rows);
		waited = performance.now();
	}
	return rows;
}

/**
 * Each step of a text import as a User Timing measure (`holdline:import`, its step as detail):
 * waiting for the next piece, the database's parse and insert, the rejects, the physical lines;
 * then the checks, assembling the calls, their review and their order.
 * What the bench's import figure is made of. Returns the step's end.
 */
function measureImport(step: 'clean' | 'piece' | 'parse' | 'rejects' | 'lines' | 'checks' | 'assemble' | 'review' | 'order', start: number): number {
	const end = performance.now();
	performance.measure?.('holdline:import', { start, end, detail: step });
	return end;
}

/**
 * The pieces of `source`, reading the next one while the caller works on the current: piece
 * n + 1 is cut out of the file while the database parses piece n.
 */
async function* prefetched<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
	let next = source.next();
	try {
		for (;;) {
			const current = await next;
			if (current.done) return;
			next = source.next();
			next.catch(() => {}); // surfaced when awaited; the caller may stop before that
			yield current.value;
		}
	} finally {
		await source.return(undefined).catch(() => {});
	}
}

/** Formats whose records may stop early (optional trailing fields): missing fields are NULL. */
const VARIABLE_WIDTH: FormatId[] = ['asterisk-cdr', 'queue_log'];

function csvReader(columns: string[], delimiter: string, quote: string, skip: number, padded: boolean): string {
	const types = `{${columns.map((c) => `${quoteLiteral(c)}: 'VARCHAR'`).join(', ')}}`;
	return `read_csv(?, header = false, skip = ${skip}, columns = ${types}, delim = ${quoteLiteral(delimiter)},
	  quote = ${quoteLiteral(quote)}, escape = ${quoteLiteral(quote)}, auto_detect = false, null_padding = ${padded},
	  store_rejects = true, rejects_table = 'import_rejects', rejects_scan = 'import_scans', max_line_size = 10000000)`;
}

/** Record number (1-based within a piece) → its first physical line within the piece. */
function physicalLines(multiline: RecordPiece['multiline']): (record: number) => number {
	return (record) => record + multiline.reduce((sum, m) => (m.record < record ? sum + m.extra : sum), 0);
}

/**
 * Rows are numbered by record; a quoted line break makes a record two lines, so every later
 * row moves down by the breaks before it. Messages then name the line an editor shows.
 */
async function toPhysicalLines(engine: Engine, stage: string, fileName: string, linesBefore: number, multiline: RecordPiece['multiline']) {
	if (!multiline.length) return;
	const records = multiline.map((m) => m.record).join(', ');
	const extras = multiline.map((m) => m.extra).join(', ');
	await engine.query({
		sql: `UPDATE ${stage} SET __line = __line + (
		        SELECT coalesce(sum(m.extra), 0) FROM (SELECT unnest([${records}]) AS record, unnest([${extras}]) AS extra) m
		        WHERE m.record < ${stage}.__line - ?)
		      WHERE __file = ? AND __line > ?`,
		params: [linesBefore, fileName, linesBefore]
	});
}

/**
 * Rows the CSV reader refused (too many or too few fields, an unclosed quote, invalid
 * UTF-8). Kept rows were numbered as if none had been refused; renumber them.
 */
async function collectRejects(
	engine: Engine,
	stage: string,
	fileName: string,
	linesBefore: number,
	skip: number,
	physical: (record: number) => number,
	ctx: StageContext
) {
	const rejects = await engine.query<{
		line: number;
		column_name: string | null;
		column_idx: number;
		error_type: string;
		csv_line: string;
		error_message: string;
	}>({
		sql: `SELECT line, column_name, column_idx, error_type, csv_line, error_message FROM import_rejects ORDER BY line`,
		params: []
	});
	await engine.exec(`DROP TABLE IF EXISTS import_rejects; DROP TABLE IF EXISTS import_scans`);
	if (!rejects.length) return;
	// The reader may list one record several times (one entry per error in it): one skip each.
	const seen = new Set<number>();
	for (const r of rejects) {
		const record = Number(r.line);
		if (seen.has(record)) continue;
		seen.add(record);
		const line = linesBefore + physical(record);
		// A totals row (`Totals,3886`) under a wider header: a footer, not a bad row.
		if (ctx.footer && ctx.layout && looksLikeFooter(splitLine(r.csv_line ?? '', ctx.layout.delimiter, ctx.layout.quote))) {
			ctx.footer({ file: fileName, line, value: (r.csv_line ?? '').trim() });
			continue;
		}
		// A record over many lines is nearly always a quote never closed: say how much it swallowed.
		const extra = physical(record + 1) - physical(record) - 1;
		ctx.note({
			problem: r.error_type === 'INVALID UNICODE' ? 'encoding' : 'malformed',
			file: fileName,
			line,
			column: r.column_name ?? undefined,
			value: r.csv_line,
			hint: extra > 0 ? { key: 'hint.reject_spans', values: { from: line, to: line + extra } } : rejectHint(r.error_type, r.error_message)
		});
	}
	// Rejected record j (1-based, in order) had (its data index − j) kept rows before it; a kept
	// row numbered k therefore sits after every rejected record with that count below k.
	const list = [...seen].map((record) => record - skip).join(', ');
	await engine.query({
		sql: `UPDATE ${stage} SET __line = __line + (
		        SELECT count(*) FROM (SELECT unnest([${list}]) AS rec, generate_subscripts([${list}], 1) AS j) r
		        WHERE r.rec - r.j < ${stage}.__line - ?)
		      WHERE __file = ? AND __line > ?`,
		params: [linesBefore + skip, fileName, linesBefore]
	});
}

/**
 * The reader's reason for refusing a row, in the app's words: its error type, and for a
 * wrong number of fields the two counts its message gives.
 */
function rejectHint(type: string, message: string): Hint {
	switch (type) {
		case 'MISSING COLUMNS':
		case 'TOO MANY COLUMNS': {
			const [expected, found] = (/Expected Number of Columns:?\s*(\d+)\D+(\d+)/i.exec(message) ?? []).slice(1);
			return expected && found ? { key: 'hint.field_count', values: { expected: Number(expected), found: Number(found) } } : { key: 'hint.reject_other' };
		}
		case 'CAST':
			return { key: 'hint.reject_cast' };
		case 'UNQUOTED VALUE':
			return { key: 'hint.reject_unquoted' };
		case 'LINE SIZE OVER MAXIMUM':
			return { key: 'hint.reject_line_size' };
		case 'INVALID UNICODE':
			return { key: 'hint.reject_unicode' };
		default:
			return { key: 'hint.reject_other' };
	}
}

/** The columns whose slashed dates need an order: the mapped dates and times (the known formats write ISO or year-first). */
function timeColumns(plan: ImportPlan): string[] {
	if (plan.format !== 'mapped' && plan.format !== 'legs') return [];
	return [plan.mapping.date, plan.mapping.arrival, plan.mapping.answer, plan.mapping.end].filter((c): c is string => !!c);
}

/**
 * A mapped file's columns, checked before assembly: nearly empty ones are reported, the
 * outcome column's values settled (or the import stops with the list to assign), and the
 * mapping used is kept in the report.
 */
async function readMapping(engine: Engine, stage: string, file: string, plan: ImportPlan, report: QualityReport): Promise<OutcomeValues | undefined> {
	await mostlyEmptyColumns(engine, stage, plan.mapping, report);
	report.mapping = { fields: { ...plan.mapping } };
	if (!plan.mapping.outcome) return undefined;
	const column = plan.mapping.outcome;
	const values = await findOutcomeValues(
		engine,
		stage,
		quoteIdent(column),
		stagedAnswerEvidence(plan.mapping),
		plan.outcomeValues,
		isInvertedFlagColumn(column)
	);
	const settled = settledOutcomes(file, plan.mapping.outcome, values);
	report.mapping.outcomes = values.map((v) => ({ value: v.value, outcome: v.outcome!, basis: v.basis!, rows: v.rows }));
	return settled;
}

/**
 * A leg log's columns, checked before assembly: nearly empty ones reported, the direction and
 * status values settled (or the import stops with the list), the mapping used kept in the report.
 */
async function readLegMapping(engine: Engine, stage: string, file: string, plan: ImportPlan, report: QualityReport, preset: LegPreset | null) {
	await mostlyEmptyColumns(engine, stage, plan.mapping, report);
	const column = (field: 'direction' | 'status') => {
		const sql = preset?.expressions?.[field] ?? (plan.mapping[field] ? quoteIdent(plan.mapping[field]!) : null);
		return sql ? { sql, name: plan.mapping[field] ?? field } : null;
	};
	const settled = await settleLegColumns(
		engine,
		stage,
		file,
		{ direction: column('direction'), status: column('status') },
		{ direction: plan.directionValues, status: plan.statusValues },
		{ direction: preset?.directionWords, status: preset?.statusWords }
	);
	report.mapping = { fields: { ...plan.mapping }, ...settled.used };
	return settled.classes;
}

function checkSameLayout(files: Inspection[]) {
	const [first, ...rest] = files;
	if (!first) throw new ImportError({ problem: 'empty' });
	for (const other of rest) {
		if (other.format !== first.format || other.layout.columns.join('\u0000') !== first.layout.columns.join('\u0000'))
			throw new ImportError({
				problem: 'mixed_layouts',
				file: other.file.name,
				hint: {
					key: 'hint.layout_differs',
					values: {
						format: other.format,
						columns: other.layout.columns.slice(0, 6).join(', '),
						first: first.file.name,
						firstFormat: first.format,
						firstColumns: first.layout.columns.slice(0, 6).join(', ')
					}
				}
			});
	}
	const names = new Set<string>();
	for (const f of files) {
		if (names.has(f.file.name)) throw new ImportError({ problem: 'mixed_layouts', file: f.file.name, hint: { key: 'hint.same_name' } });
		names.add(f.file.name);
	}
}

/** Why a file needs a mapping: what was tried, what was found, what is still needed. */
function unrecognised({ file, layout }: Inspection, mapping: Mapping): ImportError {
	const guessed = Object.entries(mapping).map(([field, column]) => `${field}=${JSON.stringify(column)}`);
	return new ImportError({
		problem: 'unrecognised',
		file: file.name,
		detail: [
			`tried ${RECOGNISED_LAYOUTS}`,
			`columns found: ${layout.columns
				.slice(0, 40)
				.map((c) => JSON.stringify(c))
				.join(', ')}${layout.columns.length > 40 ? ` … (${layout.columns.length} in all)` : ''}`,
			`still needed: arrival (when the call arrived), or a date column and a time column`,
			`guessed: ${guessed.length ? guessed.join(', ') : 'nothing'}`,
			`map the columns in the mapping step, or on the command line with --map arrival="COLUMN" (and answer, end, wait, talk, outcome, queue, agent, call_id)`
		].join('; ')
	});
}

/** The layouts recognised without a mapping, as the unrecognised-layout message names them. */
export const RECOGNISED_LAYOUTS = MESSAGES.en['import.recognisedLayouts'];

function throwIfCancelled(signal?: AbortSignal) {
	if (signal?.aborted) throw new ImportError({ problem: 'cancelled' });
}

/**
 * Any other error in the app's own words, never the database's: its text is written for the
 * database's developers, not for someone importing calls. Reading the file failed, or the
 * file's columns could not be made into calls at the step named.
 */
function asImportError(error: unknown, file: string, doing: Hint): ImportError {
	if (error instanceof ImportError) return error;
	if (error instanceof EncodingError) return new ImportError({ problem: 'encoding', detail: error.message });
	if (/out of memory|memory access out of bounds|Cannot allocate/i.test(firstLine(error))) return new ImportError({ problem: 'memory', file });
	if (doing.key === 'hint.step_read') return new ImportError({ problem: 'unreadable', file, hint: doing });
	return new ImportError({ problem: 'not_assembled', file, hint: doing });
}
