import type { Inspection } from './inspect';

/** The generator's call ids: SYN and nine digits (`generate.ts`). */
const GENERATED_CALL_ID = /^SYN\d{9}$/;

/**
 * Whether a file is the generator's, so its dataset is marked synthetic (on the Import page and
 * on the command line alike): it has the generator's `synthetic` column, or, in a format that
 * has no room for it, the generator's call ids in its first rows.
 */
export function isGeneratedFile({ layout, preview }: Pick<Inspection, 'layout' | 'preview'>): boolean {
	return layout.columns.includes('synthetic') || preview.some((row) => row.some((v) => GENERATED_CALL_ID.test(v)));
}
