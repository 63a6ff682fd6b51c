import type { Engine } from '$lib/engine/types';
import { translate, type Lang } from '$lib/i18n/messages';
import { ImportError } from '$lib/imports/errors';
import { inspectFile } from '$lib/imports/inspect';
import { DEFAULT_BAD_ROWS, importFiles } from '$lib/imports/pipeline';
import { DEFAULT_CLOCK_SKEW_S } from '$lib/imports/quality';
import { fromBytes } from '$lib/imports/source';
import { generateText, type GeneratorOptions } from '$lib/synthetic/generate';
import { yieldToPage } from '$lib/yield-to-page';
import type { SavedDataset } from './library.svelte';

/**
 * "Open a sample month": a calendar month of synthetic calls from the seeded generator, built
 * in the page and imported exactly as the Import page imports a file (inspected, staged,
 * checked, saved in the dataset library), so a newcomer without data of their own sees every
 * page working. It is marked synthetic like any generator file, and built once: opening it
 * again reopens the saved one.
 */

/** The month the sample covers. Fixed, so every sample is the same calls (the seed's). */
export const SAMPLE_MONTH = '2024-03';
/** About 93,000 calls in a 31-day month: a few seconds to build and import in a browser tab. */
export const SAMPLE_CALLS_PER_DAY = 3000;
export const SAMPLE_SEED = 1;
/** The file name the import records; with `synthetic`, what tells a saved sample apart. */
export const SAMPLE_FILE = `holdline-sample-${SAMPLE_MONTH}.synthetic.csv`;
/** Records generated between two progress reports (and two yields to the page). */
const SLICE_ROWS = 10_000;
/** Pieces the import stages the text in: several, so its progress moves. */
const PIECE_BYTES = 2 * 1024 * 1024;

/** Days in a 'YYYY-MM' month. */
export function daysInMonth(month: string): number {
	const [year, m] = month.split('-').map(Number) as [number, number];
	return new Date(Date.UTC(year, m, 0)).getUTCDate();
}

/** The generator's options for a whole month: every day of it, the same number of calls a day. */
export function sampleMonthOptions(month = SAMPLE_MONTH): GeneratorOptions {
	return {
		rows: daysInMonth(month) * SAMPLE_CALLS_PER_DAY,
		callsPerDay: SAMPLE_CALLS_PER_DAY,
		seed: SAMPLE_SEED,
		start: `${month}-01`,
		incident: null,
		completeShare: 0.6
	};
}

/** The sample's name in the user's language (as saved; later language switches keep it). */
export const sampleName = (lang: Lang) => translate(lang, 'sample.name');

/** A sample month saved earlier, if any. */
export function findSample(list: readonly SavedDataset[]): SavedDataset | undefined {
	return list.find((d) => d.synthetic && d.files.length === 1 && d.files[0] === SAMPLE_FILE);
}

export type SampleProgress = { step: 'generating' | 'importing'; rows: number; total: number } | { step: 'saving' };

const cancelled = () => new ImportError({ problem: 'cancelled' });

/**
 * The sample's CSV, written as the generator's command line writes it, in slices between
 * which the page is let draw the progress (and a cancel click be handled).
 */
export async function sampleBytes(
	options: GeneratorOptions,
	{ signal, onRows = () => {} }: { signal?: AbortSignal; onRows?: (rows: number) => void } = {}
): Promise<Uint8Array> {
	const encoder = new TextEncoder();
	const chunks: Uint8Array[] = [];
	let slice: string[] = [];
	let rows = -1; // the header is the first record
	for (const record of generateText(options, 'csv')) {
		slice.push(record);
		if (++rows % SLICE_ROWS !== 0) continue;
		chunks.push(encoder.encode(slice.join('')));
		slice = [];
		onRows(rows);
		await yieldToPage();
		if (signal?.aborted) throw cancelled();
	}
	chunks.push(encoder.encode(slice.join('')));
	onRows(rows);
	const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
	let at = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, at);
		at += chunk.byteLength;
	}
	return bytes;
}

/** What of the dataset library the sample needs (the page passes `library`; tests a stand-in). */
export interface SampleLibrary {
	readonly list: readonly SavedDataset[];
	newId(): string;
	save(meta: Omit<SavedDataset, 'bytes' | 'importedAt'>): Promise<SavedDataset>;
}

export interface SampleContext {
	engine: Engine;
	library: SampleLibrary;
	lang: Lang;
	signal?: AbortSignal;
	onProgress?: (progress: SampleProgress) => void;
}

/**
 * The saved sample month's dataset id: the one saved earlier, else a new one built, imported
 * and saved. Cancelled or failed, nothing is left behind (the import drops its own tables on
 * failure; a table imported but not saved is dropped here, as the Import page does).
 */
export async function openSampleMonth({ engine, library, lang, signal, onProgress = () => {} }: SampleContext): Promise<string> {
	const earlier = findSample(library.list);
	if (earlier) return earlier.id;
	const options = sampleMonthOptions();
	const total = options.rows;
	const bytes = await sampleBytes(options, { signal, onRows: (rows) => onProgress({ step: 'generating', rows, total }) });
	onProgress({ step: 'importing', rows: 0, total });
	const inspection = await inspectFile(fromBytes(SAMPLE_FILE, bytes));
	const id = library.newId();
	const imported = await importFiles(
		engine,
		[inspection],
		{
			format: inspection.format,
			mapping: inspection.suggested,
			onBadRows: DEFAULT_BAD_ROWS,
			utcOffsetSeconds: -new Date().getTimezoneOffset() * 60,
			clockSkewS: DEFAULT_CLOCK_SKEW_S
		},
		{ table: id, signal, pieceBytes: PIECE_BYTES, onProgress: (p) => onProgress({ step: 'importing', rows: p.rows, total }) }
	);
	const drop = () => engine.exec(`DROP TABLE IF EXISTS ${imported.table}`).catch(() => {});
	// Cancelled while the last step ran: nothing is kept.
	if (signal?.aborted) {
		await drop();
		throw cancelled();
	}
	onProgress({ step: 'saving' });
	try {
		await library.save({
			id,
			name: sampleName(lang),
			format: inspection.format,
			files: [SAMPLE_FILE],
			fileSizes: [bytes.byteLength],
			rows: imported.rows,
			from: imported.from,
			to: imported.to,
			skipped: imported.skipped.count,
			quality: imported.quality,
			synthetic: true
		});
	} catch (error) {
		await drop();
		throw error;
	}
	return id;
}
