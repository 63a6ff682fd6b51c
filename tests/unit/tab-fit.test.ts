import { describe, expect, it } from 'vitest';
import {
	CLEAN_STAGING_PER_FILE_BYTE,
	estimateFit,
	MEMORY_PER_CALL,
	STAGING_PER_FILE_BYTE,
	STORED_PER_CALL,
	WASM_MEMORY_MAX,
	type TabLimits
} from '../../src/lib/imports/tab-fit';

const GiB = 1024 ** 3;
const roomy: TabLimits = { deviceMemoryGiB: 16, jsHeapLimit: 4.4e9, storageFree: 100 * GiB };

describe('will an import fit in the tab', () => {
	it('counts rows from the sampled bytes per row, and Parquet rows as stated', () => {
		const fit = estimateFit(
			[
				{ bytes: 111_000_000, bytesPerRow: 111 },
				{ bytes: 5_000_000, rows: 250_000 }
			],
			roomy
		);
		expect(fit.rows).toBe(1_000_000 + 250_000);
		expect(fit.storedBytes).toBe(1_250_000 * STORED_PER_CALL);
		// The calls in memory, plus the staged text: the CSV's size times the staging factor, and Parquet rows as text.
		expect(fit.memoryNeeded).toBe(1_250_000 * MEMORY_PER_CALL + 111_000_000 * STAGING_PER_FILE_BYTE + 250_000 * 110);
		expect(fit.fitsMemory).toBe(true);
		expect(fit.fitsStorage).toBe(true);
	});

	it('never allows more than DuckDB-WASM keeps within 32-bit WebAssembly, however large the machine', () => {
		const fit = estimateFit([{ bytes: 2.2e9, bytesPerRow: 111 }], { deviceMemoryGiB: 64, jsHeapLimit: null, storageFree: null });
		expect(fit.memoryLimit).toBe(WASM_MEMORY_MAX);
		expect(WASM_MEMORY_MAX).toBeLessThan(4 * GiB);
		expect(fit.rows).toBe(Math.round(2.2e9 / 111));
		expect(fit.fitsMemory).toBe(false); // 19.8 M calls: 3.6 GB of calls + 2.2 GB of text staged
	});

	it('reads a .gz file as the text it holds: 100 MB compressed is not 100 MB of calls', () => {
		const plain = estimateFit([{ bytes: 100_000_000, bytesPerRow: 100 }], roomy);
		const gz = estimateFit([{ bytes: 100_000_000, bytesPerRow: 100, compressed: true }], roomy);
		expect(plain.rows).toBe(1_000_000);
		// Call records compress 3.6× to 7.5× (tests/fixtures/real): the estimate assumes the high end, 8×.
		expect(gz.rows).toBe(8_000_000);
		expect(gz.memoryNeeded).toBeGreaterThan(7 * plain.memoryNeeded);
	});

	it('warns before the 10,000,000-call CSV that ran DuckDB-WASM out of memory, and still lets 5,000,000 through', () => {
		// What headless Chromium states on a 24 GiB machine: deviceMemory capped at 8, a 4 GiB JS heap.
		const chromium: TabLimits = { deviceMemoryGiB: 8, jsHeapLimit: 4_294_705_152, storageFree: 100 * GiB };
		// The bench's generated files (seed 1): sizes on disk, 116.9 bytes per row.
		const tenMillion = estimateFit([{ bytes: 1_168_872_358, bytesPerRow: 116.9 }], chromium);
		expect(tenMillion.rows).toBeGreaterThan(9_900_000);
		expect(tenMillion.fitsMemory).toBe(false);
		const fiveMillion = estimateFit([{ bytes: 557_000_000, bytesPerRow: 111.4 }], chromium);
		expect(fiveMillion.rows).toBeGreaterThan(4_900_000);
		expect(fiveMillion.fitsMemory).toBe(true);
	});

	it('lets the 10,000,000-call CSV through when DuckDB’s own reader takes it (staged compressed), not when it goes in pieces', () => {
		const chromium: TabLimits = { deviceMemoryGiB: 8, jsHeapLimit: 4_294_705_152, storageFree: 100 * GiB };
		const file = { bytes: 1_168_872_358, bytesPerRow: 116.9 };
		const clean = estimateFit([{ ...file, cleanRead: true }], chromium);
		expect(clean.memoryNeeded).toBe(clean.rows * MEMORY_PER_CALL + file.bytes * CLEAN_STAGING_PER_FILE_BYTE);
		expect(clean.fitsMemory).toBe(true);
		expect(estimateFit([file], chromium).fitsMemory).toBe(false);
	});

	it('takes the least of the limits the browser states', () => {
		const small = estimateFit([{ bytes: 500_000_000, bytesPerRow: 100 }], { deviceMemoryGiB: 2, jsHeapLimit: 4e9, storageFree: null });
		expect(small.memoryLimit).toBe(1 * GiB); // half of a 2 GiB device
		expect(small.memoryNeeded).toBe(5_000_000 * MEMORY_PER_CALL + 500_000_000 * STAGING_PER_FILE_BYTE);
		expect(small.fitsMemory).toBe(false);
		const heap = estimateFit([{ bytes: 1000, bytesPerRow: 100 }], { deviceMemoryGiB: null, jsHeapLimit: 500, storageFree: null });
		expect(heap.memoryLimit).toBe(500);
		expect(heap.fitsMemory).toBe(false);
	});

	it('says when the stored copy will not fit in the storage left, and assumes room when the browser does not say', () => {
		const full = estimateFit([{ bytes: 11_000_000, bytesPerRow: 110 }], { ...roomy, storageFree: 1_000_000 });
		expect(full.storedBytes).toBe(100_000 * STORED_PER_CALL);
		expect(full.fitsStorage).toBe(false);
		expect(full.fitsMemory).toBe(true);
		expect(estimateFit([{ bytes: 11_000_000, bytesPerRow: 110 }], { ...roomy, storageFree: null }).fitsStorage).toBe(true);
	});

	it('a file whose rows cannot be estimated still counts its staged bytes', () => {
		const fit = estimateFit([{ bytes: 5e9 }], roomy);
		expect(fit.rows).toBe(0);
		expect(fit.memoryNeeded).toBe(5e9 * STAGING_PER_FILE_BYTE);
		expect(fit.fitsMemory).toBe(false);
	});
});
