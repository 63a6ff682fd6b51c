import type { CsvName, CsvPart } from './clean-csv';
import type { SourceFile } from './source';

/**
 * A clean CSV handed to the database by reference, in parts cut at line ends (clean-csv.ts reads
 * them one after another): the page's thread reads only a few bytes around each cut, never the
 * file's text. In the browser the parts are slices of the user's `File`, read by DuckDB-WASM's
 * worker itself; in the tests, slices of bytes.
 */

/** About this many bytes a part: 1,000,000 generated calls (117 MB) are seven parts, 10,000,000 seventy. */
export const CSV_PART_BYTES = 16 * 1024 * 1024;

/** How far past a nominal cut a line end is looked for: lines longer than this leave that cut out. */
const LOOK_AHEAD = 64 * 1024;

/**
 * Where `size` bytes are cut into parts of about `partBytes`: each cut just after a line feed.
 * `read` gives the bytes from `start` to `end`. The last part ends at `size`.
 */
export async function lineCuts(size: number, partBytes: number, read: (start: number, end: number) => Promise<Uint8Array>): Promise<number[]> {
	const cuts: number[] = [];
	for (let from = 0; from + partBytes < size;) {
		const nominal = from + partBytes;
		// From the byte before the nominal cut: a line feed there cuts exactly at it.
		const feed = (await read(nominal - 1, Math.min(size, nominal - 1 + LOOK_AHEAD))).indexOf(10);
		if (feed === -1) {
			from = nominal;
			continue;
		}
		const cut = nominal + feed;
		if (cut >= size) break;
		cuts.push(cut);
		from = cut;
	}
	cuts.push(size);
	return cuts;
}

/** What reading parts by name needs of the engine: a part registered under a name, and dropped after. */
export interface PartFiles<Part> {
	/** The part of `file` from `start` to `end`, or null when this file cannot be read this way. */
	slice(file: SourceFile, start: number, end: number): Part | null;
	read(file: SourceFile, start: number, end: number): Promise<Uint8Array>;
	register(name: string, part: Part): Promise<void>;
	drop(name: string): Promise<void>;
}

/**
 * A `CsvName` that registers each file's parts; `release` drops every part it registered (call
 * it when the import ends, however it ends).
 */
export function partsByName<Part>(files: PartFiles<Part>, partBytes = CSV_PART_BYTES): { csvName: CsvName; release: () => Promise<void> } {
	const registered: string[] = [];
	let counter = 0;
	const csvName: CsvName = async (file) => {
		if (!files.slice(file, 0, 0)) return null;
		const cuts = await lineCuts(file.size, partBytes, (start, end) => files.read(file, start, end));
		const parts: CsvPart[] = [];
		let start = 0;
		for (const end of cuts) {
			const name = `clean_part_${Date.now().toString(36)}_${++counter}.csv`;
			await files.register(name, files.slice(file, start, end)!);
			registered.push(name);
			parts.push({ name, bytes: end - start });
			start = end;
		}
		return parts;
	};
	const release = async () => {
		for (const name of registered.splice(0)) await files.drop(name).catch(() => {});
	};
	return { csvName, release };
}

/** The browser's parts: slices of the user's `File` (a reference, not a copy), which DuckDB-WASM's worker reads. */
export function browserFileParts(register: (name: string, file: File) => Promise<void>, drop: (name: string) => Promise<void>): PartFiles<File> {
	return {
		slice: (file, start, end) => (file.browserFile ? new File([file.browserFile.slice(start, end)], file.name) : null),
		read: async (file, start, end) => new Uint8Array(await file.browserFile!.slice(start, end).arrayBuffer()),
		register,
		drop
	};
}
