import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { basename } from 'node:path';
import type { GeneratorOptions } from '$lib/synthetic/generate';
import type { SheetLayoutId } from '$lib/synthetic/sheet-layouts';
import { writeLines } from './write-lines';
import { emptySheetTruth, sheetCsvLines, writeSheetXlsx, type SheetOutput, type SheetTruth } from '$lib/synthetic/sheet';

/**
 * `npm run generate -- --format sheet-csv|xlsx`: the layout written to `out` (CSV lines
 * buffered, a large workbook streamed), and its truth as JSON when asked for.
 */
export async function writeSheetFile(
	options: GeneratorOptions,
	layout: SheetLayoutId,
	output: SheetOutput,
	{ titles, out, truth: truthPath }: { titles: boolean; out: string; truth?: string }
): Promise<SheetTruth> {
	const truth = emptySheetTruth(layout);
	// Rows without an id are named after the file, as the importer names them.
	const sheet = { titles, fileName: basename(out) };
	const stream = createWriteStream(out);
	if (output === 'xlsx') await writeSheetXlsx(options, layout, sheet, truth, stream);
	else await writeLines(stream, sheetCsvLines(options, layout, sheet, truth));
	if (!stream.writableFinished) await once(stream, 'finish');
	if (truthPath) {
		const body = { synthetic: true, format: output === 'xlsx' ? 'xlsx' : 'sheet-csv', seed: options.seed, rows: options.rows, titles, ...truth };
		await writeFile(truthPath, JSON.stringify(body) + '\n');
	}
	return truth;
}
