import { describe, expect, it } from 'vitest';
import { engine } from './import-helpers';
import { inspectFile } from '$lib/imports/inspect';
import { dropImportedSql, importFiles, type ImportProgress, type ImportResult } from '$lib/imports/pipeline';
import { tableExists } from '$lib/engine/table-exists';
import { fromBytes, type SourceFile } from '$lib/imports/source';
import { lineCuts, partsByName } from '$lib/imports/csv-parts';
import { IMPORT_WORK_DATABASE } from '$lib/imports/clean-csv';
import { generateText, type DirtOptions } from '$lib/synthetic/generate';

/**
 * The Import page's way into the clean reader: each file handed to the database in parts cut at
 * line ends (csv-parts.ts), the stage and working table kept in a compressed in-memory database.
 * Against the pieces, on generated files with rows that fail the checks: the same calls, the same
 * quality report, line for line.
 */

let counter = 0;

function generated(rows: number, seed: number, dirt?: DirtOptions): string[] {
	return [...generateText({ rows, seed, start: '2024-03-01', incident: null, completeShare: 0.5, dirt }, 'csv')];
}

/** A record of the generated layout. */
const row = (id: string, arrival: string, answer: string, end: string, wait: string, talk: string) =>
	`${id},座席一部,S1-001,${arrival},${answer},${end},${wait},${talk},0,10,answered,synthetic\n`;

interface Run {
	result: ImportResult;
	rows: unknown[];
	progress: ImportProgress[];
	parts: number;
}

async function run(files: [string, string][], parts: boolean): Promise<Run> {
	const db = await engine();
	const sources = files.map(([name, text]) => fromBytes(name, text));
	const inspections = await Promise.all(sources.map((s) => inspectFile(s)));
	const bytes = new Map<SourceFile, Uint8Array>(await Promise.all(sources.map(async (s) => [s, await s.bytes()] as [SourceFile, Uint8Array])));
	let registered = 0;
	const reader = partsByName(
		{
			slice: (file, start, end) => bytes.get(file)?.slice(start, end) ?? null,
			read: async (file, start, end) => bytes.get(file)!.slice(start, end),
			register: async (name, part) => {
				registered++;
				await db.registerBuffer(name, part);
			},
			drop: (name) => db.dropFile(name)
		},
		8192
	);
	const table = `parts_t_${++counter}`;
	const progress: ImportProgress[] = [];
	const result = await importFiles(
		db,
		inspections,
		{ format: inspections[0]!.format, mapping: inspections[0]!.suggested, onBadRows: 'skip', utcOffsetSeconds: 8 * 3600 },
		{
			table,
			pieceBytes: 16384,
			onProgress: (p) => progress.push(p),
			...(parts ? { csvName: reader.csvName, compressedWork: IMPORT_WORK_DATABASE } : {})
		}
	).finally(() => reader.release());
	const rows = await db.query({ sql: `SELECT * FROM ${table} ORDER BY source_file, source_line`, params: [] });
	return { result, rows, progress, parts: registered };
}

describe('a clean CSV read in parts', () => {
	it('cuts at line ends, the parts making up the whole', async () => {
		const text = new TextEncoder().encode(generated(300, 3).join(''));
		for (const partBytes of [1, 100, 4096, text.byteLength - 1, text.byteLength, text.byteLength * 2]) {
			const cuts = await lineCuts(text.byteLength, partBytes, async (start, end) => text.slice(start, end));
			expect(cuts.at(-1)).toBe(text.byteLength);
			for (const [i, cut] of cuts.entries()) {
				expect(cut).toBeGreaterThan(cuts[i - 1] ?? 0);
				if (cut < text.byteLength) expect(text[cut - 1]).toBe(10);
			}
		}
		// Parts of a byte are a line each.
		const lines = text.filter((b) => b === 10).length;
		expect(await lineCuts(text.byteLength, 1, async (start, end) => text.slice(start, end))).toHaveLength(lines);
	});

	it('gives the pieces’ calls and quality report, with line-exact reports of bad rows', async () => {
		const lines = generated(1200, 11, { clockSkew: 0.05, duplicates: 0.05 });
		const planted: [number, string][] = [
			[10, row('B1', '', '', '', '5', '60')], // no arrival
			[150, row('B2', '2024-03-01 10:00:00', '2024-03-01 10:00:05', '2024-03-01 10:05:00', '100000', '295')], // wait beyond a day
			[400, row('B3', '2024-03-01 11:00:00', '2024-03-01 10:00:00', '2024-03-01 11:05:00', '0', '300')], // answer an hour before arrival
			[700, row('B4', '1900-01-01 09:00:00', '1900-01-01 09:00:05', '1900-01-01 09:01:00', '5', '55')], // a placeholder year
			[1000, row('B5', '2024-03-01 12:00:00', '2024-03-01 12:00:03', '2024-03-01 12:01:00', '3', '-99999.5')] // talk far below zero
		];
		for (const [at, text] of planted) lines.splice(at - 1, 0, text);
		lines.push('Totals,,,,,,,,,,,\n');
		const files: [string, string][] = [
			['planted.csv', lines.join('')],
			['second.csv', generated(500, 12, { duplicates: 0.1 }).join('')]
		];
		const fast = await run(files, true);
		const slow = await run(files, false);
		expect(fast.result.cleanRead).toBe(true);
		expect(slow.result.cleanRead).toBeUndefined();
		// The calls are kept compressed, the table's name a view over them; dropped, both are gone.
		expect(fast.result.heldIn).toBe(IMPORT_WORK_DATABASE);
		expect(slow.result.heldIn).toBeUndefined();
		const db = await engine();
		const held = () => tableExists(db, fast.result.table, IMPORT_WORK_DATABASE);
		expect(await held()).toBe(true);
		expect(fast.parts).toBeGreaterThan(files.length * 2);
		expect(fast.result.quality).toEqual(slow.result.quality);
		expect(fast.result.skipped).toEqual(slow.result.skipped);
		expect([fast.result.rows, fast.result.from, fast.result.to]).toEqual([slow.result.rows, slow.result.from, slow.result.to]);
		expect(fast.rows).toEqual(slow.rows);
		const lineOf = (code: string) => fast.result.quality.entries.find((e) => e.code === code)?.examples.map((e) => [e.file, e.line]);
		expect(lineOf('required')).toEqual([['planted.csv', 10]]);
		expect(lineOf('duration')).toEqual([
			['planted.csv', 150],
			['planted.csv', 1000]
		]);
		expect(lineOf('answer_before_arrival')).toEqual([['planted.csv', 400]]);
		expect(lineOf('date_range')).toEqual([['planted.csv', 700]]);
		expect(lineOf('footer_rows')).toEqual([['planted.csv', lines.length]]);
		await db.exec(dropImportedSql(fast.result));
		expect(await held()).toBe(false);
		await expect(db.query({ sql: `SELECT count(*) FROM ${fast.result.table}`, params: [] })).rejects.toThrow();
		// Progress moved part by part, up to every byte of both files.
		const total = files.reduce((sum, [, text]) => sum + new TextEncoder().encode(text).byteLength, 0);
		const read = fast.progress.map((p) => p.bytesRead);
		expect(read.length).toBeGreaterThan(files.length * 2);
		expect(read).toEqual([...read].sort((a, b) => a - b));
		expect(read.at(-1)).toBe(total);
	}, 120_000);

	it('leaves a file with a quoted line break across parts to the pieces', async () => {
		const lines = generated(400, 13);
		lines.splice(200, 0, row('"R2\nsplit"', '2024-03-01 10:00:00', '', '2024-03-01 10:00:09', '9', ''));
		const files: [string, string][] = [['spoilt.csv', lines.join('')]];
		const fast = await run(files, true);
		const slow = await run(files, false);
		expect(fast.result.cleanRead).toBeUndefined();
		expect(fast.result.quality).toEqual(slow.result.quality);
		expect(fast.rows).toEqual(slow.rows);
	}, 120_000);
});
