import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import type { GeneratorOptions } from '$lib/synthetic/generate';
import { emptyPbxTruth, pbxLines, type PbxFileOptions, type PbxTruth, type PbxVendorId } from '$lib/synthetic/pbx-vendors';

/**
 * `npm run generate -- --format 3cx|yeastar|smdr|cucm`: a PBX vendor's call log (one row per
 * leg, see docs/pbx-exports.md) written to `out`, and its per-call truth and counts as JSON
 * when asked for.
 */
export async function writePbxFile(
	options: GeneratorOptions,
	vendor: PbxVendorId,
	file: PbxFileOptions,
	{ out, truth: truthPath }: { out: string; truth?: string }
): Promise<PbxTruth> {
	const truth = emptyPbxTruth(vendor);
	const stream = createWriteStream(out);
	let buffer: string[] = [];
	for (const line of pbxLines(options, vendor, file, truth)) {
		buffer.push(line);
		if (buffer.length >= 5000) {
			if (!stream.write(buffer.join(''))) await once(stream, 'drain');
			buffer = [];
		}
	}
	stream.end(buffer.join(''));
	if (!stream.writableFinished) await once(stream, 'finish');
	if (truthPath)
		await writeFile(truthPath, JSON.stringify({ synthetic: true, format: vendor, seed: options.seed, rows: options.rows, ...file, ...truth }) + '\n');
	return truth;
}
