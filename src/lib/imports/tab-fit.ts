/**
 * Will an import fit in this browser tab? Estimated before it starts, from the files and the
 * limits the browser states, so the Import page can say so (with the figures) instead of
 * failing half-way. The limits are arguments: `browserLimits()` reads them from the browser.
 */

const GiB = 1024 ** 3;

/**
 * DuckDB-WASM is 32-bit WebAssembly: its memory can never grow past 4 GiB, whatever the machine
 * has, and DuckDB keeps its buffers to 80 % of that (`current_setting('memory_limit')` in the
 * worker: 3.1 GiB in Chromium here).
 */
export const WASM_MEMORY_MAX = 0.8 * 4 * GiB;

/** Memory DuckDB holds per imported call: 176 MB after importing 1,000,000 (README "Performance"). */
export const MEMORY_PER_CALL = 180;

/**
 * While a text file is imported, its rows are staged as text beside the calls being built
 * (strings kept as read, plus DuckDB's per-string and per-block overhead), freed when the import
 * ends. Counted at twice the file's size: at once, the estimate let a 1.17 GB CSV of 10,000,000
 * calls through, and DuckDB-WASM ran out of its 3.1 GiB while staging it, so the staged text
 * took more than 1.3× the file (3.1 GiB less 1.8 GB of calls); 5,000,000 calls (557 MB), which
 * imported, still pass at 2×.
 */
export const STAGING_PER_FILE_BYTE = 2;

/**
 * A clean CSV read by DuckDB's own reader (clean-csv.ts) is staged typed, in a compressed
 * in-memory database, beside the calls being built: counted at half the file's size (docs/performance.md,
 * "Ten million calls in the tab").
 */
export const CLEAN_STAGING_PER_FILE_BYTE = 0.5;

/** Text bytes per call a Parquet file stages (its size on disk says nothing: it is compressed). */
export const STAGED_BYTES_PER_PARQUET_ROW = 110;

/** The stored copy (a DuckDB file, see `datasets/stored-table.ts`): 18 MB per 1,000,000 calls. */
export const STORED_PER_CALL = 19;

/** Of the machine's memory, the share a tab may sensibly take (the system and other tabs need the rest). */
export const DEVICE_MEMORY_SHARE = 0.5;

export interface FileToImport {
	bytes: number;
	/** Rows the file holds, when it says so (Parquet). */
	rows?: number;
	/** Bytes per row measured in the file's sampled head (text, JSON lines). */
	bytesPerRow?: number;
	/** A `.gz` file: `bytes` is the compressed size, `bytesPerRow` measured on the text inside. */
	compressed?: boolean;
	/** A clean CSV the database's own reader takes (clean-csv.ts): staged compressed. */
	cleanRead?: boolean;
}

/**
 * Text a gzip file is taken to hold per compressed byte: the high end of what call records
 * compress by (3.6× to 7.5× for the real exports in tests/fixtures/real, 6.7× for a generated
 * CSV), so a compressed file is warned about rather than waved through.
 */
export const GZIP_TEXT_RATIO = 8;

/** What the browser allows; null where it does not say. */
export interface TabLimits {
	/** `navigator.deviceMemory`, in GiB (Chromium rounds, and caps it at 8). */
	deviceMemoryGiB: number | null;
	/** `performance.memory.jsHeapSizeLimit` (Chromium). */
	jsHeapLimit: number | null;
	/** `navigator.storage.estimate()`: quota − usage. */
	storageFree: number | null;
}

export interface TabFit {
	rows: number;
	/** Memory the import needs at its peak (the staged text and the calls). */
	memoryNeeded: number;
	/** Memory the tab may use: the least of DuckDB-WASM's limit, the device's share and the JS heap limit. */
	memoryLimit: number;
	storedBytes: number;
	storageFree: number | null;
	fitsMemory: boolean;
	fitsStorage: boolean;
}

export function estimateFit(files: FileToImport[], limits: TabLimits): TabFit {
	let rows = 0;
	let staged = 0;
	for (const file of files) {
		if (file.rows !== undefined) {
			rows += file.rows;
			staged += file.rows * STAGED_BYTES_PER_PARQUET_ROW;
		} else {
			const text = file.compressed ? file.bytes * GZIP_TEXT_RATIO : file.bytes;
			rows += file.bytesPerRow ? Math.round(text / file.bytesPerRow) : 0;
			staged += text * (file.cleanRead ? CLEAN_STAGING_PER_FILE_BYTE : STAGING_PER_FILE_BYTE);
		}
	}
	const memoryNeeded = rows * MEMORY_PER_CALL + staged;
	const memoryLimit = Math.min(
		WASM_MEMORY_MAX,
		limits.deviceMemoryGiB ? limits.deviceMemoryGiB * GiB * DEVICE_MEMORY_SHARE : Infinity,
		limits.jsHeapLimit ?? Infinity
	);
	const storedBytes = rows * STORED_PER_CALL;
	return {
		rows,
		memoryNeeded,
		memoryLimit,
		storedBytes,
		storageFree: limits.storageFree,
		fitsMemory: memoryNeeded <= memoryLimit,
		fitsStorage: limits.storageFree === null || storedBytes <= limits.storageFree
	};
}

/** The limits this browser states (Chromium states all three; others fewer). */
export async function browserLimits(): Promise<TabLimits> {
	const memory = (performance as Performance & { memory?: { jsHeapSizeLimit?: number } }).memory;
	const deviceMemory = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
	const storage = await navigator.storage?.estimate?.().catch(() => undefined);
	return {
		deviceMemoryGiB: typeof deviceMemory === 'number' && deviceMemory > 0 ? deviceMemory : null,
		jsHeapLimit: typeof memory?.jsHeapSizeLimit === 'number' ? memory.jsHeapSizeLimit : null,
		storageFree: storage?.quota !== undefined ? Math.max(0, storage.quota - (storage.usage ?? 0)) : null
	};
}
