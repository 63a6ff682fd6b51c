import type { LegPreset } from '../leg-presets';
import { blank, q } from '../sql';

/**
 * A named vendor's leg log, as the leg assembly reads it (LEGS-CONTRACT section 5): the header
 * it is recognised by, its fixed mapping onto the leg fields, SQL for the fields the vendor
 * does not write in a column of their own, and its direction and status words. Structurally the
 * `LegPreset` of leg-presets.ts, which lists these.
 */
export interface VendorPreset extends LegPreset {
	/** Where the format is documented (docs/pbx-exports.md section). */
	source: string;
}

/** A staged column's text, NULL when blank. */
export const cell = (column: string) => blank(q(column));
/** A staged column's text, trimmed and lower-cased ('' when blank). */
export const word = (column: string) => `lower(coalesce(${cell(column)}, ''))`;
