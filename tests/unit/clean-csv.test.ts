import { describe, expect, it } from 'vitest';
import { engine } from './import-helpers';
import { inspectFile } from '$lib/imports/inspect';
import { importFiles, type ImportResult } from '$lib/imports/pipeline';
import { fromBytes, type SourceFile } from '$lib/imports/source';
import { physicalLines } from '$lib/imports/physical-lines';
import { CSV_HEADER, generateText, type DirtOptions } from '$lib/synthetic/generate';

/**
 * The clean-CSV reader (clean-csv.ts) against the pieces: the same files through both ways give
 * the same quality report and the same calls, row by row. Files it takes (clean, or with rows
 * that fail the checks after reading) are read by it; files it does not take go the slow way.
 */

let counter = 0;

function generated(rows: number, seed: number, dirt?: DirtOptions): string[] {
	return [...generateText({ rows, seed, start: '2024-03-01', incident: null, completeShare: 0.5, dirt }, 'csv')];
}

async function both(files: [string, string][]): Promise<{ clean: ImportResult; pieces: ImportResult; cleanRows: unknown[]; pieceRows: unknown[] }> {
	const db = await engine();
	const run = async (fast: boolean) => {
		const sources = files.map(([name, text]) => fromBytes(name, text));
		const inspections = await Promise.all(sources.map((s) => inspectFile(s)));
		const registered = new Map<SourceFile, string>();
		const csvName = async (file: SourceFile) => {
			const name = `clean_${++counter}.csv`;
			await db.registerBuffer(name, await file.bytes());
			registered.set(file, name);
			return name;
		};
		const table = `clean_t_${++counter}`;
		try {
			const result = await importFiles(
				db,
				inspections,
				{ format: inspections[0]!.format, mapping: inspections[0]!.suggested, onBadRows: 'skip', utcOffsetSeconds: 8 * 3600 },
				{ table, pieceBytes: 16384, ...(fast ? { csvName } : {}) }
			);
			const rows = await db.query({ sql: `SELECT * FROM ${table} ORDER BY source_file, source_line`, params: [] });
			// The table's own order (a plain scan keeps it): the file's lines, as the pieces' sort gives them.
			const stored = await db.query({ sql: `SELECT * FROM ${table}`, params: [] });
			expect(stored).toEqual(rows);
			return { result, rows };
		} finally {
			for (const name of registered.values()) await db.dropFile(name);
		}
	};
	const fast = await run(true);
	const slow = await run(false);
	return { clean: fast.result, pieces: slow.result, cleanRows: fast.rows, pieceRows: slow.rows };
}

function expectSame({ clean, pieces, cleanRows, pieceRows }: Awaited<ReturnType<typeof both>>) {
	expect(clean.quality).toEqual(pieces.quality);
	expect(clean.skipped).toEqual(pieces.skipped);
	expect([clean.rows, clean.from, clean.to]).toEqual([pieces.rows, pieces.from, pieces.to]);
	expect(cleanRows.length).toBe(pieceRows.length);
	expect(cleanRows).toEqual(pieceRows);
	expect(pieces.cleanRead).toBeUndefined();
}

/** A record of the generated layout. */
const row = (id: string, arrival: string, answer: string, end: string, wait: string, talk: string, hold = '0', wrap = '10', outcome = 'answered') =>
	`${id},座席一部,S1-001,${arrival},${answer},${end},${wait},${talk},${hold},${wrap},${outcome},synthetic\n`;

describe('the clean-CSV reader', () => {
	it('reads a generated file with clock skew and duplicates as the pieces do', async () => {
		const text = generated(1500, 5, { clockSkew: 0.05, duplicates: 0.05 }).join('');
		const found = await both([['skewed.csv', text]]);
		expect(found.clean.cleanRead).toBe(true);
		expectSame(found);
		// The dirt is there to be found: repairs and merges counted, identically.
		const count = (code: string) => found.clean.quality.entries.find((e) => e.code === code)?.count ?? 0;
		expect(count('clock_skew')).toBeGreaterThan(0);
		expect(count('duplicate_rows')).toBeGreaterThan(0);
	}, 120_000);

	it('keeps line-exact reports for rows that fail the checks after reading', async () => {
		const lines = generated(600, 6);
		// Rows the reader takes, which the checks refuse or repair, at known lines.
		const planted: [number, string][] = [
			[10, row('B1', '', '', '', '5', '60')], // no arrival
			[50, row('B2', '2024-03-01 10:00:00', '2024-03-01 10:00:05', '2024-03-01 10:05:00', '100000', '295')], // wait beyond a day
			[80, row('B3', '2024-03-01 11:00:00', '2024-03-01 10:00:00', '2024-03-01 11:05:00', '0', '300')], // answer an hour before arrival
			[120, row('B4', '1900-01-01 09:00:00', '1900-01-01 09:00:05', '1900-01-01 09:01:00', '5', '55')], // a placeholder year
			[200, row('B5', '2024-03-01 12:00:00', '2024-03-01 12:00:03', '2024-03-01 12:01:00', '3', '-99999.5')], // talk far below zero
			[300, row('B6', '2024-03-01 13:00:00', '2024-03-01 12:59:58', '2024-03-01 13:02:00', '-2', '122')] // clock skew
		];
		for (const [at, text] of planted) lines.splice(at - 1, 0, text);
		lines.push('Totals,,,,,,,,,,,\n');
		const found = await both([['planted.csv', lines.join('')]]);
		expect(found.clean.cleanRead).toBe(true);
		expectSame(found);
		const example = (kind: 'skipped' | 'repaired' | 'excluded', code: string) =>
			found.clean.quality.entries.find((e) => e.kind === kind && e.code === code)?.examples.map((e) => e.line);
		expect(example('skipped', 'required')).toEqual([10]);
		expect(example('skipped', 'duration')).toEqual([50, 200]);
		expect(example('skipped', 'answer_before_arrival')).toEqual([80]);
		expect(example('skipped', 'date_range')).toEqual([120]);
		expect(example('repaired', 'clock_skew')).toContain(300);
		expect(example('excluded', 'footer_rows')).toEqual([lines.length]);
	});

	it('reads two files at once, each with its own lines', async () => {
		const found = await both([
			['a.csv', generated(400, 7).join('')],
			['b.csv', generated(300, 8, { duplicates: 0.1 }).join('')]
		]);
		expect(found.clean.cleanRead).toBe(true);
		expectSame(found);
	});

	const refused: [string, (lines: string[]) => void][] = [
		['a row with a field too many', (l) => l.splice(20, 0, row('R1', '2024-03-01 10:00:00', '', '2024-03-01 10:00:09', '9', '').replace('\n', ',extra\n'))],
		['a blank line', (l) => l.splice(30, 0, '\n')],
		['a quoted line break', (l) => l.splice(40, 0, row('"R2\nsplit"', '2024-03-01 10:00:00', '', '2024-03-01 10:00:09', '9', ''))],
		[
			'a duration the slow way reads otherwise',
			(l) => l.splice(50, 0, row('R3', '2024-03-01 10:00:00', '2024-03-01 10:00:09', '2024-03-01 10:01:00', '1e3', '51'))
		],
		['a time of day without a date', (l) => l.splice(60, 0, row('R4', '10:00:00', '', '', '9', ''))],
		['an impossible date', (l) => l.splice(70, 0, row('R5', '2024-02-30 10:00:00', '', '', '9', ''))],
		['a time with an offset', (l) => l.splice(80, 0, row('R6', '2024-03-01T10:00:00+08:00', '', '', '9', ''))]
	];
	for (const [what, spoil] of refused)
		it(`leaves a file with ${what} to the pieces, with the same result`, async () => {
			const lines = generated(300, 9);
			spoil(lines);
			const found = await both([['spoilt.csv', lines.join('')]]);
			expect(found.clean.cleanRead).toBeUndefined();
			expectSame(found);
		});

	it('names the physical line of a row after blank lines, which the reader passes over', async () => {
		const lines = generated(300, 11);
		lines.splice(29, 0, '\n', '\n'); // lines 30 and 31 are blank
		lines.splice(59, 0, row('B7', '', '', '', '5', '60')); // line 60: no arrival
		const found = await both([['blank-lines.csv', lines.join('')]]);
		expect(found.pieces.quality.entries.find((e) => e.kind === 'skipped' && e.code === 'required')?.examples.map((e) => e.line)).toEqual([60]);
		expectSame(found);
	});

	it('leaves a spreadsheet re-save (slashed dates, CRLF) to the pieces', async () => {
		const found = await both([['resaved.csv', generated(500, 10, { resave: true }).join('')]]);
		expect(found.clean.cleanRead).toBeUndefined();
		expectSame(found);
	});

	it('counts physical lines with or without a last line feed', async () => {
		expect(await physicalLines(fromBytes('a', `${CSV_HEADER}\nx\ny\n`))).toBe(3);
		expect(await physicalLines(fromBytes('b', `${CSV_HEADER}\nx\ny`))).toBe(3);
		expect(await physicalLines(fromBytes('c', `${CSV_HEADER}\r\nx\r\n\r\n`))).toBe(3);
		expect(await physicalLines(fromBytes('d', ''))).toBe(0);
		const stopped = new AbortController();
		stopped.abort();
		await expect(physicalLines(fromBytes('e', `${CSV_HEADER}\nx\n`), stopped.signal)).rejects.toThrow(/stopped/);
	});
});
