import { describe, expect, it } from 'vitest';
import { engine } from './import-helpers';
import { generateSheet } from '$lib/synthetic/sheet';
import { inspectFile } from '$lib/imports/inspect';
import { fromBytes } from '$lib/imports/source';
import { headBytes, previewCalls, PREVIEW_RECORDS } from '$lib/imports/preview-calls';
import { mappingFileText, parseMappingFile } from '$lib/imports/saved-mappings';
import { outcomeRows, previewValues } from '$lib/imports/mapping-review';

/**
 * The Import page's mapping step: the mapping file with outcome meanings, the outcome
 * table's rows, and the head of a file imported as calls for the preview.
 */

const bytes = (text: string) => new TextEncoder().encode(text);

describe('mapping files', () => {
	it('version 2 keeps the outcome meanings; version 1 and plain objects still read', () => {
		const text = mappingFileText(['When', 'Result'], { arrival: 'When', outcome: 'Result' }, { Sale: 'answered', Dropped: 'abandoned' });
		expect(JSON.parse(text)).toMatchObject({ holdline: 'mapping', version: 2, columns: ['When', 'Result'] });
		expect(parseMappingFile(text)).toEqual({ mapping: { arrival: 'When', outcome: 'Result' }, outcomes: { Sale: 'answered', Dropped: 'abandoned' } });
		const v1 = JSON.stringify({ holdline: 'mapping', version: 1, columns: [], mapping: { arrival: 'When' } });
		expect(parseMappingFile(v1)).toEqual({ mapping: { arrival: 'When' }, outcomes: {} });
		expect(parseMappingFile('{"arrival":"When","date":"Day"}')).toEqual({ mapping: { arrival: 'When', date: 'Day' }, outcomes: {} });
	});

	it('a meaning that is not one of the five, or a newer version, is refused with what is wrong', () => {
		expect(() => parseMappingFile(JSON.stringify({ version: 2, mapping: { arrival: 'a' }, outcomes: { Sale: 'won' } }))).toThrow(
			/"Sale".*answered, interrupted/
		);
		expect(() => parseMappingFile(JSON.stringify({ version: 3, mapping: { arrival: 'a' } }))).toThrow(/version 3/);
	});
});

describe('outcome table', () => {
	it('first rows: counts, common words guessed, the rest open; the user choice wins', () => {
		const preview = [['Y'], ['Sale'], ['Y'], [' N '], ['']];
		const values = previewValues(['Answered'], preview, 'Answered');
		expect(values).toEqual([
			{ value: 'Y', rows: 2 },
			{ value: '', rows: 1 },
			{ value: 'N', rows: 1 },
			{ value: 'Sale', rows: 1 }
		]);
		const rows = outcomeRows(values, { Y: 'other' }, null);
		expect(rows.map((r) => [r.value, r.outcome, r.basis])).toEqual([
			['Y', 'other', 'assigned'],
			['', null, null],
			['N', 'abandoned', 'word'],
			['Sale', null, null]
		]);
	});

	it('after an import listed the values: whole-file counts, the unsettled ones marked until chosen', () => {
		const listed = [
			{ value: 'Sale', rows: 40, withAnswer: 40, outcome: 'answered' as const, basis: 'data' as const },
			{ value: 'Dropped', rows: 10, withAnswer: 3, outcome: null, basis: null }
		];
		expect(outcomeRows([], {}, listed).map((r) => [r.value, r.rows, r.missing])).toEqual([
			['Sale', 40, false],
			['Dropped', 10, true]
		]);
		expect(outcomeRows([], { Dropped: 'abandoned' }, listed)[1]).toMatchObject({ outcome: 'abandoned', basis: 'assigned', missing: false });
	});
});

describe('calls preview', () => {
	it('cuts the head after the wanted lines, or at the last whole line', () => {
		const head = bytes('h\na\nb\nc');
		expect(new TextDecoder().decode(headBytes(head, 2, false))).toBe('h\na\n');
		expect(new TextDecoder().decode(headBytes(head, 9, false))).toBe('h\na\nb\n');
		expect(new TextDecoder().decode(headBytes(head, 9, true))).toBe('h\na\nb\nc');
	});

	it('imports the first 1,000 rows with the mapping: its KPIs are those of the truth first 1,000 calls, and the table is dropped', async () => {
		const { text, truth } = generateSheet({ rows: 1500, seed: 7, start: '2021-01-01', incident: null, completeShare: 0.6 }, 'split-datetime', 'csv');
		const inspection = await inspectFile(fromBytes('split.csv', bytes(text)));
		const db = await engine();
		const plan = { format: inspection.format, mapping: inspection.suggested, onBadRows: 'skip' as const, utcOffsetSeconds: 0 };
		const found = await previewCalls(db, inspection, plan);
		if (!found.ok) throw new Error(JSON.stringify(found.failure));
		const head = truth.calls.slice(0, PREVIEW_RECORDS);
		expect(Number(found.summary.volume)).toBe(head.length);
		expect(Number(found.summary.answered)).toBe(head.filter((c) => c.outcome === 'answered').length);
		expect(found.calls[0]!.arrival).toBe(head[0]!.arrival);
		const left = await db.query<{ n: number }>({ sql: `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name LIKE 'preview_%'`, params: [] });
		expect(Number(left[0]!.n)).toBe(0);
	});

	it('an outcome value the data cannot settle is the preview message, in the app words', async () => {
		const csv = 'When,Result\n2024-01-01 09:00:00,Sale\n2024-01-01 09:01:00,Dropped\n';
		const inspection = await inspectFile(fromBytes('r.csv', bytes(csv)));
		const plan = { format: 'mapped' as const, mapping: { arrival: 'When', outcome: 'Result' }, onBadRows: 'skip' as const, utcOffsetSeconds: 0 };
		const found = await previewCalls(await engine(), inspection, plan);
		expect(found.ok).toBe(false);
		if (!found.ok) expect(found.failure).toMatchObject({ problem: 'unassigned_outcomes', column: 'Result' });
		const assigned = await previewCalls(await engine(), inspection, { ...plan, outcomeValues: { Sale: 'answered', Dropped: 'abandoned' } });
		expect(assigned.ok && Number(assigned.summary.answered)).toBe(1);
	});
});
