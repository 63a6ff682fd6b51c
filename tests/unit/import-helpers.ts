import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openNodeEngine } from '$lib/engine/node';
import type { Engine } from '$lib/engine/types';
import { inspectFile } from '$lib/imports/inspect';
import { DEFAULT_BAD_ROWS, importFiles, type ImportPlan, type ImportResult } from '$lib/imports/pipeline';
import { fromBytes } from '$lib/imports/source';
import type { FormatId } from '$lib/imports/formats';

let shared: Promise<Engine> | undefined;
export const engine = () => (shared ??= openNodeEngine());

export function fixture(name: string): Uint8Array {
	return new Uint8Array(readFileSync(fileURLToPath(new URL(`../fixtures/imports/${name}`, import.meta.url))));
}

let counter = 0;

/** Imports fixtures (or given bytes) into a fresh table with the detected format and the app's defaults. */
export async function importFixtures(
	names: (string | [string, string | Uint8Array])[],
	plan: Partial<ImportPlan> & { format?: FormatId | 'auto' } = {},
	pieceBytes?: number
): Promise<ImportResult> {
	const db = await engine();
	const sources = names.map((n) => (typeof n === 'string' ? fromBytes(n, fixture(n)) : fromBytes(n[0], n[1])));
	const inspections = await Promise.all(sources.map((s) => inspectFile(s, plan.format ?? 'auto')));
	return importFiles(
		db,
		inspections,
		{
			format: inspections[0]!.format,
			mapping: plan.mapping ?? inspections[0]!.suggested,
			onBadRows: plan.onBadRows ?? DEFAULT_BAD_ROWS,
			utcOffsetSeconds: plan.utcOffsetSeconds ?? 8 * 3600,
			clockSkewS: plan.clockSkewS,
			dateOrder: plan.dateOrder,
			outcomeValues: plan.outcomeValues,
			directionValues: plan.directionValues,
			statusValues: plan.statusValues
		},
		{ table: `t_${++counter}`, pieceBytes }
	);
}

/** Stop at the first bad row (the app's option; the default skips and reports). */
export const STRICT = { onBadRows: 'abort' } as const;
