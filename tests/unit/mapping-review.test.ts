import { describe, expect, it } from 'vitest';
import { engine } from './import-helpers';
import { generateSheet } from '$lib/synthetic/sheet';
import { inspectFile } from '$lib/imports/inspect';
import { fromBytes } from '$lib/imports/source';
import { headBytes, previewCalls, PREVIEW_RECORDS } from '$lib/datasets/preview-calls';
import { mappingFileText, parseMappingFile } from '$lib/imports/saved-mappings';
import {
	choose,
	keptValues,
	listedFrom,
	listedOutcomes,
	noChoices,
	planValues,
	previewValues,
	valueGuess,
	valueRows,
	valueTables
} from '$lib/imports/mapping-review';
import { ImportError } from '$lib/imports/errors';
import { settledLegValues, resolveLegValue } from '$lib/imports/leg-values';
import { legFile, LEG_LAYOUTS } from '$lib/synthetic/legs';

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
		const rows = valueRows(values, { Y: 'other' }, null, valueGuess('outcome', 'Answered'));
		expect(rows.map((r) => [r.value, r.meaning, r.basis])).toEqual([
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
		expect(valueRows([], {}, listedOutcomes(listed), valueGuess('outcome', 'Result')).map((r) => [r.value, r.rows, r.missing])).toEqual([
			['Sale', 40, false],
			['Dropped', 10, true]
		]);
		expect(valueRows([], { Dropped: 'abandoned' }, listedOutcomes(listed), valueGuess('outcome', 'Result'))[1]).toMatchObject({
			meaning: 'abandoned',
			basis: 'assigned',
			missing: false
		});
	});

	it('a column that flags the calls not answered reads its yes as abandoned, as the import does', () => {
		const rows = valueRows(previewValues(['Abandoned'], [['Y'], ['N']], 'Abandoned'), {}, null, valueGuess('outcome', 'Abandoned'));
		expect(rows.map((r) => [r.value, r.meaning])).toEqual([
			['N', 'answered'],
			['Y', 'abandoned']
		]);
	});
});

describe('leg value tables', () => {
	const columns = ['Call ID', 'Direction', 'Status', 'Start'];
	const preview = [
		['c1', 'Inbound', 'Atendeu-se', '09:00'],
		['c1', 'Queue', 'Perdida-X', '09:01'],
		['c1', 'Queue', 'Busy', '09:02'],
		['c2', '', '', '09:03']
	];
	const mapping = { call_id: 'Call ID', direction: 'Direction', status: 'Status', arrival: 'Start', outcome: 'Status' };
	const inspection = { format: 'mapped' as const, layout: { columns, delimiter: ',', quote: '"', header: true }, preview };

	it('a leg mapping shows the direction and status tables, not the outcome: words guessed, empty cells by their rule, the rest open', () => {
		const tables = valueTables(inspection, mapping, noChoices(), {});
		expect(tables.map((t) => [t.kind, t.column, t.whole])).toEqual([
			['direction', 'Direction', false],
			['status', 'Status', false]
		]);
		expect(tables[0]!.rows.map((r) => [r.value, r.meaning, r.basis])).toEqual([
			['Queue', 'queue', 'word'],
			['', 'inbound', 'empty'],
			['Inbound', 'inbound', 'word']
		]);
		expect(tables[1]!.rows.map((r) => [r.value, r.meaning, r.basis])).toEqual([
			['', null, 'empty'],
			['Atendeu-se', null, null],
			['Busy', 'busy', 'word'],
			['Perdida-X', null, null]
		]);
		// Without a call id the file is a mapped one: its outcome column's table only.
		const { call_id: _, ...plain } = mapping;
		expect(valueTables(inspection, plain, noChoices(), {}).map((t) => t.kind)).toEqual(['outcome']);
	});

	it('the values an import stopped at come back listed with whole-file counts, the open ones marked until chosen', () => {
		const values = [
			resolveLegValue('status', 'Atendeu-se', 900, {}, {}),
			resolveLegValue('status', 'Busy', 40, {}, {}),
			resolveLegValue('status', '', 7, {}, {}),
			resolveLegValue('status', 'Perdida-X', 300, {}, {})
		];
		let detail;
		try {
			settledLegValues('legs.csv', 'Status', 'status', values);
		} catch (error) {
			detail = (error as ImportError).detail;
		}
		const stopped = listedFrom(detail!);
		expect(stopped).toMatchObject({ kind: 'status', column: 'Status' });
		let choices = noChoices();
		const table = () => valueTables(inspection, mapping, choices, { status: stopped! })[1]!;
		expect(table().whole).toBe(true);
		expect(table().rows.map((r) => [r.value, r.rows, r.missing])).toEqual([
			['Atendeu-se', 900, true],
			['Busy', 40, false],
			['', 7, false],
			['Perdida-X', 300, true]
		]);
		choices = choose(choices, 'status', 'Atendeu-se', 'answered');
		choices = choose(choices, 'status', 'Perdida-X', 'no_answer');
		// Not a status: ignored.
		choices = choose(choices, 'status', 'Busy', 'abandoned');
		expect(table().rows.filter((r) => r.missing)).toEqual([]);
		expect(table().rows[0]).toMatchObject({ meaning: 'answered', basis: 'assigned' });
		// The choices go into the import and the saved mapping; the outcome column is not read in a leg log.
		expect(planValues('mapped', mapping, choices)).toEqual({ directionValues: {}, statusValues: { 'Atendeu-se': 'answered', 'Perdida-X': 'no_answer' } });
		expect(keptValues('mapped', mapping, choices)).toEqual({ outcomes: {}, directions: {}, statuses: { 'Atendeu-se': 'answered', 'Perdida-X': 'no_answer' } });
		// Withdrawn: missing again.
		choices = choose(choices, 'status', 'Perdida-X', '');
		expect(table().rows.find((r) => r.value === 'Perdida-X')!.missing).toBe(true);
	});

	it('a named vendor leg log guesses its own words', async () => {
		const guess = valueGuess('status', 'Status', { atendeu: 'answered' });
		expect(guess('Atendeu')).toEqual({ meaning: 'answered', basis: 'vendor' });
		expect(guess('Perdida-X')).toBeNull();
	});

	it("the generic leg log's mapping is a leg mapping whose status words the page guesses", async () => {
		const { text } = legFile({ rows: 50, seed: 3, start: '2024-03-04', incident: null, completeShare: 0.5, callsPerDay: 400 }, 'generic');
		const inspection = await inspectFile(fromBytes('legs.csv', bytes(text)));
		const tables = valueTables(inspection, LEG_LAYOUTS.generic!.mapping!, noChoices(), {});
		expect(tables.map((t) => t.kind)).toEqual(['direction', 'status']);
		expect(tables.flatMap((t) => t.rows).every((r) => r.meaning !== null)).toBe(true);
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
