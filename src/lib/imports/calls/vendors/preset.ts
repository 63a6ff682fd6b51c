import type { Mapping, MappableField } from '../../canonical';
import { blank, q } from '../sql';

/**
 * A named vendor's leg log, as the leg assembly reads it (LEGS-CONTRACT section 5): the header
 * it is recognised by, its fixed mapping onto the leg fields, SQL for the fields the vendor
 * does not write in a column of their own, and its direction and status words. Structurally the
 * `LegPreset` of leg-presets.ts, which lists these.
 */
export type VendorDirection = 'inbound' | 'outbound' | 'internal' | 'queue';
export type VendorStatus = 'answered' | 'no_answer' | 'busy' | 'failed' | 'voicemail' | 'ivr' | 'closed';
/** The leg fields of the contract beside the call fields (`direction`, `status`, `ring`, `from`, `to`). */
export type VendorField = MappableField | 'direction' | 'status' | 'ring' | 'from' | 'to';

export interface VendorPreset {
	id: string;
	/** Where the format is documented (docs/pbx-exports.md section). */
	source: string;
	signature?: string[];
	matches?: (fields: string[], lines: string[]) => boolean;
	columns?: string[];
	mapping: Mapping & Partial<Record<VendorField, string>>;
	expressions?: Partial<Record<VendorField, string>>;
	directionWords?: Record<string, VendorDirection>;
	statusWords?: Record<string, VendorStatus>;
}

/** A staged column's text, NULL when blank. */
export const cell = (column: string) => blank(q(column));
/** A staged column's text, trimmed and lower-cased ('' when blank). */
export const word = (column: string) => `lower(coalesce(${cell(column)}, ''))`;
