import { describe, expect, it } from 'vitest';
import { engine, importFixtures } from './import-helpers';
import { SqlCoordinator } from '$lib/query/coordinator';
import { answersToKeep, parseAnswers, REMEMBERED_FORMAT, serialiseAnswers, type Answer } from '$lib/datasets/remembered-answers';
import { DEFAULT_SETTINGS, dashboardViews, optionsQuery, viewQuery, waitReachQuery } from '$lib/metrics/service';
import { incidentByQuery, incidentQuery } from '$lib/metrics/incident';
import type { Query, Row } from '$lib/engine/types';
import { EMPTY_FILTER } from '$lib/filters/filter';

const key = (query: Query) => SqlCoordinator.key(query);
const answer = (sql: string, rows: Row[], ...params: (string | number)[]): Answer => [key({ sql, params }), rows];
const bytesOf = (a: Answer) => Buffer.byteLength(JSON.stringify(a), 'utf8') + 1;

describe('remembered answers: what round-trips', () => {
	it('every answer of the Service level page comes back from its file exactly as the engine gave it', async () => {
		const { table } = await importFixtures(['Master.csv']);
		const db = await engine();
		const views = dashboardViews(DEFAULT_SETTINGS, 60, 40);
		const window = { onset: '2024-03-04 09:06:00', end: null, longS: 120 };
		const queries = [
			optionsQuery(table),
			waitReachQuery(table),
			...Object.values(views).map((view) => viewQuery(table, view, EMPTY_FILTER)),
			viewQuery(table, views.summary, { ...EMPTY_FILTER, queue: 'cards' }),
			incidentQuery(table, window, EMPTY_FILTER),
			incidentByQuery(table, window, EMPTY_FILTER, 'queue')
		];
		const answers: Answer[] = [];
		for (const query of queries) answers.push([key(query), await db.query(query)]);
		expect(answers.some(([, rows]) => rows.length > 1)).toBe(true); // not only empty or one-row answers

		const { answers: kept } = answersToKeep(answers, table);
		expect(kept).toEqual(answers); // none dropped: all are plain JSON values
		const back = parseAnswers(serialiseAnswers(table, kept), table);
		expect(back).toStrictEqual(answers);
	});

	it('an answer whose values JSON would change (NaN, a date, a BigInt, a nested object) is not kept', () => {
		const table = 'ds_a';
		const plain = answer('SELECT 1 FROM ds_a', [{ n: 1, s: 'x', b: true, z: null }]);
		const changed = [
			answer('SELECT 2 FROM ds_a', [{ n: NaN }]),
			answer('SELECT 3 FROM ds_a', [{ n: Infinity }]),
			answer('SELECT 4 FROM ds_a', [{ d: new Date(0) }]),
			answer('SELECT 5 FROM ds_a', [{ n: 1n }]),
			answer('SELECT 6 FROM ds_a', [{ o: { a: 1 } }])
		];
		expect(answersToKeep([plain, ...changed], table).answers).toEqual([plain]);
	});
});

describe('remembered answers: which are kept', () => {
	it('keeps only answers that read the table (whole word, not a cube or another dataset)', () => {
		const mine = answer('SELECT count(*) FROM ds_a WHERE queue = ?', [{ n: 3 }], 'sales');
		const others = [
			answer('SELECT count(*) FROM ds_ab', [{ n: 1 }]),
			answer('SELECT count(*) FROM cube_ds_a_1', [{ n: 1 }]),
			answer('SELECT count(*) FROM calls_story', [{ n: 1 }])
		];
		expect(answersToKeep([...others, mine], 'ds_a').answers).toEqual([mine]);
	});

	it('within the budget the most recent are kept, one too large is skipped for older smaller ones, oldest first', () => {
		const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ i, label: `row ${i} 座席` }));
		// Oldest first, as the coordinator lists them.
		const all = [
			answer('SELECT a FROM ds_a', rows(5)),
			answer('SELECT b FROM ds_a', rows(40)),
			answer('SELECT c FROM ds_a', rows(400)),
			answer('SELECT d FROM ds_a', rows(10)),
			answer('SELECT e FROM ds_a', rows(20))
		];
		const sizes = all.map(bytesOf);
		// Room for e, d and b (the newest that fit), but not c, which is larger than what is left.
		const budget = sizes[4]! + sizes[3]! + sizes[1]! + 1;
		expect(sizes[2]!).toBeGreaterThan(budget - sizes[4]! - sizes[3]!);
		const { answers, bytes } = answersToKeep(all, 'ds_a', budget);
		expect(answers.map(([k]) => JSON.parse(k)[0])).toEqual(['SELECT b FROM ds_a', 'SELECT d FROM ds_a', 'SELECT e FROM ds_a']);
		expect(bytes).toBe(sizes[1]! + sizes[3]! + sizes[4]!);
		expect(bytes).toBeLessThanOrEqual(budget);
		// The file is about that size: the budget bounds what is written.
		expect(Buffer.byteLength(serialiseAnswers('ds_a', answers))).toBeLessThan(bytes + 100);
	});
});

describe('remembered answers: reading a file', () => {
	const good = answer('SELECT n FROM ds_a WHERE agent = ?', [{ n: 2 }], '1001');

	it('reads back what was written for the same table', () => {
		expect(parseAnswers(serialiseAnswers('ds_a', [good]), 'ds_a')).toEqual([good]);
	});

	it.each([
		['a corrupt file', '{"format": 1, "table": "ds_a"'],
		['a file of another format', JSON.stringify({ format: REMEMBERED_FORMAT + 1, table: 'ds_a', answers: [good] })],
		['a file without a format', JSON.stringify({ table: 'ds_a', answers: [good] })],
		["another dataset's file", serialiseAnswers('ds_b', [good])],
		['a file that is not an object', '[]']
	])('ignores %s', (_, text) => {
		expect(parseAnswers(text, 'ds_a')).toBeNull();
	});

	it('drops entries that do not read the table or are not of the shape written', () => {
		const foreign = answer('SELECT n FROM ds_b', [{ n: 9 }]);
		const entries = [
			good,
			foreign,
			['not a key', [{ n: 1 }]],
			[key({ sql: 'SELECT 1 FROM ds_a', params: [] }), 'rows'],
			[key({ sql: 'SELECT 2 FROM ds_a', params: [] }), [[1]]]
		];
		const text = [JSON.stringify({ format: REMEMBERED_FORMAT, table: 'ds_a' }), ...entries.map((e) => JSON.stringify(e))].join('\n');
		expect(parseAnswers(text, 'ds_a')).toEqual([good]);
	});

	it('ignores a file cut short (a write the closing tab did not finish)', () => {
		const text = serialiseAnswers('ds_a', [good, answer('SELECT m FROM ds_a', [{ m: 1 }, { m: 2 }])]);
		expect(parseAnswers(text.slice(0, -5), 'ds_a')).toBeNull();
	});
});
