import { MAPPABLE_FIELDS, type Mapping } from './canonical';
import { DIRECTION_CLASSES, STATUS_CLASSES, type DirectionValues, type StatusValues } from './leg-values';

/** Mappings the user confirmed, keyed by the file's header, so the same export maps itself next time. */
const KEY = 'holdline.mappings';

export function headerSignature(columns: string[]): string {
	return columns.join('\u001f');
}

export function savedMapping(columns: string[]): Mapping | null {
	try {
		const all = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, Mapping>;
		const mapping = all[headerSignature(columns)];
		if (!mapping) return null;
		// Only fields we know, naming columns the file has.
		return Object.fromEntries(
			Object.entries(mapping).filter(([field, column]) => (MAPPABLE_FIELDS as readonly string[]).includes(field) && columns.includes(column as string))
		) as Mapping;
	} catch {
		return null;
	}
}

export function saveMapping(columns: string[], mapping: Mapping): void {
	try {
		const all = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, Mapping>;
		all[headerSignature(columns)] = mapping;
		localStorage.setItem(KEY, JSON.stringify(all));
	} catch {
		// Storage full or blocked: the mapping still applies to this import.
	}
}

/**
 * A mapping as a file, to keep or hand to the command line (`--mapping FILE.json`):
 * `{ "holdline": "mapping", "version": 1, "columns": [header…], "mapping": { field: column } }`.
 */
export function mappingFileText(columns: string[], mapping: Mapping): string {
	return JSON.stringify({ holdline: 'mapping', version: 1, columns, mapping }, null, 2) + '\n';
}

/** Reads a mapping file (the format above, or a plain `{ field: column }` object); throws a clear Error otherwise. */
export function parseMappingFile(text: string): Mapping {
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch (error) {
		throw new Error(`not JSON: ${error instanceof Error ? error.message : String(error)}`);
	}
	const raw = data && typeof data === 'object' && 'mapping' in data ? (data as { mapping: unknown }).mapping : data;
	if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('expected an object of field → column');
	const mapping: Mapping = {};
	for (const [field, column] of Object.entries(raw)) {
		if (!(MAPPABLE_FIELDS as readonly string[]).includes(field))
			throw new Error(`unknown field ${JSON.stringify(field)} (fields: ${MAPPABLE_FIELDS.join(', ')})`);
		if (typeof column !== 'string' || !column) throw new Error(`field ${field}: the column must be a name, not ${JSON.stringify(column)}`);
		mapping[field as keyof Mapping] = column;
	}
	return mapping;
}

/** A leg log's words as the mapping file keeps them, beside `mapping`: `"directions": { value: class }`, `"statuses": { … }`. */
export interface SavedLegValues {
	directions?: DirectionValues;
	statuses?: StatusValues;
}

/** The mapping file text with a leg log's assigned words added (a file without them reads as before). */
export function mappingFileWithLegValues(columns: string[], mapping: Mapping, values: SavedLegValues): string {
	const base = JSON.parse(mappingFileText(columns, mapping)) as Record<string, unknown>;
	if (values.directions && Object.keys(values.directions).length) base.directions = values.directions;
	if (values.statuses && Object.keys(values.statuses).length) base.statuses = values.statuses;
	return JSON.stringify(base, null, 2) + '\n';
}

/** The leg log's words a mapping file keeps (none in a plain one); throws a clear Error for a class not known. */
export function parseLegValuesFile(text: string): SavedLegValues {
	const data = JSON.parse(text) as Record<string, unknown>;
	const read = <C extends string>(key: string, classes: readonly C[]): Record<string, C> | undefined => {
		const raw = data?.[key];
		if (raw === undefined) return undefined;
		if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`"${key}" must be an object of value → class`);
		for (const [value, c] of Object.entries(raw))
			if (!classes.includes(c as C)) throw new Error(`"${key}": ${JSON.stringify(value)} → ${JSON.stringify(c)} is not one of ${classes.join(', ')}`);
		return raw as Record<string, C>;
	};
	return { directions: read('directions', DIRECTION_CLASSES), statuses: read('statuses', STATUS_CLASSES) };
}
