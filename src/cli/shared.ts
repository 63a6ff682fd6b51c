/**
 * What the `metrics` and `report` commands share: the import options, their checks and the
 * app's importers run on DuckDB-WASM in Node; the metric settings and times.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MAPPABLE_FIELDS, type Mapping, type OutcomeValues } from '$lib/imports/canonical';
import { FORMAT_IDS, type FormatId } from '$lib/imports/formats';
import { inspectFile, type Inspection } from '$lib/imports/inspect';
import { ImportError } from '$lib/imports/errors';
import { fromDisk } from '$lib/imports/node-source';
import type { SourceFile } from '$lib/imports/source';
import { UnknownSheetError } from '$lib/imports/xlsx';
import { importFiles } from '$lib/imports/pipeline';
import { DEFAULT_CLOCK_SKEW_S } from '$lib/imports/quality';
import { DATE_ORDER_CHOICES, type DateOrderChoice } from '$lib/imports/date-order';
import { parseMappingFile, type SavedMapping } from '$lib/imports/saved-mappings';
import { parseOutcomeAssignment } from '$lib/imports/outcome-values';
import { parseLegAssignment, type DirectionValues, type StatusValues } from '$lib/imports/leg-values';
import type { QualityReport } from '$lib/imports/quality';
import { codeText } from './quality-text';
import type { Engine } from '$lib/engine/types';
import type { IntervalSettings } from '$lib/imports/intervals/assemble';
import { INTERVAL_MINUTES } from '$lib/imports/intervals/fields';
import { isIntervalField, mappedIntervals, type IntervalMapping } from '$lib/imports/intervals/mapping';
import { SL_VARIANTS, type ServiceSettings, type SlVariant } from '$lib/metrics/service';
import { isGeneratedFile } from '$lib/imports/generated-file';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake in the command line itself: printed with the usage, exit code 2. */
export class UsageError extends Error {}

/** `parseArgs` options every command that reads files takes. */
export const IMPORT_OPTIONS = {
	format: { type: 'string', default: 'auto' },
	'utc-offset': { type: 'string' },
	'skip-bad-rows': { type: 'boolean', default: false },
	strict: { type: 'boolean', default: false },
	map: { type: 'string', multiple: true },
	mapping: { type: 'string' },
	'clock-skew': { type: 'string' },
	'date-order': { type: 'string', default: 'auto' },
	sheet: { type: 'string' },
	outcome: { type: 'string', multiple: true },
	direction: { type: 'string', multiple: true },
	status: { type: 'string', multiple: true },
	'sl-base': { type: 'string' },
	'sl-threshold': { type: 'string' },
	'interval-length': { type: 'string' }
} as const;

export const IMPORT_USAGE = `[--format auto|${FORMAT_IDS.join('|')}] [--utc-offset HOURS] [--map FIELD=COLUMN]… [--mapping FILE.json]
       [--outcome VALUE=answered|abandoned|unanswered|interrupted|other]… [--clock-skew 5] [--date-order auto|dmy|mdy] [--strict] [--sheet NAME]
  --date-order: how 03/04/2024 is read (auto: from the data, day-first when nothing settles it).
  --outcome: what a value of the mapped outcome column means, where it is not a common word
    (Y, Answered, 已接听, Abandoned …) nor settled by the data; an unassigned value stops the import.
  --direction, --status: a leg log's (one row per leg, a call id and a direction or status mapped)
    direction words (VALUE=inbound|outbound|internal|queue) and status words
    (VALUE=answered|no_answer|busy|failed|voicemail|ivr|closed) not in the built-in lists.
  --strict: stop at the first bad row, and treat a dataset warning (nothing answered, waits
    unknown or all 0, every time at midnight, a mapped column nearly empty) as an error (exit 3).
  --sheet: the sheet of an Excel workbook (.xlsx) to read (default: the one with the most rows).
  --sl-base offered|answered, --sl-threshold SECONDS, --interval-length 15|30|60|1440: for an interval
    report (a row per queue per interval): what its stated service level is a share of and its T
    where the export does not say them, and the interval length where it has no times; --map takes
    interval fields too (offered=COLUMN, answered=, abandoned=, sl_pct=, asa=, aht= …; docs/intervals.md).`;

export interface ImportSettings {
	files: string[];
	format: FormatId | 'auto';
	mapping: Mapping | null;
	clockSkewS: number;
	dateOrder: DateOrderChoice;
	utcOffsetSeconds: number;
	strict: boolean;
	/** The workbook sheet to read (.xlsx); undefined: the one with the most rows. */
	sheet?: string;
	/** `--outcome VALUE=CLASS`: what values of the mapped outcome column mean. */
	outcomeValues: OutcomeValues;
	/** `--direction VALUE=CLASS`, `--status VALUE=CLASS` (and the mapping file's): a leg log's words. */
	directionValues: DirectionValues;
	statusValues: StatusValues;
	/** `--sl-base`, `--sl-threshold`, `--interval-length`: an interval report's settings. */
	intervals?: IntervalSettings;
	/** `--map FIELD=COLUMN` with an interval report's fields: the file is read as an interval report with these columns. */
	intervalMapping?: IntervalMapping;
}

export function nonNegative(name: string, text: string): number {
	const value = Number(text);
	if (!Number.isFinite(value) || value < 0) throw new UsageError(`--${name} must be a non-negative number, not ${JSON.stringify(text)}`);
	return value;
}

/** `parseArgs` options of the commands that serve the built app (`npm start`, `npm run serve`). */
export const SERVE_OPTIONS = {
	port: { type: 'string', default: '4173' },
	host: { type: 'string', default: '127.0.0.1' },
	app: { type: 'string', default: 'build' },
	help: { type: 'boolean', default: false }
} as const;

/** `--port`: 0 (any free port) to 65535. */
export function portNumber(text: string): number {
	const port = nonNegative('port', text);
	if (!Number.isInteger(port) || port > 65535) throw new UsageError(`--port must be 0 to 65535, not ${text}`);
	return port;
}

interface ImportValues {
	format?: string;
	'utc-offset'?: string;
	'skip-bad-rows'?: boolean;
	strict?: boolean;
	map?: string[];
	mapping?: string;
	'clock-skew'?: string;
	'date-order'?: string;
	sheet?: string;
	outcome?: string[];
	direction?: string[];
	status?: string[];
	'sl-base'?: string;
	'sl-threshold'?: string;
	'interval-length'?: string;
}

/** Checks the import options; throws UsageError with what is wrong. */
export function importSettings(values: ImportValues, files: string[]): ImportSettings {
	if (!files.length) throw new UsageError('no input file given');
	const format = (values.format ?? 'auto') as FormatId | 'auto';
	if (format !== 'auto' && !FORMAT_IDS.includes(format)) throw new UsageError(`unknown --format ${JSON.stringify(format)}`);
	if (values.strict && values['skip-bad-rows']) throw new UsageError('--strict and --skip-bad-rows contradict each other');
	let mapping: Mapping | null = null;
	let saved: Omit<SavedMapping, 'mapping' | 'outcomes'> = {};
	let fileOutcomes: OutcomeValues = {};
	let fileIntervals: IntervalMapping = {};
	if (values.mapping) {
		try {
			const file = parseMappingFile(readFileSync(values.mapping, 'utf8'));
			// A file of interval fields only maps no call field: read as `--map` of those fields would be.
			mapping = file.intervals && !Object.keys(file.mapping).length ? null : file.mapping;
			fileOutcomes = file.outcomes;
			saved = { directions: file.directions, statuses: file.statuses };
			fileIntervals = file.intervals ?? {};
		} catch (error) {
			throw new UsageError(`--mapping ${values.mapping}: ${error instanceof Error ? error.message : String(error)}`);
		}
	}
	const intervalMapping: IntervalMapping = { ...fileIntervals };
	for (const pair of values.map ?? []) {
		const m = /^([a-z_]+)=(.+)$/.exec(pair);
		// An interval report's field (offered, answered, sl_pct, asa …): the file is read as one.
		if (m && !(MAPPABLE_FIELDS as readonly string[]).includes(m[1]!) && isIntervalField(m[1]!)) {
			intervalMapping[m[1]!] = m[2]!.replace(/^"(.*)"$/, '$1');
			continue;
		}
		if (!m || !(MAPPABLE_FIELDS as readonly string[]).includes(m[1]!))
			throw new UsageError(`--map takes FIELD=COLUMN with FIELD one of ${MAPPABLE_FIELDS.join(', ')}, not ${JSON.stringify(pair)}`);
		mapping = { ...mapping, [m[1]!]: m[2]!.replace(/^"(.*)"$/, '$1') };
	}
	if (mapping && format !== 'auto' && format !== 'mapped' && format !== 'legs')
		throw new UsageError(`--map and --mapping are for the mapped format, not --format ${format}`);
	const dateOrder = (values['date-order'] ?? 'auto') as DateOrderChoice;
	if (!DATE_ORDER_CHOICES.includes(dateOrder)) throw new UsageError(`--date-order must be auto, dmy or mdy, not ${JSON.stringify(dateOrder)}`);
	const offset = values['utc-offset'];
	if (offset !== undefined && !Number.isFinite(Number(offset))) throw new UsageError(`--utc-offset must be a number of hours, not ${JSON.stringify(offset)}`);
	return {
		files,
		format: mapping ? 'mapped' : format,
		mapping,
		clockSkewS: values['clock-skew'] !== undefined ? nonNegative('clock-skew', values['clock-skew']) : DEFAULT_CLOCK_SKEW_S,
		dateOrder,
		utcOffsetSeconds: offset !== undefined ? Number(offset) * 3600 : -new Date().getTimezoneOffset() * 60,
		strict: !!values.strict,
		sheet: values.sheet,
		outcomeValues: { ...fileOutcomes, ...outcomeAssignments(values.outcome ?? []) },
		directionValues: { ...saved.directions, ...(legAssignments('direction', values.direction ?? []) as DirectionValues) },
		statusValues: { ...saved.statuses, ...(legAssignments('status', values.status ?? []) as StatusValues) },
		intervals: intervalOptions(values),
		...(Object.keys(intervalMapping).length ? { intervalMapping } : {})
	};
}

/** An interval report's settings from the command line. */
function intervalOptions(values: ImportValues): IntervalSettings {
	const settings: IntervalSettings = {};
	const base = values['sl-base'];
	if (base !== undefined) {
		if (base !== 'offered' && base !== 'answered') throw new UsageError(`--sl-base must be offered or answered, not ${JSON.stringify(base)}`);
		settings.slBase = base;
	}
	const length = values['interval-length'];
	if (length !== undefined) {
		if (!INTERVAL_MINUTES.includes(Number(length)))
			throw new UsageError(`--interval-length must be 15, 30, 60 or 1440 (minutes), not ${JSON.stringify(length)}`);
		settings.intervalMinutes = Number(length);
	}
	const threshold = values['sl-threshold'];
	if (threshold !== undefined) settings.slThreshold = nonNegative('sl-threshold', threshold);
	return settings;
}

function legAssignments(kind: 'direction' | 'status', pairs: string[]): Record<string, string> {
	const values: Record<string, string> = {};
	for (const pair of pairs) {
		try {
			const [value, c] = parseLegAssignment(kind, pair);
			values[value] = c;
		} catch (error) {
			throw new UsageError(error instanceof Error ? error.message : String(error));
		}
	}
	return values;
}

function outcomeAssignments(pairs: string[]): OutcomeValues {
	const values: OutcomeValues = {};
	for (const pair of pairs) {
		try {
			const [value, outcome] = parseOutcomeAssignment(pair);
			values[value] = outcome;
		} catch (error) {
			throw new UsageError(error instanceof Error ? error.message : String(error));
		}
	}
	return values;
}

/** `--strict`: a dataset warning (a figure that would look plausible but says nothing) is an error; exit code 3. */
export class StrictWarning extends Error {}

/** Exit codes: 2 for the command line's own mistakes, 3 for a warning under --strict, 1 for anything else. */
export function exitCode(error: unknown): number {
	return error instanceof UsageError ? 2 : error instanceof StrictWarning ? 3 : 1;
}

/** The mapping a mapped file was read with, in words (the JSON output carries it as quality.mapping). */
export function mappingText(report: QualityReport): string {
	const used = report.mapping;
	if (!used) return '';
	const fields = Object.entries(used.fields).map(([field, column]) => `${field}=${JSON.stringify(column)}`);
	const outcomes = (used.outcomes ?? []).map((o) => `${JSON.stringify(o.value)} → ${o.outcome} (${o.basis}, ${o.rows} rows)`);
	const legValues = (name: string, list: { value: string; class: string; basis: string; rows: number }[] = []) =>
		list.length ? `${name}: ${list.map((v) => `${JSON.stringify(v.value)} → ${v.class} (${v.basis}, ${v.rows} rows)`).join(', ')}` : '';
	return [
		`Mapping used: ${fields.join(', ')}`,
		outcomes.length ? `Outcome values: ${outcomes.join(', ')}` : '',
		legValues('Direction values', used.directions),
		legValues('Status values', used.statuses)
	]
		.filter(Boolean)
		.join('\n');
}

/**
 * Imports the files into `table` with the app's importers; resolves to the import's result and
 * the format used. `native`: the engine is native DuckDB (a load), bound by the machine's memory
 * and disk, not by DuckDB-WASM's limit on a dataset's size.
 */
export async function importFromDisk(engine: Engine, settings: ImportSettings, table: string, { native = false }: { native?: boolean } = {}) {
	const sources = await Promise.all(settings.files.map(fromDisk));
	// A clean CSV is read by DuckDB's own reader straight from the disk (clean-csv.ts).
	const paths = new Map(sources.map((source, i) => [source, resolve(settings.files[i]!)]));
	const inspections = [];
	for (const source of sources) inspections.push(await inspectSheet(source, settings));
	const first = inspections[0]!;
	if (settings.intervalMapping) mapIntervals(inspections, settings);
	const result = await importFiles(
		engine,
		inspections,
		{
			format: first.format,
			mapping: settings.intervalMapping ? {} : settings.mapping ? { ...first.suggested, ...settings.mapping } : first.suggested,
			onBadRows: settings.strict ? 'abort' : 'skip',
			utcOffsetSeconds: settings.utcOffsetSeconds,
			clockSkewS: settings.clockSkewS,
			dateOrder: settings.dateOrder,
			outcomeValues: settings.outcomeValues,
			directionValues: settings.directionValues,
			statusValues: settings.statusValues,
			intervals: settings.intervals
		},
		{ table, csvName: (file) => paths.get(file) ?? null, ...(native ? { maxBytes: Infinity } : {}) }
	);
	if (settings.strict && result.quality.flags.length)
		throw new StrictWarning(`--strict: ${result.quality.flags.map((f) => `${f}: ${codeText(f)}`).join('; ')}`);
	// An interval report's table: what a load records of it (server/load.ts, load-clickhouse.ts).
	const intervals = result.intervals && {
		kind: result.intervals.kind,
		intervalMinutes: result.intervals.intervalMinutes,
		relativeTime: result.intervals.relativeTime
	};
	return { result, format: first.format, synthetic: isGeneratedFile(first), ...intervals };
}

/** Reads the files as interval reports with the mapped columns (a queue and a date mapped as for calls are theirs too). */
function mapIntervals(inspections: Inspection[], settings: ImportSettings) {
	const { queue, date } = settings.mapping ?? {};
	const mapping: IntervalMapping = { ...(queue ? { queue } : {}), ...(date ? { date } : {}), ...settings.intervalMapping };
	for (const inspection of inspections) {
		const found = mappedIntervals(inspection.layout.columns, mapping);
		if ('missing' in found)
			throw new ImportError({
				problem: 'missing_column',
				file: inspection.file.name,
				column: found.missing,
				hint: { key: 'hint.mapped_as', values: { field: found.field } }
			});
		inspection.intervals = found;
		inspection.format = 'mapped';
	}
}

/** Inspects a file; a `--sheet` the workbook does not have is a mistake in the command line, listing its sheets. */
async function inspectSheet(source: SourceFile, settings: ImportSettings) {
	try {
		return await inspectFile(source, settings.format, { sheet: settings.sheet });
	} catch (error) {
		if (error instanceof UnknownSheetError)
			throw new UsageError(
				`--sheet ${JSON.stringify(error.sheet)}: ${source.name} has no such sheet; its sheets: ${error.names.map((n) => JSON.stringify(n)).join(', ')}`
			);
		throw error;
	}
}

/** `parseArgs` options of the metric settings. */
/** Where `metrics` and `report` read calls: files (positionals), or a loaded store (`--engine`, `--dataset`). */
export const SOURCE_OPTIONS = {
	engine: { type: 'string' },
	dataset: { type: 'string' },
	help: { type: 'boolean', default: false }
} as const;

/** Prints the usage for --help (and exits), and refuses files beside --engine or --dataset without it. */
export function checkSource(values: { engine?: string; dataset?: string; help?: boolean }, positionals: string[], usage: string): void {
	if (values.help) {
		console.log(usage);
		process.exit(0);
	}
	if (values.engine && positionals.length) throw new UsageError('give files or --engine, not both');
	if (values.dataset !== undefined && !values.engine) throw new UsageError('--dataset names a dataset of --engine');
}

export const SETTINGS_OPTIONS = {
	threshold: { type: 'string', default: '20' },
	'short-abandon': { type: 'string', default: '5' },
	variant: { type: 'string', default: 'count' },
	onset: { type: 'string' },
	end: { type: 'string' }
} as const;

export const SETTINGS_USAGE = `[--threshold 20] [--short-abandon 5] [--variant ${SL_VARIANTS.join('|')}]
       [--onset "YYYY-MM-DD HH:MM:SS"] [--end "…"]`;

/** 'YYYY-MM-DD HH:MM[:SS]' (or with a T) → 'YYYY-MM-DD HH:MM[:SS]' with a space; undefined → null. */
export function timeOption(name: string, text: string | undefined): string | null {
	if (text === undefined) return null;
	if (!/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$/.test(text))
		throw new UsageError(`--${name} must look like "2008-05-12 14:28:00", not ${JSON.stringify(text)}`);
	return text.replace('T', ' ');
}

/** Checks the metric settings and the incident window. */
export function settingsOptions(values: { threshold?: string; 'short-abandon'?: string; variant?: string; onset?: string; end?: string }): {
	settings: ServiceSettings;
	onset: string | null;
	end: string | null;
} {
	if (!SL_VARIANTS.includes(values.variant as SlVariant)) throw new UsageError(`unknown --variant ${JSON.stringify(values.variant)}`);
	return {
		settings: {
			thresholdS: nonNegative('threshold', values.threshold ?? '20'),
			shortAbandonS: nonNegative('short-abandon', values['short-abandon'] ?? '5'),
			variant: values.variant as SlVariant
		},
		onset: timeOption('onset', values.onset),
		end: timeOption('end', values.end)
	};
}

/** Cell text is the file's: strip control characters (terminal escapes) from everything printed. */
export function printable(text: string): string {
	return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\ufffd');
}

/**
 * The arguments of a command that reads files or asks a store (`metrics`, `report`): the import
 * and settings options, the command's own (`options`), and the source. --help prints `usage`.
 * Asking a store, the import options do not apply, but are checked all the same.
 */
export function parseSourceCommand<const O extends NonNullable<ParseArgsConfig['options']>>(options: O, usage: string, args?: string[]) {
	const { values, positionals } = parseArgs({
		args,
		allowPositionals: true,
		options: { ...IMPORT_OPTIONS, ...SETTINGS_OPTIONS, ...options, ...SOURCE_OPTIONS }
	});
	const source = values as { engine?: string; dataset?: string; help?: boolean };
	checkSource(source, positionals, usage);
	return { values, imports: importSettings(values, source.engine ? ['(store)'] : positionals) };
}
