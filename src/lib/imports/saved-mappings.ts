import { MAPPABLE_FIELDS, type Mapping } from './canonical';

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
