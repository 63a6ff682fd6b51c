import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { openHarness, type Harness } from './harness';
import { engine } from '../unit/import-helpers';
import { gbEncode } from '../fixtures/hostile/corpus';
import { CANONICAL_COLUMNS } from '$lib/imports/canonical';
import { inspectFile } from '$lib/imports/inspect';
import { DEFAULT_BAD_ROWS, importFiles } from '$lib/imports/pipeline';
import { fromBytes } from '$lib/imports/source';

/**
 * The page cuts files into pieces in a worker of its own. A file of three 16 MB pieces,
 * in GB18030 with quoted line breaks, so characters, records and multi-line records meet
 * the cuts: the page's calls must be the command line's (cut elsewhere), and each call on
 * the physical line it was written on. Cancel still stops the import, and the worker.
 */
let harness: Harness;
let page: Page;
let scratch: string;
const FILE = 'pieces-gb18030.csv';
const ROWS = 420_000;
/** Every this many rows, a note over two lines. */
const MULTILINE_EVERY = 997;

beforeAll(async () => {
	harness = await openHarness();
	page = await harness.newPage();
	scratch = mkdtempSync(join(tmpdir(), 'holdline-pieces-'));
});
afterAll(async () => {
	await harness?.close();
	rmSync(scratch, { recursive: true, force: true });
});

/** The file, and the physical line each call id was written on (the header is line 1). */
function callsFile(): { bytes: Uint8Array; lineOf: Map<string, number> } {
	const queues = ['信用卡', '信用卡三', '信用卡五'];
	const lines = ['call_id,queue,agent,arrival,answer,end,outcome,note'];
	const lineOf = new Map<string, number>();
	const start = Date.UTC(2024, 2, 4, 8);
	const at = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
	let line = 2;
	for (let i = 0; i < ROWS; i++) {
		const arrival = start + i * 2000;
		const abandoned = i % 7 === 0;
		const multiline = i % MULTILINE_EVERY === 5;
		const note = multiline ? `"信用卡 ${i}\nsecond line"` : 'plain';
		lines.push(
			[
				`C${i}`,
				queues[i % 3],
				`${i % 2 ? '张三' : '王五'}${i % 40}`,
				at(arrival),
				abandoned ? '' : at(arrival + 10_000),
				at(arrival + (abandoned ? 30_000 : 50_000)),
				abandoned ? 'abandoned' : 'answered',
				note
			].join(',')
		);
		lineOf.set(`C${i}`, line);
		line += multiline ? 2 : 1;
	}
	return { bytes: gbEncode(lines.join('\n') + '\n'), lineOf };
}

/** Every canonical column as text, in file order: comparable between engines of two versions. */
const asText = `SELECT ${CANONICAL_COLUMNS.map((c) => `CAST(${c} AS VARCHAR) AS ${c}`).join(', ')}`;
const ORDER = 'ORDER BY source_file, source_line';

/** The calls of the dataset the page stored (a DuckDB file in origin-private storage), read by native DuckDB. */
async function storedCalls(): Promise<Record<string, string | null>[]> {
	const base64 = await page.evaluate(async () => {
		const dir = await navigator.storage.getDirectory();
		for await (const [name, handle] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
			if (handle.kind !== 'file' || !name.endsWith('.duckdb')) continue;
			const bytes = new Uint8Array(await (await (handle as FileSystemFileHandle).getFile()).arrayBuffer());
			let text = '';
			for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
			return btoa(text);
		}
		return '';
	});
	expect(base64).not.toBe('');
	const path = join(scratch, 'stored.duckdb');
	writeFileSync(path, Buffer.from(base64, 'base64'));
	const db = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
	const connection = await db.connect();
	try {
		return (await connection.runAndReadAll(`${asText} FROM calls ${ORDER}`)).getRowObjectsJS() as Record<string, string | null>[];
	} finally {
		connection.closeSync();
		db.closeSync();
	}
}

/** The same file imported as the command line does, on this thread, in 4 MB pieces (so cut in other places). */
async function nodeCalls(bytes: Uint8Array): Promise<Record<string, unknown>[]> {
	const db = await engine();
	const [inspection] = [await inspectFile(fromBytes(FILE, bytes))];
	const imported = await importFiles(
		db,
		[inspection!],
		{ format: inspection!.format, mapping: inspection!.suggested, onBadRows: DEFAULT_BAD_ROWS, utcOffsetSeconds: 8 * 3600 },
		{ table: 't_pieces', pieceBytes: 4 * 1024 * 1024 }
	);
	return db.query({ sql: `${asText} FROM ${imported.table} ${ORDER}`, params: [] });
}

const pieceWorkers = () => page.workers().filter((w) => w.url().includes('piece-worker'));

describe('files are cut into pieces in a worker', () => {
	const { bytes, lineOf } = callsFile();

	it('a file of several pieces imports the same calls as the command line, each on its physical line', { timeout: 300_000 }, async () => {
		expect(bytes.byteLength).toBeGreaterThan(2 * 16 * 1024 * 1024); // three pieces
		const path = join(scratch, FILE);
		writeFileSync(path, bytes);
		await page.goto(`${harness.baseUrl}/import`);
		await page.getByTestId('import-input').setInputFiles(path);
		await page.getByTestId('import-start').click();
		// The cutting happens in a worker of its own while the import runs.
		await expect.poll(() => pieceWorkers().length, { timeout: 60_000 }).toBe(1);
		await page.getByTestId('import-done').waitFor({ timeout: 240_000 });
		expect(pieceWorkers()).toHaveLength(0);

		const browser = await storedCalls();
		expect(browser).toHaveLength(ROWS);
		const wrongLine = browser.find((row) => Number(row.source_line) !== lineOf.get(row.call_id!));
		expect(wrongLine).toBeUndefined();
		expect(browser.filter((row) => row.queue === '信用卡三')).toHaveLength(ROWS / 3);

		const node = await nodeCalls(bytes);
		expect(node).toHaveLength(ROWS);
		const differs = browser.findIndex((row, i) => CANONICAL_COLUMNS.some((c) => row[c] !== node[i]![c]));
		if (differs >= 0) expect(browser[differs]).toEqual(node[differs]);
		expect(harness.errors).toEqual([]);
	});

	it('cancel stops the import mid-way, and its worker; nothing is stored', { timeout: 180_000 }, async () => {
		const stored = () => page.evaluate(() => JSON.parse(localStorage.getItem('holdline.datasets') ?? '[]').length as number);
		const before = await stored();
		await page.goto(`${harness.baseUrl}/import`);
		await page.getByTestId('import-input').setInputFiles(join(scratch, FILE));
		await page.getByTestId('import-start').click();
		// The file the test above imported: asked before a second copy, and chosen knowingly.
		await page.getByTestId('import-again').click();
		await expect.poll(() => page.getByTestId('import-progress').evaluate((p) => (p as HTMLProgressElement).value), { timeout: 60_000 }).toBeGreaterThan(0);
		expect(pieceWorkers()).toHaveLength(1);
		await page.getByTestId('import-cancel').click();
		await expect.poll(() => page.getByTestId('import-error').textContent()).toContain('导入已取消');
		await expect.poll(() => pieceWorkers().length).toBe(0);
		expect(await stored()).toBe(before);
		expect(harness.errors).toEqual([]);
	});

	it(
		'a gzip file of JSON lines with a damaged byte: unpacked, converted and repaired in the worker, the byte reported with its line',
		{ timeout: 120_000 },
		async () => {
			const at = (minute: number, second: number) => `2024-03-04 09:${String(minute).padStart(2, '0')}:${String(second).padStart(2, '0')}`;
			const records = Array.from({ length: 40 }, (_, i) =>
				Buffer.from(
					JSON.stringify({
						call_id: `J${i}`,
						queue: 'cards',
						agent: `agent${i % 3}`,
						arrival: at(i, 0),
						answer: at(i, 10),
						end: at(i, 50),
						outcome: 'answered'
					})
				)
			);
			// Line 20's agent gets a byte that is never UTF-8.
			const damaged = records[19]!;
			const inAgent = damaged.indexOf('"agent":"') + '"agent":"'.length;
			records[19] = Buffer.concat([damaged.subarray(0, inAgent), Buffer.from([0xff]), damaged.subarray(inAgent)]);
			const path = join(scratch, 'calls.jsonl.gz');
			writeFileSync(path, gzipSync(Buffer.concat(records.flatMap((r) => [r, Buffer.from('\n')]))));
			await page.goto(`${harness.baseUrl}/import`);
			await page.getByTestId('import-input').setInputFiles(path);
			await page.getByTestId('import-start').click();
			await page.getByTestId('import-done').waitFor({ timeout: 60_000 });
			expect(await page.getByTestId('import-done').textContent()).toContain('已导入 40 通电话');
			const repaired = page.locator('[data-testid="quality-entry"][data-code="invalid_bytes"]');
			expect(await repaired.getAttribute('data-count')).toBe('1');
			expect(await repaired.textContent()).toContain('calls.jsonl.gz:20');
			expect(await repaired.textContent()).toContain('0xFF');
			expect(harness.errors).toEqual([]);
		}
	);
});
