import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateFile, type CallTruth, type GeneratorOptions } from '$lib/synthetic/generate';
import { recordPieces } from '$lib/imports/records';
import type { ImportResult } from '$lib/imports/pipeline';
import { engine, importFixtures } from './import-helpers';
import { chunked } from './helpers';

/**
 * Property-based tests of "Real records, right answers": a file the generator writes with
 * realistic dirt imports as the generator's own per-call truth, and the quality report counts
 * exactly the dirt injected; and the record cutter never splits a record.
 */

type Tuple = [string, string, string | null, string, number, number | null];
const tuple = (c: CallTruth): Tuple => [c.call_id, c.queue, c.agent, c.outcome, c.wait_s, c.talk_s];
const byId = (a: Tuple, b: Tuple) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

async function imported(result: ImportResult): Promise<Tuple[]> {
	const rows = await (
		await engine()
	).query<{ call_id: string; queue: string; agent: string | null; outcome: string; wait_s: number; talk_s: number | null }>({
		sql: `SELECT call_id, queue, agent, outcome, wait_s, talk_s FROM ${result.table}`,
		params: []
	});
	return rows.map((r): Tuple => [r.call_id, r.queue, r.agent, r.outcome, Number(r.wait_s), r.talk_s === null ? null : Number(r.talk_s)]).sort(byId);
}

const counts = (result: ImportResult) => Object.fromEntries(result.quality.entries.map((e) => [`${e.kind}:${e.code}`, e.count]));

/** Random calls: any seed, 20–400 calls, sometimes an incident (interrupted calls) during the day. */
const calls = fc.record({
	seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
	rows: fc.integer({ min: 20, max: 400 }),
	incident: fc.option(fc.integer({ min: 9 * 60, max: 18 * 60 }), { nil: null })
});
const share = (max: number) => fc.integer({ min: 0, max: 100 }).map((p) => (p / 100) * max);
/** Pieces the pipeline reads the file in: its default, or small ones so records cross piece boundaries. */
const pieces = fc.option(fc.integer({ min: 4096, max: 65_536 }), { nil: undefined });

function options(c: { seed: number; rows: number; incident: number | null }): GeneratorOptions {
	const onset =
		c.incident === null ? null : `2008-05-05 ${String(Math.floor(c.incident / 60)).padStart(2, '0')}:${String(c.incident % 60).padStart(2, '0')}:00`;
	return { rows: c.rows, seed: c.seed, start: '2008-05-05', incident: onset, completeShare: 0.6 };
}

async function check(file: ReturnType<typeof generateFile>, name: string, pieceBytes: number | undefined) {
	const result = await importFixtures([[name, file.text]], {}, pieceBytes);
	expect(result.skipped.count).toBe(0);
	expect(result.quality.rowsRead).toBe(file.records);
	expect(await imported(result)).toEqual(file.calls.map(tuple).sort(byId));
	expect(counts(result)).toEqual(file.dirt);
	expect(result.quality.calls).toBe(file.calls.length);
}

/** More runs for a deeper search: DIRT_RUNS=200 npx vitest run --project unit tests/unit/dirt.test.ts */
const RUNS = Number(process.env.DIRT_RUNS ?? 20);

describe('a dirty file imports as the generator’s truth, and the report counts the dirt exactly', () => {
	it(
		'Asterisk Master.csv: ring groups, queue member attempts, transfers, IVR-only calls',
		async () => {
			const dirt = fc.record({ ringGroups: share(0.5), queueAttempts: share(0.5), transfers: share(0.3), ivrCalls: share(0.2) });
			await fc.assert(
				fc.asyncProperty(calls, dirt, pieces, async (c, d, pieceBytes) => {
					await check(generateFile({ ...options(c), dirt: d }, 'master.csv'), 'Master.csv', pieceBytes);
				}),
				{ numRuns: RUNS }
			);
		},
		RUNS * 3_000
	);

	it(
		'mapped CSV: clock skew, duplicated rows, a spreadsheet re-save',
		async () => {
			const dirt = fc.oneof(fc.record({ clockSkew: share(0.3), duplicates: share(0.3) }), fc.record({ duplicates: share(0.3), resave: fc.constant(true) }));
			await fc.assert(
				fc.asyncProperty(calls, dirt, pieces, async (c, d, pieceBytes) => {
					await check(generateFile({ ...options(c), dirt: d }, 'csv'), 'calls.csv', pieceBytes);
				}),
				{ numRuns: RUNS }
			);
		},
		RUNS * 3_000
	);

	it('the dirt is really there: every kind shows up at the default-ish shares', () => {
		const o = options({ seed: 11, rows: 400, incident: null });
		const master = generateFile({ ...o, dirt: { ringGroups: 0.2, queueAttempts: 0.2, transfers: 0.1, ivrCalls: 0.1 } }, 'master.csv');
		expect(master.text).toMatch(/"Dial","SIP\/S\d-\d{3}&SIP/);
		expect(master.text).toMatch(/"from-internal"/);
		expect(master.text).toMatch(/"(Playback|BackGround)"/);
		expect(master.calls.filter((x) => x.outcome === 'other').length).toBeGreaterThan(10);
		expect(master.dirt['merged:legs']).toBeGreaterThan(100);
		const csv = generateFile({ ...o, dirt: { clockSkew: 0.1, duplicates: 0.1 } }, 'csv');
		expect(csv.dirt['repaired:clock_skew']).toBeGreaterThan(10);
		expect(csv.dirt['merged:duplicate_rows']).toBeGreaterThan(10);
		expect(csv.calls).toHaveLength(400);
		const resaved = generateFile({ ...o, dirt: { resave: true } }, 'csv');
		expect(resaved.text.startsWith('\uFEFFcall_id,')).toBe(true);
		expect(resaved.text).toMatch(/,2008\/5\/5 \d{1,2}:\d\d,/);
		expect(resaved.dirt).toEqual({ 'warning:minute_precision': 400 });
	});
});

/* ─────────────────────────────── the record cutter ─────────────────────────────── */

/** Records of CSV text as a reader sees them: a quote opens only at a field's start. */
function parseRecords(text: string): { records: string[]; open: boolean } {
	const records: string[] = [];
	let start = 0;
	let quoted = false;
	let fieldStart = true;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (quoted) {
			if (ch === '"' && text[i + 1] === '"') i++;
			else if (ch === '"') quoted = false;
		} else if (ch === '"' && fieldStart) quoted = true;
		else if (ch === '\n') {
			records.push(text.slice(start, i + 1));
			start = i + 1;
		}
		if (!quoted) fieldStart = ch === ',' || ch === '\n';
		else fieldStart = false;
	}
	return { records, open: quoted || start < text.length };
}

async function cut(text: string, pieceBytes: number, sizes: number[]) {
	const out: { text: string; records: number; lines: number; firstLines: number[] }[] = [];
	const decoder = new TextDecoder();
	for await (const piece of recordPieces(chunked(new TextEncoder().encode(text), sizes), pieceBytes, { quoted: true, delimiter: ',' })) {
		// Record r's first line within the piece, from the piece's multi-line records.
		const firstLines = Array.from(
			{ length: piece.records },
			(_, i) => i + 1 + piece.multiline.filter((m) => m.record < i + 1).reduce((n, m) => n + m.extra, 0)
		);
		out.push({ text: decoder.decode(piece.bytes), records: piece.records, lines: piece.lines, firstLines });
	}
	return out;
}

/** What the cutter must hold to: the pieces join to the text (a final line feed added), each is whole records. */
async function expectWholeRecords(text: string, pieceBytes: number, sizes: number[]) {
	const pieces = await cut(text, pieceBytes, sizes);
	const normal = text.endsWith('\n') ? text : text + '\n';
	expect(pieces.map((p) => p.text).join('')).toBe(normal);
	for (const piece of pieces) {
		const parsed = parseRecords(piece.text);
		expect(parsed.open, `piece ${JSON.stringify(piece.text)} ends inside a record`).toBe(false);
		expect(piece.records).toBe(parsed.records.length);
		// Physical lines: what messages name. Each record's first line counts the line feeds before it.
		expect(piece.lines).toBe(piece.text.split('\n').length - 1);
		let feeds = 0;
		expect(piece.firstLines).toEqual(parsed.records.map((r) => ((feeds += r.split('\n').length - 1), feeds - (r.split('\n').length - 1) + 1)));
	}
	expect(pieces.flatMap((p) => parseRecords(p.text).records)).toEqual(parseRecords(normal).records);
}

/** A plain field: no comma or line break; a quote anywhere but at its start is a literal character (`O"Brien`). */
const plain = fc.string({ unit: fc.constantFrom('a', 'b', '7', ' ', 'é', '中', '\t', '"'), maxLength: 6 }).map((s) => (s.startsWith('"') ? `O${s}` : s));
const quotedField = fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r\n', ' ', '中'), maxLength: 8 }).map((s) => `"${s.replace(/"/g, '""')}"`);
const record = fc.array(fc.oneof(plain, quotedField), { minLength: 1, maxLength: 5 }).map((fields) => fields.join(','));
/** Text of valid CSV records; the last one starts with a plain value (z), so it is never blank. */
const csvText = fc
	.tuple(fc.array(record, { maxLength: 30 }), record, fc.boolean())
	.map(([records, last, finalNewline]) => [...records, `z,${last}`].join('\n') + (finalNewline ? '\n' : ''));

describe('the record cutter (recordPieces)', () => {
	it('for any CSV with quoted fields and any piece size, joins to the same bytes and never splits a record', async () => {
		await fc.assert(
			fc.asyncProperty(
				csvText,
				fc.integer({ min: 1, max: 400 }),
				fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 5 }),
				async (text, pieceBytes, sizes) => {
					await expectWholeRecords(text, pieceBytes, sizes);
				}
			),
			{ numRuns: 300 }
		);
	});

	it('where the reader passes over blank lines, they are no record and every record keeps its physical first line', async () => {
		// Records that are never blank (z first), with blank lines ('' or a lone CR) between them.
		const blank = fc.constantFrom('', '\r');
		const text = fc
			.array(fc.tuple(fc.array(blank, { maxLength: 3 }), record), { minLength: 1, maxLength: 20 })
			.map((parts) => parts.map(([blanks, r]) => [...blanks, `z,${r}`].join('\n')).join('\n') + '\n');
		await fc.assert(
			fc.asyncProperty(
				text,
				fc.integer({ min: 1, max: 200 }),
				fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 5 }),
				async (csv, pieceBytes, sizes) => {
					// What the reader reads: the records that are not blank, each at the line its first byte is on.
					const expected: number[] = [];
					let feeds = 0;
					for (const r of parseRecords(csv).records) {
						if (r.replace(/[\r\n]/g, '') !== '') expected.push(feeds + 1);
						feeds += r.split('\n').length - 1;
					}
					const found: number[] = [];
					let linesBefore = 0;
					for await (const piece of recordPieces(chunked(new TextEncoder().encode(csv), sizes), pieceBytes, {
						quoted: true,
						delimiter: ',',
						skipsBlankLines: true
					})) {
						for (let record = 1; record <= piece.records; record++)
							found.push(linesBefore + record + piece.multiline.filter((m) => m.record < record).reduce((n, m) => n + m.extra, 0));
						linesBefore += piece.lines;
					}
					expect(found).toEqual(expected);
					expect(linesBefore).toBe(feeds);
				}
			),
			{ numRuns: 200 }
		);
	});

	// The cutter once toggled on every quote, so `ab"c` opened a "quoted field" and the next
	// record's quoted line break was taken for a record end (fixed in de7d9ff).
	it('a quote inside a plain field is a literal character, as the reader takes it', async () => {
		await expectWholeRecords('x,ab"c\ny,"p\nq"\nz,w\n', 1, [64]);
		await expectWholeRecords('x,ab"c\ny,"p\nq"\nz,w\n', 1, [1]);
	});
});
