import { isGeneratedFile } from './generated-file';
import type { Engine } from '$lib/engine/types';
import { databaseMemory } from '$lib/engine/memory';
import type { SlBase } from './intervals/fields';
import { needsSlBase } from './intervals/detect';
import { intervalMappingReady, mappedIntervals, type IntervalMapping } from './intervals/mapping';
import { yieldToPage } from '$lib/yield-to-page';
import type { Mapping } from './canonical';
import type { DateOrderChoice } from './date-order';
import { ImportError, type ImportErrorDetail } from './errors';
import type { FormatId } from './formats';
import { inspectFile, type Inspection } from './inspect';
import {
	choose,
	keptValues,
	listedFrom,
	mappingReady,
	noChoices,
	planValues,
	savedChoices,
	valueTables,
	type ListedColumn,
	type ValueKind
} from './mapping-review';
import { agentEventsTable } from './agent-events';
import { DEFAULT_BAD_ROWS, dropImportedSql, importFiles, type ImportPlan, type ImportProgress, type ImportResult } from './pipeline';
import { DEFAULT_CLOCK_SKEW_S, type QualityReport } from './quality';
import { mappingFileText, savedMapping, saveMapping } from './saved-mappings';
import type { SourceFile } from './source';
import { browserLimits, estimateFit, type TabFit, type TabLimits } from './tab-fit';
import type { PieceSource } from './text-pieces';
import { cleanColumns, IMPORT_WORK_DATABASE, type CsvName } from './clean-csv';

/**
 * One import on the Import page, from the files chosen to the dataset saved:
 *
 *   choose ─files→ inspecting ─→ review ─start→ importing ─→ saving ─→ done
 *                      └──────→ failed ←───────────┘   (values without a meaning: back to review)
 *
 * The page draws the state and forwards the user's input; everything that decides is here,
 * so it runs (and is tested) without a browser: the engine, the library and the tab's limits
 * are given.
 */
export type Step = 'choose' | 'inspecting' | 'review' | 'importing' | 'saving' | 'done' | 'failed';

/** An earlier import, as much of it as tells a repeated one and names it. */
export interface EarlierImport {
	id: string;
	name: string;
	files: string[];
	fileSizes?: number[];
	importedAt: string;
}

/** What the library is told to keep of a finished import. */
export interface ImportedDataset {
	id: string;
	name: string;
	format: FormatId;
	files: string[];
	fileSizes: number[];
	rows: number;
	from: string | null;
	to: string | null;
	skipped: number;
	quality: QualityReport;
	synthetic: boolean;
}

export interface SessionLibrary {
	readonly list: readonly EarlierImport[];
	newId(): string;
	save(dataset: ImportedDataset): Promise<unknown>;
}

export interface SessionDeps {
	/** The engine an import into `table` runs on (in the browser, the client's write path). */
	engine(table: string): Engine;
	library: SessionLibrary;
	/** Where text files are cut into pieces (a worker in the browser; this thread if not given). */
	pieces?: PieceSource;
	/** What this tab can hold, for the estimate shown with the preview. */
	limits?: () => Promise<TabLimits>;
	/**
	 * How the engine reads a clean CSV by reference, for one import (csv-parts.ts): given, such a
	 * file is read by DuckDB's own reader (clean-csv.ts), its working tables kept compressed.
	 */
	cleanCsv?: () => { csvName: CsvName; release: () => Promise<void> };
}

/** Seconds an answer may precede its arrival and still be clock skew: whole seconds, 0 to this. */
export const MAX_CLOCK_SKEW_S = 600;

export type FinishedImport = ImportResult & { id: string; name: string };

/** The generator marks its files with a `synthetic` column and SYN call ids. */
export class ImportSession {
	step = $state<Step>('choose');
	inspections = $state<Inspection[]>([]);
	mapping = $state<Mapping>({});
	mappingWasSaved = $state(false);
	/** The user's meaning for values of the outcome column, or of a leg log's direction and status columns. */
	choices = $state(noChoices());
	/** Each column's values an import listed when it stopped at unassigned ones (whole-file counts). */
	listed = $state<Partial<Record<ValueKind, ListedColumn>>>({});
	name = $state('');
	onBadRows = $state<ImportPlan['onBadRows']>(DEFAULT_BAD_ROWS);
	/** Seconds an answer may precede its arrival and still be clock skew (repaired); as typed, so maybe not a number. */
	clockSkew = $state<number | null | undefined>(DEFAULT_CLOCK_SKEW_S);
	dateOrder = $state<DateOrderChoice>('auto');
	/** An interval report's stated service level denominator, where its export does not say it ('' until chosen). */
	slBase = $state<SlBase | ''>('');
	/** The user says an unrecognised file is an interval report, and maps its columns to interval fields. */
	intervalMode = $state(false);
	intervalMapping = $state<IntervalMapping>({});
	progress = $state<ImportProgress | null>(null);
	result = $state<FinishedImport | null>(null);
	memory = $state<{ usedBytes: number; limit: string } | null>(null);
	/** The finished import's quality report is drawn (a task after its summary). */
	reportShown = $state(false);
	failure = $state<ImportErrorDetail | null>(null);
	/** Whether the chosen files are expected to fit in this tab (estimated at the preview). */
	fit = $state<TabFit | null>(null);
	/** A dataset imported earlier from files of the same names and sizes: asked about before a second copy. */
	duplicateOf = $state<EarlierImport | null>(null);

	readonly first = $derived(this.inspections[0]);
	// An interval report recognised by its header is read by its names (imports/intervals/), without a mapping.
	readonly needsMapping = $derived(this.first?.format === 'mapped' && !this.first?.intervals);
	/** An interval report states its service level only as a percentage whose denominator its layout does not say: asked. */
	readonly asksSlBase = $derived(!!this.first?.intervals && needsSlBase(this.first.intervals));
	readonly cleanMapping = $derived(Object.fromEntries(Object.entries(this.mapping).filter(([, c]) => c)) as Mapping);
	readonly skewValid = $derived(
		typeof this.clockSkew === 'number' && Number.isInteger(this.clockSkew) && this.clockSkew >= 0 && this.clockSkew <= MAX_CLOCK_SKEW_S
	);
	/** The value tables the review shows (a mapped file's outcome column, a leg log's direction and status columns). */
	readonly tables = $derived(this.first && !this.intervalMode ? valueTables(this.first, this.cleanMapping, this.choices, this.listed) : []);
	/** What the import runs with (the calls preview too). */
	readonly plan = $derived<ImportPlan | null>(
		this.first
			? {
					format: this.first.format,
					mapping: this.intervalMode ? {} : this.cleanMapping,
					onBadRows: this.onBadRows,
					utcOffsetSeconds: -new Date().getTimezoneOffset() * 60,
					clockSkewS: this.skewValid ? (this.clockSkew as number) : DEFAULT_CLOCK_SKEW_S,
					dateOrder: this.dateOrder,
					...(this.slBase ? { intervals: { slBase: this.slBase } } : {}),
					...planValues(this.first.format, this.cleanMapping, this.choices)
				}
			: null
	);
	readonly mappingIsReady = $derived(this.intervalMode ? intervalMappingReady(this.intervalMapping) : mappingReady(this.cleanMapping));
	readonly canStart = $derived((!this.needsMapping || this.mappingIsReady) && this.skewValid && (!this.asksSlBase || this.slBase !== ''));
	/** The review's inputs are open (not while an import runs). */
	readonly editable = $derived(this.step === 'review');
	/** An import under way: leaving the page asks first, and cancels it. */
	readonly running = $derived(this.step === 'importing' || this.step === 'saving');
	/** The share of the files read (all of it while saving). */
	readonly share = $derived(this.step === 'saving' ? 1 : this.progress && this.progress.totalBytes ? this.progress.bytesRead / this.progress.totalBytes : 0);

	private controller: AbortController | null = null;

	constructor(private readonly deps: SessionDeps) {}

	/** Reads the chosen files' layout and format, and opens the review. */
	async inspect(files: SourceFile[]): Promise<void> {
		if (!files.length) return;
		this.step = 'inspecting';
		this.failure = null;
		this.result = null;
		try {
			const found: Inspection[] = [];
			for (const file of files) found.push(await inspectFile(file));
			this.inspections = found;
			// A clean CSV (as guessed, before the review) goes to DuckDB's own reader, which stages it compressed.
			const cleanRead = !!this.deps.cleanCsv && cleanColumns(found, found[0]!.format, found[0]!.suggested) !== null;
			const measured = found.map((i) => ({ bytes: i.file.size, rows: i.parquet?.rows, bytesPerRow: i.bytesPerRow, compressed: i.file.compressed, cleanRead }));
			this.fit = estimateFit(measured, await (this.deps.limits ?? browserLimits)());
			const columns = found[0]!.layout.columns;
			const saved = found[0]!.format === 'mapped' ? savedMapping(columns) : null;
			this.mappingWasSaved = Boolean(saved);
			this.mapping = saved?.mapping ?? { ...found[0]!.suggested };
			this.choices = savedChoices(saved);
			this.slBase = '';
			this.intervalMode = false;
			this.intervalMapping = {};
			this.listed = {};
			this.name = files[0]!.name.replace(/\.[^.]+$/, '') + (files.length > 1 ? ` (+${files.length - 1})` : '');
			this.step = 'review';
		} catch (error) {
			this.fail(error);
		}
	}

	/** The user's meaning for one value of a value table. */
	chooseValue(kind: ValueKind, value: string, meaning: string): void {
		this.choices = choose(this.choices, kind, value, meaning);
	}

	/** The mapping as a file (to keep, or for the command line's `--mapping`). */
	mappingFile(): string | null {
		const first = this.first;
		if (!first) return null;
		const { outcomes, ...legs } = keptValues(first.format, this.cleanMapping, this.choices);
		return mappingFileText(first.layout.columns, this.cleanMapping, outcomes, legs);
	}

	/**
	 * Imports the files and saves the dataset. `again`: the user confirmed a second copy of an
	 * earlier import (otherwise such an import stops at the question).
	 */
	async start(mode = this.onBadRows, again = false): Promise<void> {
		const first = this.first;
		const plan = this.plan;
		if (!first || !plan || !this.skewValid) return;
		this.duplicateOf = again ? null : this.earlierImport();
		if (this.duplicateOf) return;
		this.onBadRows = mode;
		this.step = 'importing';
		this.failure = null;
		this.progress = { file: first.file.name, bytesRead: 0, totalBytes: this.inspections.reduce((s, i) => s + i.file.size, 0), rows: 0 };
		const controller = (this.controller = new AbortController());
		const { library } = this.deps;
		const id = library.newId();
		const engine = this.deps.engine(id);
		try {
			// The import starts a task after the click: its start (the piece worker created, the
			// first statements sent) was 4 ms of the click's task, beside the 9 ms the page takes
			// to switch to its importing state (CPU per click, profiled over six imports).
			await yieldToPage();
			// Mapped by hand as an interval report: each file read with the mapped columns.
			if (this.intervalMode)
				for (const inspection of this.inspections) {
					const found = mappedIntervals(inspection.layout.columns, this.intervalMapping);
					if (!('missing' in found)) inspection.intervals = found;
				}
			const clean = this.deps.cleanCsv?.();
			const imported = await importFiles(
				engine,
				this.inspections,
				{ ...plan, onBadRows: mode },
				{
					table: id,
					signal: controller.signal,
					onProgress: (p) => (this.progress = p),
					pieces: this.deps.pieces,
					...(clean ? { csvName: clean.csvName, compressedWork: IMPORT_WORK_DATABASE } : {})
				}
			).finally(() => clean?.release());
			if (first.format === 'mapped' && !first.intervals && !this.intervalMode) {
				const { outcomes, ...legs } = keptValues(first.format, this.cleanMapping, this.choices);
				saveMapping(first.layout.columns, this.cleanMapping, outcomes, legs);
			}
			// Cancelled (or the page left) while the last step ran: nothing is kept.
			if (controller.signal.aborted) {
				await engine.exec(`${dropImportedSql(imported)}; DROP TABLE IF EXISTS ${agentEventsTable(imported.table)}`).catch(() => {});
				throw new ImportError({ problem: 'cancelled' });
			}
			this.step = 'saving';
			const datasetName = this.name.trim() || first.file.name;
			try {
				await library.save({
					id,
					name: datasetName,
					format: first.format,
					files: this.inspections.map((i) => i.file.name),
					fileSizes: this.inspections.map((i) => i.file.size),
					rows: imported.rows,
					from: imported.from,
					to: imported.to,
					skipped: imported.skipped.count,
					quality: imported.quality,
					synthetic: isGeneratedFile(first),
					...(imported.intervals
						? { kind: 'intervals' as const, intervalMinutes: imported.intervals.intervalMinutes, relativeTime: imported.intervals.relativeTime }
						: {})
				});
			} catch (error) {
				await engine.exec(`${dropImportedSql(imported)}; DROP TABLE IF EXISTS ${agentEventsTable(id)}`).catch(() => {});
				throw error;
			}
			this.result = { ...imported, id, name: datasetName };
			this.memory = await databaseMemory(engine).catch(() => null);
			this.reportShown = false;
			this.step = 'done';
			// The quality report is drawn a task after the summary: both in one task were 23 ms of
			// main-thread CPU after a million rows (trace); apart, 5–7 ms and 7–17 ms.
			await yieldToPage();
			this.reportShown = true;
		} catch (error) {
			this.fail(error);
		} finally {
			this.controller = null;
			this.markEnd();
		}
	}

	/** Stops the import under way (it ends as failed: cancelled, nothing kept). */
	cancel(): void {
		this.controller?.abort();
	}

	/** How the import ended, as a User Timing mark: it outlives the page, which leaving cancels the import with. */
	private markEnd() {
		performance.mark('holdline:import-end', { detail: { step: this.step, problem: this.failure?.problem ?? null } });
	}

	/** From a failure back to the review, the files and choices as they were. */
	review(): void {
		this.step = 'review';
	}

	/** Back to choosing files. */
	reset(): void {
		this.step = 'choose';
		this.inspections = [];
		this.failure = null;
		this.result = null;
	}

	private earlierImport(): EarlierImport | null {
		const names = this.inspections.map((i) => i.file.name).join('\u0000');
		const sizes = this.inspections.map((i) => i.file.size).join(',');
		return this.deps.library.list.find((d) => d.files.join('\u0000') === names && d.fileSizes?.join(',') === sizes) ?? null;
	}

	private fail(error: unknown): void {
		const detail: ImportErrorDetail =
			error instanceof ImportError ? error.detail : { problem: 'unreadable', detail: error instanceof Error ? error.message : String(error) };
		// Values without a meaning (outcomes, a leg log's directions or statuses): back to the
		// review, the whole file's values listed for the user to assign.
		const stoppedAt = this.inspections.length ? listedFrom(detail) : null;
		if (stoppedAt) {
			this.listed = { ...this.listed, [stoppedAt.kind]: stoppedAt };
			this.failure = null;
			this.step = 'review';
			return;
		}
		this.failure = detail;
		this.step = 'failed';
	}
}
