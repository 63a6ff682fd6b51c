import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openHarness, type Harness } from './harness';
import { expectMasterKpis } from './master-kpis';
import { engine, importFixtures } from '../unit/import-helpers';
import { CSV_HEADER, csvLine, generateCalls } from '$lib/synthetic/generate';

let harness: Harness;
let page: Page;
let scratch: string;

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/imports/${name}`, import.meta.url));
const kpi = (id: string) => page.getByTestId(`kpi-${id}`);

beforeAll(async () => {
	harness = await openHarness();
	page = await harness.newPage();
	scratch = mkdtempSync(join(tmpdir(), 'holdline-stored-'));
});
afterAll(async () => {
	await harness?.close();
	rmSync(scratch, { recursive: true, force: true });
});

/** The origin-private files, name → size and first bytes. */
function storedFiles(p: Page) {
	return p.evaluate(async () => {
		const out: Record<string, { size: number; head: number[] }> = {};
		const dir = await navigator.storage.getDirectory();
		for await (const [name, handle] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
			if (handle.kind !== 'file') continue;
			const file = await (handle as FileSystemFileHandle).getFile();
			out[name] = { size: file.size, head: [...new Uint8Array(await file.slice(0, 16).arrayBuffer())] };
		}
		return out;
	});
}

describe('imported datasets kept in the browser', () => {
	it('are saved as a DuckDB database file, and answer the same after a reload from it', async () => {
		await page.goto(`${harness.baseUrl}/import`);
		await page.getByTestId('import-input').setInputFiles(fixture('Master.csv'));
		await page.getByTestId('import-start').click();
		await page.getByTestId('import-done').waitFor({ timeout: 30_000 });
		const files = await storedFiles(page);
		const names = Object.keys(files);
		expect(names.filter((n) => n.endsWith('.arrow'))).toEqual([]);
		const stored = names.find((n) => /^ds_[a-z0-9]+\.duckdb$/.test(n));
		expect(stored).toBeDefined();
		// A DuckDB file: an 8-byte checksum, then the magic "DUCK".
		expect(String.fromCharCode(...files[stored!]!.head.slice(8, 12))).toBe('DUCK');
		await page.getByTestId('import-view').click();
		await expectMasterKpis(page);

		// A new tab starts a new engine: the dataset can only come from the stored file.
		const id = stored!.replace('.duckdb', '');
		await page.close();
		page = await harness.newPage();
		await page.goto(`${harness.baseUrl}/service?ds=${id}`);
		await expectMasterKpis(page);
		await page.getByTestId('setting-variant').selectOption('exclude');
		await expect.poll(() => kpi('sl').textContent()).toBe('67%'); // 2 of the 3 answered
		expect(harness.errors).toEqual([]);
	});

	it('a dataset saved by an earlier version (an Arrow copy) still opens', async () => {
		// What earlier versions stored: the engine's Arrow IPC stream of the imported calls table.
		const imported = await importFixtures(['Master.csv']);
		const arrow = await (await engine()).exportTable(imported.table);
		const id = 'ds_legacy0arrow';
		await page.evaluate(
			async ({ id, bytes }) => {
				const dir = await navigator.storage.getDirectory();
				const writable = await (await dir.getFileHandle(`${id}.arrow`, { create: true })).createWritable();
				await writable.write(new Uint8Array(bytes));
				await writable.close();
				const list = JSON.parse(localStorage.getItem('holdline.datasets') ?? '[]');
				list.push({
					id,
					name: 'Earlier',
					format: 'asterisk-cdr',
					files: ['Master.csv'],
					rows: 6,
					bytes: bytes.length,
					from: null,
					to: null,
					importedAt: '2026-01-01T00:00:00Z',
					skipped: 0
				});
				localStorage.setItem('holdline.datasets', JSON.stringify(list));
			},
			{ id, bytes: [...arrow] }
		);
		await page.goto(`${harness.baseUrl}/service?ds=${id}`);
		await expectMasterKpis(page);
		expect(harness.errors).toEqual([]);
	});

	it('deleting datasets removes their stored files, of either kind', async () => {
		page.on('dialog', (dialog) => void dialog.accept());
		const before = Object.keys(await storedFiles(page));
		expect(before.some((n) => n.endsWith('.duckdb'))).toBe(true);
		expect(before.some((n) => n.endsWith('.arrow'))).toBe(true);
		// A second tab of the site lists the same datasets, and is told when one is deleted.
		const other = await harness.newPage();
		await other.goto(`${harness.baseUrl}/service`);
		const listed = () => other.getByTestId('dataset-select').locator('option').count();
		await expect.poll(listed).toBe(3); // the story and the two datasets
		for (let i = 0; i < 2; i++) {
			const shown = await page.getByTestId('dataset-select').inputValue();
			expect(shown).toMatch(/^ds_/);
			await page.getByTestId('dataset-delete').click();
			// The list loses the dataset first (the menu is blank for a moment), then the page opens
			// the next one: wait for that, so the next round deletes a dataset and not the blank.
			const next = () => page.getByTestId('dataset-select').inputValue();
			await expect.poll(async () => (await next()) !== shown && (i === 1 || (await next()).startsWith('ds_'))).toBe(true);
		}
		await expect.poll(async () => Object.keys(await storedFiles(page))).toEqual([]);
		await expect.poll(listed).toBe(1);
		await other.close();
		expect(harness.errors).toEqual([]);
	});

	it('warns before an import the tab cannot hold, with the figures, and still lets the user try', async () => {
		const rows = 20_000;
		const lines = [CSV_HEADER];
		for (const call of generateCalls({ rows, seed: 7, start: '2024-03-04', incident: null, completeShare: 1 })) lines.push(csvLine(call));
		const file = join(scratch, 'calls-20000.csv');
		writeFileSync(file, lines.join('\n') + '\n');
		const bytes = readFileSync(file).byteLength;

		// A small device (4 MB of memory) with 1 KB of storage left, as the browser reports them.
		const small = await harness.context.newPage();
		await small.addInitScript(() => {
			Object.defineProperty(Navigator.prototype, 'deviceMemory', { get: () => 4 / 1024 });
			StorageManager.prototype.estimate = async () => ({ quota: 1024, usage: 0 });
		});
		await small.goto(`${harness.baseUrl}/import`);
		await small.getByTestId('import-input').setInputFiles(file);
		const note = small.getByTestId('import-too-large');
		await note.waitFor();
		const memoryText = (await small.getByTestId('import-too-large-memory').textContent())!;
		const figures = (memoryText.match(/[\d,.]+/g) ?? []).map((f) => Number(f.replace(/,/g, '')));
		// Rows estimated from the preview's bytes per row: within 10 % of the rows written.
		expect(Math.abs(figures[0]! - rows) / rows).toBeLessThan(0.1);
		// The tab's limit: half the device's memory, 2 MB.
		expect(memoryText).toContain('2.0 MB');
		// The need: the calls in memory plus the file staged as text, more than the file itself.
		expect(figures[1]!).toBeGreaterThan(bytes / 1024 ** 2);
		expect(await small.getByTestId('import-too-large-storage').textContent()).toContain('1 KB');
		expect(await note.textContent()).toContain('npm run load');
		expect(await note.textContent()).toContain('npm run serve');

		await small.getByTestId('import-start').click();
		await small.getByTestId('import-done').waitFor({ timeout: 60_000 });
		await small.close();
	});
});
