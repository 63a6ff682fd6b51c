import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { GeneratorOptions } from '$lib/synthetic/generate';
import { emptyLegTruth, legLayout, legLines, type LegFileOptions, type LegTruth } from '$lib/synthetic/legs';
import '$lib/synthetic/pbx-vendors';
import { writeLines } from './write-lines';

/**
 * `npm run generate -- --format legs --layout generic` and `--format 3cx|yeastar|smdr|cucm`: a
 * leg log (one row per leg, see docs/pbx-exports.md for the vendors) streamed to `out`, and its
 * per-call truth and counts as JSON when asked for.
 */
export async function writeLegFile(
	options: GeneratorOptions,
	layoutId: string,
	file: LegFileOptions,
	{ out, truth: truthPath, format }: { out: string; truth?: string; format: string }
): Promise<LegTruth> {
	const truth = emptyLegTruth();
	await writeLines(createWriteStream(out), legLines(options, legLayout(layoutId), truth, file));
	const layout = format === layoutId ? {} : { layout: layoutId };
	if (truthPath)
		await writeFile(truthPath, JSON.stringify({ synthetic: true, format, ...layout, seed: options.seed, rows: options.rows, ...file, ...truth }) + '\n');
	return truth;
}
