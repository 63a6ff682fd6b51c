import type { Mapping, MappableField } from '../canonical';
import type { DirectionClass, StatusClass } from '../leg-values';
import { looseName } from './sql';
import { VENDOR_PRESETS } from './vendors';

/**
 * A named vendor's leg log (3CX, Yeastar, …): how its export is recognised, the mapping of its
 * columns onto the leg fields, and the words it writes for directions and statuses. A file
 * whose header a preset recognises is imported as format `legs` without a mapping step; the
 * rules that make legs into calls are the same for every vendor (legs.ts).
 */
export interface LegPreset {
	/** Short name, shown in the report and on the command line: `3cx`, `yeastar`, … */
	id: string;
	/** Header names, compared loosely (case, spaces, dashes, underscores ignored), that must all be present. */
	signature?: string[];
	/** Or a test of the first record's fields and the first lines (for a file without a header). */
	matches?: (fields: string[], lines: string[]) => boolean;
	/** The column names of a file without a header. */
	columns?: string[];
	/** Field → column, as staged (the header's names, or `columns`). */
	mapping: Mapping;
	/** SQL over the staged columns instead of a column, for a field the file does not write as it is. */
	expressions?: Partial<Record<MappableField, string>>;
	/** Lower-cased word → class: the vendor's own words (user assignments still win). */
	directionWords?: Record<string, DirectionClass>;
	statusWords?: Record<string, StatusClass>;
}

/** Every named vendor's preset, tried in order (one line each). */
export const LEG_PRESETS: LegPreset[] = [...VENDOR_PRESETS];

/** The preset whose signature the header has (or whose test the first lines pass), or null. */
export function legPresetFor(columns: string[], lines: string[] = []): LegPreset | null {
	const loose = columns.map(looseName);
	return (
		LEG_PRESETS.find((p) => (p.signature && p.signature.every((name) => loose.includes(looseName(name)))) || (p.matches && p.matches(columns, lines))) ?? null
	);
}

/** The preset named `id`, or null. */
export function legPreset(id: string | undefined): LegPreset | null {
	return LEG_PRESETS.find((p) => p.id === id) ?? null;
}
