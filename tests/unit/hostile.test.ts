import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { engine, importFixtures, STRICT } from './import-helpers';
import { runMetrics } from './cli-run';
import { hostileCase, HOSTILE } from '../fixtures/hostile/corpus';
import { extraText, ImportError, problemText, type ImportErrorDetail } from '$lib/imports/errors';
import type { ImportResult } from '$lib/imports/pipeline';

/**
 * One test per file of the hostile-input corpus (tests/fixtures/hostile/corpus.ts): the
 * message with file, line and check, or the quality-report entry, or the right numbers.
 * Large cases "finish" within a generous timeout; none asserts a time.
 */

const LARGE = 180_000;
const imported = (name: string, plan: Parameters<typeof importFixtures>[1] = {}) => importFixtures([[name, hostileCase(name).bytes()]], plan);

async function failure(promise: Promise<unknown>): Promise<ImportErrorDetail> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(ImportError);
		return (error as ImportError).detail;
	}
	throw new Error('expected the import to fail');
}

async function calls(result: ImportResult) {
	return (await engine()).query<{ call_id: string; agent: string | null; arr: string; wait_s: number | null; talk_s: number | null; outcome: string }>({
		sql: `SELECT call_id, agent, strftime(arrival, '%Y-%m-%d %H:%M:%S') AS arr, wait_s, talk_s, outcome FROM ${result.table} ORDER BY arrival, call_id`,
		params: []
	});
}

const entry = (result: ImportResult, kind: string, code: string) => result.quality.entries.find((e) => e.kind === kind && e.code === code);

/** Where a byte sits, computed from the bytes alone: offset, line and character (from 1). */
function placeOf(bytes: Uint8Array, offset: number, encoding = 'utf-8') {
	let line = 1;
	let lineStart = 0;
	for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) [line, lineStart] = [line + 1, i + 1];
	return { offset, line, character: [...new TextDecoder(encoding).decode(bytes.subarray(lineStart, offset))].length + 1 };
}

describe('hostile input: no hangs', () => {
	it('one-50mb-record.csv: stops naming line 2 and the record limit', { timeout: LARGE }, async () => {
		const d = await failure(imported('one-50mb-record.csv'));
		expect(d).toMatchObject({ problem: 'malformed', file: 'one-50mb-record.csv', line: 2 });
		expect(extraText(d, 'en')).toMatch(/longer than 10,000,000 bytes/);
	});

	it('unclosed-quote-11mb.csv: stops naming line 3, the limit and the open quote', { timeout: LARGE }, async () => {
		const d = await failure(imported('unclosed-quote-11mb.csv'));
		expect(d).toMatchObject({ problem: 'malformed', line: 3 });
		expect(extraText(d, 'en')).toMatch(/longer than 10,000,000 bytes.*quote that is never closed/);
	});

	it('unclosed-quote.csv: the skip names line 3 and every line the open quote swallowed', async () => {
		const result = await imported('unclosed-quote.csv');
		const skip = entry(result, 'skipped', 'malformed')!;
		expect(skip.examples[0]).toMatchObject({ line: 3 });
		// Lines 3 to the last (1,003 data lines: C1, C2 and 1,000 more) went into one record.
		expect(extraText(skip.examples[0]!, 'en')).toContain('runs over lines 3–1003');
		expect(result.rows).toBe(1);
	});

	it('mid-field-quote.csv: O"Brien is plain text and all 200,002 rows import', { timeout: LARGE }, async () => {
		const result = await imported('mid-field-quote.csv');
		expect(result.rows).toBe(200_002);
		expect(result.quality.entries.filter((e) => e.kind === 'skipped')).toEqual([]);
		const [row] = await (await engine()).query<{ agent: string }>({ sql: `SELECT agent FROM ${result.table} WHERE call_id = 'C2'`, params: [] });
		expect(row!.agent).toBe('O"Brien');
	});

	it('10000-columns.csv: refused at inspection with the count', async () => {
		const d = await failure(imported('10000-columns.csv'));
		expect(d).toMatchObject({ problem: 'too_wide', file: '10000-columns.csv', line: 1 });
		expect(extraText(d, 'en')).toContain('10,000 columns');
	});
});

describe('hostile input: no silent wrong numbers', () => {
	it('durations.csv: NaN, Infinity, 1e309, −40 and 10¹² s are each skipped by the duration check', async () => {
		const result = await imported('durations.csv');
		const skip = entry(result, 'skipped', 'duration')!;
		expect(skip.count).toBe(5);
		expect(skip.examples.map((e) => e.value).sort()).toEqual(['-40.0', '1000000000000', '1e309', 'Infinity', 'NaN']);
		expect(await calls(result)).toMatchObject([{ call_id: 'D1', wait_s: 10, talk_s: 60 }]);
	});

	it('queue_log-id-on-two-days: one callid on two days is two calls', async () => {
		const result = await imported('queue_log-id-on-two-days', { format: 'queue_log', utcOffsetSeconds: 8 * 3600 });
		const r = await calls(result);
		expect(r.map((c) => [c.arr, c.outcome, c.wait_s])).toEqual([
			['2024-03-04 09:00:00', 'answered', 5],
			['2024-03-05 09:00:00', 'abandoned', 30]
		]);
	});

	it('duplicate-and-empty-ids.csv: three identical rows are one call (merged), id-less rows are calls of their own (stated)', async () => {
		const result = await imported('duplicate-and-empty-ids.csv');
		expect(result.rows).toBe(3);
		expect(entry(result, 'merged', 'duplicate_rows')!.count).toBe(2);
		expect(entry(result, 'read', 'no_call_id')!.examples.map((e) => e.line)).toEqual([5, 6]);
	});

	it('dates-ambiguous.csv: read day-first, and the report says it was assumed', async () => {
		const result = await imported('dates-ambiguous.csv');
		expect((await calls(result)).map((c) => c.arr)).toEqual(['2024-04-03 09:00:00', '2024-04-05 10:00:00']);
		expect(entry(result, 'warning', 'date_order_dmy_assumed')).toMatchObject({ count: 2, examples: [expect.objectContaining({ line: 2 })] });
		// Chosen month-first, the same file reads as March, and the report says it was chosen.
		const chosen = await imported('dates-ambiguous.csv', { dateOrder: 'mdy' });
		expect((await calls(chosen)).map((c) => c.arr)).toEqual(['2024-03-04 09:00:00', '2024-05-04 10:00:00']);
		expect(entry(chosen, 'read', 'date_order_mdy_choice')).toBeDefined();
	});

	it('dates-month-first.csv: 04/13/2024 on line 3 settles month-first for every row', async () => {
		const result = await imported('dates-month-first.csv');
		expect((await calls(result)).map((c) => c.arr)).toEqual(['2024-03-04 09:00:00', '2024-04-13 10:00:00']);
		expect(entry(result, 'read', 'date_order_mdy_data')!.examples[0]).toMatchObject({ line: 3, value: '04/13/2024 10:00:00' });
	});

	it('offsets.csv: +08:00 and Z are honoured as instants', async () => {
		const result = await imported('offsets.csv', { utcOffsetSeconds: 8 * 3600 });
		const byId = Object.fromEntries((await calls(result)).map((c) => [c.call_id, c.arr]));
		expect(byId).toEqual({ O1: '2024-03-04 09:00:00', O2: '2024-03-04 09:00:00', O3: '2024-03-04 17:00:00' });
	});

	it('years-1900-2999.csv: both years skipped by the date-range check, the 2024 call kept', async () => {
		const result = await imported('years-1900-2999.csv');
		expect(entry(result, 'skipped', 'date_range')!.examples.map((e) => e.line)).toEqual([3, 4]);
		expect((await calls(result)).map((c) => c.call_id)).toEqual(['Y1']);
	});
});

describe('hostile input: messages point to the right place and cause', () => {
	it('quoted-newline-then-bad-row.csv: the skipped row is named by its physical line', async () => {
		const result = await imported('quoted-newline-then-bad-row.csv');
		// Line 1 header, 2 Q1, 3–4 Q2 (a quoted line break), 5 Q3 with an extra field, 6 Q4.
		expect(entry(result, 'skipped', 'malformed')!.examples).toMatchObject([{ line: 5 }]);
		const lines = await (
			await engine()
		).query<{ call_id: string; line: number }>({ sql: `SELECT call_id, source_line AS line FROM ${result.table} ORDER BY 2`, params: [] });
		expect(lines.map((l) => [l.call_id, Number(l.line)])).toEqual([
			['Q1', 2],
			['Q2', 3],
			['Q4', 6]
		]);
	});

	it('invalid-utf8.csv: detected as UTF-8; repaired and reported, or with --strict stopped at the exact byte', async () => {
		const bytes = hostileCase('invalid-utf8.csv').bytes();
		const at = placeOf(bytes, bytes.indexOf(0xff));
		const result = await imported('invalid-utf8.csv');
		expect(entry(result, 'repaired', 'invalid_bytes')!.examples[0]).toMatchObject({ line: at.line, value: '0xFF' });
		const names = (await calls(result)).map((c) => c.agent);
		expect(names).toEqual(['张三', '李\uFFFD四']);
		const d = await failure(imported('invalid-utf8.csv', STRICT));
		expect(d).toMatchObject({ problem: 'encoding', file: 'invalid-utf8.csv', line: at.line });
		expect(d.detail).toBe(`not valid UTF-8: byte 0xFF at byte offset ${at.offset}, line ${at.line}, character ${at.character}`);
	});

	it('invalid-gb18030.csv: detected as GB18030 and named so, with the byte and its place', async () => {
		const bytes = hostileCase('invalid-gb18030.csv').bytes();
		const offset = bytes.indexOf(0x81);
		const d = await failure(imported('invalid-gb18030.csv', STRICT));
		expect(d.detail).toBe(`not valid GB18030: byte 0x81 at byte offset ${offset}, line 3, character ${placeOf(bytes, offset, 'gb18030').character}`);
		const result = await imported('invalid-gb18030.csv');
		expect((await calls(result)).map((c) => c.agent)).toEqual(['张三', '李\uFFFD', '王五']);
	});

	it('calls.csv.gz: read as the CSV inside', async () => {
		const result = await imported('calls.csv.gz');
		expect(result.rows).toBe(1000);
	});

	it("workbook.xlsx: read as a workbook, and said to be damaged in the app's words", async () => {
		const d = await failure(imported('workbook.xlsx'));
		expect(d).toMatchObject({ problem: 'unreadable', file: 'workbook.xlsx', hint: { key: 'hint.xlsx_damaged' } });
	});

	for (const [name, kind] of [
		['archive.zip', 'zip'],
		['image.png', 'png'],
		['random.bin', 'binary']
	] as const)
		it(`${name}: named as ${kind}, not "a column is missing"`, async () => {
			const d = await failure(imported(name));
			expect(d).toMatchObject({ problem: 'not_text', file: name, fileKind: kind });
		});

	it('utf16le-no-bom.csv: recognised by its bytes and imported', async () => {
		const result = await imported('utf16le-no-bom.csv');
		expect(result.rows).toBe(20);
	});

	it('colliding-columns.csv: __line, __file, agent/Agent and stage columns import, provenance intact', async () => {
		const result = await imported('colliding-columns.csv');
		const lines = await (
			await engine()
		).query<{ file: string; line: number }>({ sql: `SELECT source_file AS file, source_line AS line FROM ${result.table} ORDER BY 2`, params: [] });
		expect(lines.map((l) => [l.file, Number(l.line)])).toEqual([
			['colliding-columns.csv', 2],
			['colliding-columns.csv', 3]
		]);
	});

	it('answer-before-arrival.csv: the failed check and its own two values', async () => {
		const d = await failure(imported('answer-before-arrival.csv', STRICT));
		expect(d).toMatchObject({ problem: 'answer_before_arrival', line: 3, value: 'arrival 2024-03-04 09:10:00, answer 2024-03-04 09:09:00' });
		expect(problemText(d, 'en').what).toContain('check "answer not before arrival" failed');
	});
});

describe('hostile input: the command line says what the Import page says', () => {
	const dir = mkdtempSync(join(tmpdir(), 'holdline-hostile-'));
	afterAll(() => rmSync(dir, { recursive: true, force: true }));
	const cli = async (name: string, ...args: string[]) => {
		writeFileSync(join(dir, name), hostileCase(name).bytes());
		return runMetrics(join(dir, name), ...args);
	};

	for (const name of ['10000-columns.csv', 'workbook.xlsx', 'random.bin', 'answer-before-arrival.csv', 'invalid-utf8.csv'])
		it(`${name}: the same place and words`, { timeout: 60_000 }, async () => {
			const d = await failure(imported(name, STRICT));
			const page = problemText(d, 'en');
			const out = await cli(name, '--strict');
			expect(out.code).not.toBe(0);
			expect(out.stderr).toContain(`${page.where}: ${page.what}`);
		});

	it('terminal-escapes.csv: no control character reaches the terminal', { timeout: 60_000 }, async () => {
		const out = await cli('terminal-escapes.csv', '--by', 'agent');
		expect(out.code).toBe(0);
		expect(out.stdout).toContain('agent');
		expect(out.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
	});

	it('every corpus file has a test above', () => {
		const named = new Set([
			...[
				'one-50mb-record.csv',
				'unclosed-quote-11mb.csv',
				'unclosed-quote.csv',
				'mid-field-quote.csv',
				'10000-columns.csv',
				'durations.csv',
				'queue_log-id-on-two-days'
			],
			...[
				'duplicate-and-empty-ids.csv',
				'dates-ambiguous.csv',
				'dates-month-first.csv',
				'offsets.csv',
				'years-1900-2999.csv',
				'quoted-newline-then-bad-row.csv'
			],
			...['invalid-utf8.csv', 'invalid-gb18030.csv', 'calls.csv.gz', 'workbook.xlsx', 'archive.zip', 'image.png', 'random.bin', 'utf16le-no-bom.csv'],
			...['colliding-columns.csv', 'answer-before-arrival.csv', 'terminal-escapes.csv']
		]);
		expect(HOSTILE.map((c) => c.name).filter((n) => !named.has(n))).toEqual([]);
	});
});
