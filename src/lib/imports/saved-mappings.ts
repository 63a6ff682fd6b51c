import { CANONICAL_OUTCOMES, MAPPABLE_FIELDS, type Mapping, type OutcomeValues } from './canonical';
import { DIRECTION_CLASSES, STATUS_CLASSES, type DirectionValues, type StatusValues } from './leg-values';
import { isIntervalField, type IntervalMapping } from './intervals/mapping';

/**
 * Mappings the user confirmed, keyed by the file's header, so the same export maps itself
 * next time: the fields' columns and what the user said the outcome column's values mean.
 */
const KEY = 'holdline.mappings';

/**
 * A mapping with the user's meaning for values (the rest are read by word or from the data):
 * the outcome column's, and a leg log's directions and statuses.
 */
export interface SavedMapping {
	mapping: Mapping;
	outcomes: OutcomeValues;
	directions?: DirectionValues;
	statuses?: StatusValues;
	/** An interval report's fields (offered, answered, sl_pct, asa …) → columns: the file is read as an interval report. */
	intervals?: IntervalMapping;
}

/** The version of the mapping file written; version 1 files (no outcomes) still read. */
export const MAPPING_FILE_VERSION = 2;

export function headerSignature(columns: string[]): string {
	return columns.join('\u001f');
}

/** Stored before outcomes were kept: the mapping itself. */
type Stored = Mapping | Wrapped;
type Wrapped = { mapping: Mapping; outcomes?: OutcomeValues; directions?: DirectionValues; statuses?: StatusValues };

const isWrapped = (value: Stored): value is Wrapped =>
	typeof (value as { mapping?: unknown }).mapping === 'object' && (value as { mapping?: unknown }).mapping !== null;

export function savedMapping(columns: string[]): SavedMapping | null {
	try {
		const all = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, Stored>;
		const stored = all[headerSignature(columns)];
		if (!stored) return null;
		const mapping = isWrapped(stored) ? stored.mapping : stored;
		const outcomes = isWrapped(stored) ? (stored.outcomes ?? {}) : {};
		const known = <C extends string>(values: Record<string, C> | undefined, classes: readonly C[]) =>
			values && Object.fromEntries(Object.entries(values).filter(([, c]) => (classes as readonly string[]).includes(c)));
		const directions = isWrapped(stored) ? known(stored.directions, DIRECTION_CLASSES) : undefined;
		const statuses = isWrapped(stored) ? known(stored.statuses, STATUS_CLASSES) : undefined;
		// Only fields we know, naming columns the file has; only meanings we know.
		return {
			mapping: Object.fromEntries(
				Object.entries(mapping).filter(([field, column]) => (MAPPABLE_FIELDS as readonly string[]).includes(field) && columns.includes(column as string))
			) as Mapping,
			outcomes: Object.fromEntries(Object.entries(outcomes).filter(([, o]) => (CANONICAL_OUTCOMES as readonly string[]).includes(o))),
			...(directions && { directions }),
			...(statuses && { statuses })
		};
	} catch {
		return null;
	}
}

export function saveMapping(columns: string[], mapping: Mapping, outcomes: OutcomeValues = {}, legs: Omit<SavedMapping, 'mapping' | 'outcomes'> = {}): void {
	try {
		const all = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, Stored>;
		all[headerSignature(columns)] = { mapping, outcomes, ...legs };
		localStorage.setItem(KEY, JSON.stringify(all));
	} catch {
		// Storage full or blocked: the mapping still applies to this import.
	}
}

/**
 * A mapping as a file, to keep or hand to the command line (`--mapping FILE.json`):
 * `{ "holdline": "mapping", "version": 2, "columns": [header…], "mapping": { field: column },
 * "outcomes": { value: meaning } }` (`outcomes`: the user's meaning for outcome values).
 */
export function mappingFileText(
	columns: string[],
	mapping: Mapping,
	outcomes: OutcomeValues = {},
	legs: Omit<SavedMapping, 'mapping' | 'outcomes'> = {}
): string {
	const words = Object.fromEntries(Object.entries(legs).filter(([, values]) => values && Object.keys(values).length));
	return JSON.stringify({ holdline: 'mapping', version: MAPPING_FILE_VERSION, columns, mapping, outcomes, ...words }, null, 2) + '\n';
}

/**
 * Reads a mapping file (the format above, version 1 without outcomes, or a plain
 * `{ field: column }` object); throws a clear Error otherwise.
 */
export function parseMappingFile(text: string): SavedMapping {
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch (error) {
		throw new Error(`not JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
	}
	const wrapped = data && typeof data === 'object' && 'mapping' in data;
	if (wrapped) {
		const version = (data as { version?: unknown }).version;
		if (version !== undefined && (typeof version !== 'number' || version > MAPPING_FILE_VERSION))
			throw new Error(`version ${JSON.stringify(version)} is newer than this program reads (${MAPPING_FILE_VERSION})`);
	}
	const raw = wrapped ? (data as { mapping: unknown }).mapping : data;
	if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('expected an object of field → column');
	const mapping: Mapping = {};
	const intervals: IntervalMapping = {};
	for (const [field, column] of Object.entries(raw)) {
		const callField = (MAPPABLE_FIELDS as readonly string[]).includes(field);
		if (!callField && !isIntervalField(field))
			throw new Error(`unknown field ${JSON.stringify(field)} (fields: ${MAPPABLE_FIELDS.join(', ')}; an interval report's: see docs/intervals.md)`);
		if (typeof column !== 'string' || !column) throw new Error(`field ${field}: the column must be a name, not ${JSON.stringify(column)}`);
		// A field both kinds have (queue, date) stays a call field; the import reads it for intervals too.
		if (callField) mapping[field as keyof Mapping] = column;
		else intervals[field as keyof IntervalMapping] = column;
	}
	const interval = Object.keys(intervals).length ? { intervals } : {};
	if (!wrapped) return { mapping, outcomes: {}, ...interval };
	const file = data as Record<string, unknown>;
	const directions = valueClasses(file, 'directions', DIRECTION_CLASSES);
	const statuses = valueClasses(file, 'statuses', STATUS_CLASSES);
	return {
		mapping,
		outcomes: valueClasses(file, 'outcomes', CANONICAL_OUTCOMES) ?? {},
		...(directions && { directions }),
		...(statuses && { statuses }),
		...interval
	};
}

/** A `{ value: class }` block of the file (outcomes, directions, statuses), each class one of `classes`; undefined when absent. */
function valueClasses<C extends string>(file: Record<string, unknown>, key: string, classes: readonly C[]): Record<string, C> | undefined {
	const raw = file[key];
	if (raw === undefined || raw === null) return undefined;
	if (typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${key}: expected an object of value → meaning`);
	const values: Record<string, C> = {};
	for (const [value, meaning] of Object.entries(raw)) {
		if (!(classes as readonly unknown[]).includes(meaning))
			throw new Error(`${key}: the value ${JSON.stringify(value)} must mean one of ${classes.join(', ')}, not ${JSON.stringify(meaning)}`);
		values[value.trim()] = meaning as C;
	}
	return values;
}
