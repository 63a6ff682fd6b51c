import { CANONICAL_OUTCOMES, MAPPABLE_FIELDS, type CanonicalOutcome, type Mapping, type OutcomeValues } from './canonical';

/**
 * Mappings the user confirmed, keyed by the file's header, so the same export maps itself
 * next time: the fields' columns and what the user said the outcome column's values mean.
 */
const KEY = 'holdline.mappings';

/** A mapping with the user's meaning for outcome values (the rest are read by word or from the data). */
export interface SavedMapping {
	mapping: Mapping;
	outcomes: OutcomeValues;
}

/** The version of the mapping file written; version 1 files (no outcomes) still read. */
export const MAPPING_FILE_VERSION = 2;

export function headerSignature(columns: string[]): string {
	return columns.join('\u001f');
}

/** Stored before outcomes were kept: the mapping itself. */
type Stored = Mapping | { mapping: Mapping; outcomes?: OutcomeValues };

const isWrapped = (value: Stored): value is { mapping: Mapping; outcomes?: OutcomeValues } =>
	typeof (value as { mapping?: unknown }).mapping === 'object' && (value as { mapping?: unknown }).mapping !== null;

export function savedMapping(columns: string[]): SavedMapping | null {
	try {
		const all = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, Stored>;
		const stored = all[headerSignature(columns)];
		if (!stored) return null;
		const mapping = isWrapped(stored) ? stored.mapping : stored;
		const outcomes = isWrapped(stored) ? (stored.outcomes ?? {}) : {};
		// Only fields we know, naming columns the file has; only meanings we know.
		return {
			mapping: Object.fromEntries(
				Object.entries(mapping).filter(([field, column]) => (MAPPABLE_FIELDS as readonly string[]).includes(field) && columns.includes(column as string))
			) as Mapping,
			outcomes: Object.fromEntries(Object.entries(outcomes).filter(([, o]) => (CANONICAL_OUTCOMES as readonly string[]).includes(o)))
		};
	} catch {
		return null;
	}
}

export function saveMapping(columns: string[], mapping: Mapping, outcomes: OutcomeValues = {}): void {
	try {
		const all = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, Stored>;
		all[headerSignature(columns)] = { mapping, outcomes };
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
export function mappingFileText(columns: string[], mapping: Mapping, outcomes: OutcomeValues = {}): string {
	return JSON.stringify({ holdline: 'mapping', version: MAPPING_FILE_VERSION, columns, mapping, outcomes }, null, 2) + '\n';
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
		throw new Error(`not JSON: ${error instanceof Error ? error.message : String(error)}`);
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
	for (const [field, column] of Object.entries(raw)) {
		if (!(MAPPABLE_FIELDS as readonly string[]).includes(field))
			throw new Error(`unknown field ${JSON.stringify(field)} (fields: ${MAPPABLE_FIELDS.join(', ')})`);
		if (typeof column !== 'string' || !column) throw new Error(`field ${field}: the column must be a name, not ${JSON.stringify(column)}`);
		mapping[field as keyof Mapping] = column;
	}
	return { mapping, outcomes: wrapped ? parseOutcomes((data as { outcomes?: unknown }).outcomes) : {} };
}

function parseOutcomes(raw: unknown): OutcomeValues {
	if (raw === undefined || raw === null) return {};
	if (typeof raw !== 'object' || Array.isArray(raw)) throw new Error('outcomes: expected an object of value → meaning');
	const outcomes: OutcomeValues = {};
	for (const [value, outcome] of Object.entries(raw)) {
		if (!(CANONICAL_OUTCOMES as readonly unknown[]).includes(outcome))
			throw new Error(`outcomes: the value ${JSON.stringify(value)} must mean one of ${CANONICAL_OUTCOMES.join(', ')}, not ${JSON.stringify(outcome)}`);
		outcomes[value.trim()] = outcome as CanonicalOutcome;
	}
	return outcomes;
}
