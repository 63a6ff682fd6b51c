/**
 * What the `metrics` and `report` commands share: the import options, their checks and the
 * app's importers run on DuckDB-WASM in Node; the metric settings and times.
 */
import { readFileSync } from 'node:fs';
import { MAPPABLE_FIELDS, type Mapping } from '$lib/imports/canonical';
import { FORMAT_IDS, type FormatId } from '$lib/imports/formats';
import { inspectFile } from '$lib/imports/inspect';
import { fromDisk } from '$lib/imports/node-source';
import type { SourceFile } from '$lib/imports/source';
import { UnknownSheetError } from '$lib/imports/xlsx';
import { importFiles } from '$lib/imports/pipeline';
import { DEFAULT_CLOCK_SKEW_S } from '$lib/imports/quality';
import { DATE_ORDER_CHOICES, type DateOrderChoice } from '$lib/imports/date-order';
import { parseMappingFile } from '$lib/imports/saved-mappings';
import type { Engine } from '$lib/db/types';
import { SL_VARIANTS, type ServiceSettings, type SlVariant } from '$lib/metrics/service';

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
	sheet: { type: 'string' }
} as const;

export const IMPORT_USAGE = `[--format auto|${FORMAT_IDS.join('|')}] [--utc-offset HOURS] [--map FIELD=COLUMN]… [--mapping FILE.json]
       [--clock-skew 5] [--date-order auto|dmy|mdy] [--strict] [--sheet NAME]
  --date-order: how 03/04/2024 is read (auto: from the data, day-first when nothing settles it).
  --sheet: the sheet of an Excel workbook (.xlsx) to read (default: the one with the most rows).`;

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
}

/** Checks the import options; throws UsageError with what is wrong. */
export function importSettings(values: ImportValues, files: string[]): ImportSettings {
	if (!files.length) throw new UsageError('no input file given');
	const format = (values.format ?? 'auto') as FormatId | 'auto';
	if (format !== 'auto' && !FORMAT_IDS.includes(format)) throw new UsageError(`unknown --format ${JSON.stringify(format)}`);
	if (values.strict && values['skip-bad-rows']) throw new UsageError('--strict and --skip-bad-rows contradict each other');
	let mapping: Mapping | null = null;
	if (values.mapping) {
		try {
			mapping = parseMappingFile(readFileSync(values.mapping, 'utf8')).mapping;
		} catch (error) {
			throw new UsageError(`--mapping ${values.mapping}: ${error instanceof Error ? error.message : String(error)}`);
		}
	}
	for (const pair of values.map ?? []) {
		const m = /^([a-z_]+)=(.+)$/.exec(pair);
		if (!m || !(MAPPABLE_FIELDS as readonly string[]).includes(m[1]!))
			throw new UsageError(`--map takes FIELD=COLUMN with FIELD one of ${MAPPABLE_FIELDS.join(', ')}, not ${JSON.stringify(pair)}`);
		mapping = { ...mapping, [m[1]!]: m[2]!.replace(/^"(.*)"$/, '$1') };
	}
	if (mapping && format !== 'auto' && format !== 'mapped') throw new UsageError(`--map and --mapping are for the mapped format, not --format ${format}`);
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
		sheet: values.sheet
	};
}

/** Imports the files into `table` with the app's importers; resolves to the import's result and the format used. */
export async function importFromDisk(engine: Engine, settings: ImportSettings, table: string) {
	const sources = await Promise.all(settings.files.map(fromDisk));
	const inspections = [];
	for (const source of sources) inspections.push(await inspectSheet(source, settings));
	const first = inspections[0]!;
	const result = await importFiles(
		engine,
		inspections,
		{
			format: first.format,
			mapping: settings.mapping ? { ...first.suggested, ...settings.mapping } : first.suggested,
			onBadRows: settings.strict ? 'abort' : 'skip',
			utcOffsetSeconds: settings.utcOffsetSeconds,
			clockSkewS: settings.clockSkewS,
			dateOrder: settings.dateOrder
		},
		{ table }
	);
	// The generator marks its files with a `synthetic` column (as the Import page tells them).
	return { result, format: first.format, synthetic: first.layout.columns.includes('synthetic') };
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
