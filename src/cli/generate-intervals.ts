import { writeFile } from 'node:fs/promises';
import type { GeneratorOptions } from '$lib/synthetic/generate';
import { INTERVAL_LAYOUTS, type IntervalLayoutId } from '$lib/imports/intervals/layouts';
import { intervalReport } from '$lib/synthetic/intervals';

/** `npm run generate -- --format intervals`: the report written to `out`, its truth as JSON when asked for; the rows written. */
export async function writeIntervalFile(
	options: GeneratorOptions,
	layout: string,
	interval: string,
	{ out, truth: truthPath }: { out: string; truth?: string }
): Promise<number> {
	if (!INTERVAL_LAYOUTS.includes(layout as IntervalLayoutId)) throw new Error(`--format intervals takes --layout ${INTERVAL_LAYOUTS.join('|')}`);
	const minutes = Number(interval);
	if (![15, 30, 60].includes(minutes)) throw new Error('--interval must be 15, 30 or 60 (minutes)');
	const { lines, truth } = intervalReport(options, layout as IntervalLayoutId, minutes);
	await writeFile(out, lines.join('\n') + '\n');
	if (truthPath) {
		const body = { synthetic: true, format: 'intervals', layout, interval: minutes, seed: options.seed, rows: options.rows, intervals: truth };
		await writeFile(truthPath, JSON.stringify(body) + '\n');
	}
	return truth.length;
}
