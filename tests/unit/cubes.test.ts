import { beforeAll, describe, expect, it } from 'vitest';
import { CSV_HEADER, csvLine, generateCalls } from '$lib/synthetic/generate';
import { engine, importFixtures } from './import-helpers';
import { CubeIndex, movedDims } from '$lib/preagg/cubes';
import { answers, onGrain } from '$lib/preagg/cube';
import { DEFAULT_SETTINGS, groupView, intervalView, summaryView, viewQuery, waitHistogramView, type ViewSpec } from '$lib/metrics/service';
import type { Query, Row } from '$lib/engine/types';
import { EMPTY_FILTER, type Filter } from '$lib/filters/filter';

const run = async (q: Query) => (await engine()).query<Row>(q);

/** Same rows: counts and keys exactly, averages and ratios to 1e-9. */
function expectSameRows(actual: Row[], expected: Row[]) {
	expect(actual.length).toBe(expected.length);
	expected.forEach((row, i) => {
		for (const [column, value] of Object.entries(row)) {
			const got = actual[i]![column];
			if (typeof value === 'number' && !Number.isInteger(value)) expect(got as number).toBeCloseTo(value, 9);
			else expect(got).toEqual(value);
		}
	});
}

const settings = { ...DEFAULT_SETTINGS, variant: 'exclude_short' as const };
const VIEWS: ViewSpec[] = [
	summaryView(settings),
	intervalView(settings, 15),
	intervalView(settings, 60),
	intervalView(settings, 'day'),
	groupView(settings, 'queue', 40),
	groupView(settings, 'agent', 30),
	waitHistogramView(4, 120)
];

describe('cube index', () => {
	let table = '';
	beforeAll(async () => {
		const calls = [...generateCalls({ rows: 30_000, seed: 7, start: '2008-05-11', incident: '2008-05-12 14:28:00', completeShare: 0.6 })];
		const result = await importFixtures([['synthetic.csv', [CSV_HEADER, ...calls.map(csvLine)].join('\n') + '\n']]);
		table = result.table;
	}, 60_000);

	it('knows which time bounds a bucket answers exactly', () => {
		expect(onGrain('2008-05-12 08:00:00', 60)).toBe(true);
		expect(onGrain('2008-05-12 08:15:00', 60)).toBe(false);
		expect(onGrain('2008-05-12 08:15:00', 15)).toBe(true);
		expect(onGrain('2008-05-12 08:10:00', 15)).toBe(false);
		expect(onGrain('2008-05-12 08:00:30', 15)).toBe(false);
		expect(answers({ dim: 'time', grain: 60 }, { ...EMPTY_FILTER, from: '2008-05-12 08:00:00', to: '2008-05-12 08:30:00' })).toBe(false);
		expect(answers({ dim: 'queue', grain: null }, { ...EMPTY_FILTER, from: '2008-05-12 08:07:00' })).toBe(true);
		expect(movedDims({ ...EMPTY_FILTER, queue: 'a' }, { ...EMPTY_FILTER, queue: 'b', to: '2008-05-12 08:00:00' })).toEqual(['queue', 'time']);
	});

	it('answers each filter a user moves from an unfiltered start exactly as the calls table does, from cubes', async () => {
		const index = new CubeIndex(engine);
		const warmErrors: unknown[] = [];
		index.onWarmError = (error) => warmErrors.push(error);
		await index.prepare(table, VIEWS);
		expect(index.size).toBe(VIEWS.length * 3);
		expect(warmErrors).toEqual([]);
		const filters: Filter[] = [
			EMPTY_FILTER,
			{ ...EMPTY_FILTER, queue: '座席二部' },
			{ ...EMPTY_FILTER, queue: 'no such department' },
			{ ...EMPTY_FILTER, agent: 'S1-007' },
			{ ...EMPTY_FILTER, from: '2008-05-12 08:00:00' },
			{ ...EMPTY_FILTER, from: '2008-05-11 09:00:00', to: '2008-05-12 15:00:00' }
		];
		for (const filter of filters)
			for (const view of VIEWS) {
				const query = await index.answer(table, view, filter);
				expect(query.sql).toContain('cube_');
				expectSameRows(await run(query), await run(viewQuery(table, view, filter)));
			}
	}, 60_000);

	it('answers department and agent filters from cubes held in memory: the rows of the cube’s lookup, without the engine', async () => {
		const index = new CubeIndex(engine);
		await index.prepare(table, VIEWS);
		const filters: Filter[] = [
			EMPTY_FILTER,
			{ ...EMPTY_FILTER, queue: '座席二部' },
			{ ...EMPTY_FILTER, queue: 'no such department' },
			{ ...EMPTY_FILTER, agent: 'S1-007' },
			{ ...EMPTY_FILTER, agent: 'S3-012', outcome: null }
		];
		let held = 0;
		for (const filter of filters)
			for (const view of VIEWS) {
				const inMemory = index.held(table, view, filter);
				const asked: string[] = [];
				const rows = await index.rows(table, view, filter, (query) => (asked.push(query.sql), run(query)));
				expectSameRows(rows, await run(viewQuery(table, view, filter)));
				if (!inMemory) continue;
				held++;
				expect(asked).toEqual([]); // answered without the engine
				expect(inMemory).toEqual(await run(await index.answer(table, view, filter)));
			}
		// Every view's department cube is small enough to hold (4 values); the largest agent cubes may not be.
		expect(held).toBeGreaterThanOrEqual(VIEWS.length * 3);
		// A time filter is summed from partials: asked of the engine.
		expect(index.held(table, VIEWS[0]!, { ...EMPTY_FILTER, from: '2008-05-12 08:00:00' })).toBeUndefined();
	}, 60_000);

	it('holds the cubes of the views shown now: a setting changed lets the earlier views’ held rows go first', async () => {
		const before = summaryView({ ...DEFAULT_SETTINGS, variant: 'count' });
		const after = summaryView({ ...DEFAULT_SETTINGS, variant: 'exclude' });
		// Room for one summary’s department and agent cubes (a row per value, the unset and empty answers, a group of calls without a value), not two.
		const [values] = await run({ sql: `SELECT count(DISTINCT queue) + count(DISTINCT agent) + 8 AS n FROM ${table}`, params: [] });
		const index = new CubeIndex(engine, undefined, undefined, Number(values!.n));
		const filter = { ...EMPTY_FILTER, queue: '座席二部' };
		await index.prepare(table, [before]);
		expect(index.held(table, before, filter)).toBeDefined();
		await index.prepare(table, [after]);
		expect(index.held(table, after, filter)).toEqual(await run(viewQuery(table, after, filter)));
		expect(index.held(table, after, { ...EMPTY_FILTER, agent: 'S1-007' })).toBeDefined();
		expect(index.held(table, before, filter)).toBeUndefined(); // let go; still answered, by the engine
		expectSameRows(await index.rows(table, before, filter, run), await run(viewQuery(table, before, filter)));
	}, 60_000);

	it('answers time ranges at the data’s edges, empty ranges and ranges covering everything as the calls table does', async () => {
		const index = new CubeIndex(engine);
		await index.prepare(table, VIEWS);
		// The data's first and last hours, read from the calls table.
		const [edges] = await run({
			sql: `SELECT strftime(date_trunc('hour', min(arrival)), '%Y-%m-%d %H:%M:%S') AS first,
  strftime(date_trunc('hour', max(arrival)), '%Y-%m-%d %H:%M:%S') AS last,
  strftime(date_trunc('hour', max(arrival)) + INTERVAL 1 HOUR, '%Y-%m-%d %H:%M:%S') AS past
FROM ${table}`,
			params: []
		});
		const { first, last, past } = edges as Record<'first' | 'last' | 'past', string>;
		const range = (from: string | null, to: string | null): Filter => ({ ...EMPTY_FILTER, from, to });
		const filters: Filter[] = [
			range(first, null), // from the first call: everything
			range(null, past), // up to just after the last call: everything
			range(first, past),
			range('2008-01-01 00:00:00', '2009-01-01 00:00:00'), // well around the data
			range(null, first), // before the first call: nothing
			range(past, null), // after the last call: nothing
			range('2009-01-01 00:00:00', '2009-01-02 00:00:00'),
			range(last, null), // the last hour alone
			range(first, '2008-05-11 01:00:00'), // the first hour alone
			range('2008-05-11 12:00:00', '2008-05-11 12:00:00'), // empty: from = to
			range('2008-05-12 12:00:00', '2008-05-11 12:00:00') // empty: from after to
		];
		for (const filter of filters)
			for (const view of VIEWS) {
				const query = await index.answer(table, view, filter);
				expect(query.sql).toContain('cube_');
				expectSameRows(await run(query), await run(viewQuery(table, view, filter)));
			}
		// The empty ranges really are empty (and the wide ones are not), so the comparisons above cover both.
		const volume = async (filter: Filter) => Number((await run(viewQuery(table, summaryView(settings), filter)))[0]!.volume);
		expect(await volume(range(null, first))).toBe(0);
		expect(await volume(range(past, null))).toBe(0);
		expect(await volume(range(first, past))).toBe(30_000);
	}, 120_000);

	it('indexes the one filter that moved under the others, and answers its next values from that cube', async () => {
		const index = new CubeIndex(engine);
		const view = groupView(settings, 'agent', 30);
		const start: Filter = { ...EMPTY_FILTER, queue: '座席一部', outcome: 'answered' };
		// First question: nothing to go on, asked of the table.
		expect((await index.answer(table, view, start)).sql).not.toContain('cube_');
		const moves: Filter[] = [
			{ ...start, from: '2008-05-12 14:15:00' }, // time moved: asked of the table, a 15-minute cube built behind it
			{ ...start, from: '2008-05-11 10:45:00', to: '2008-05-12 14:30:00' }, // from that cube
			{ ...start, from: '2008-05-11 10:40:00' } // off the bucket edges: the table
		];
		const sources: boolean[] = [];
		for (const filter of moves) {
			const query = await index.answer(table, view, filter);
			sources.push(query.sql.includes('cube_'));
			expectSameRows(await run(query), await run(viewQuery(table, view, filter)));
			await index.settled();
		}
		expect(sources).toEqual([false, true, false]);
		// Back to the start, then the outcome moves under the same department: its next values come from a cube.
		expectSameRows(await run(await index.answer(table, view, start)), await run(viewQuery(table, view, start)));
		await index.settled();
		const outcomeSources: boolean[] = [];
		for (const outcome of ['abandoned', 'interrupted', null, 'no such outcome'] as const) {
			const filter = { ...start, outcome: outcome as Filter['outcome'] };
			const query = await index.answer(table, view, filter);
			outcomeSources.push(query.sql.includes('cube_'));
			expectSameRows(await run(query), await run(viewQuery(table, view, filter)));
			await index.settled();
		}
		expect(outcomeSources).toEqual([false, true, true, true]);
	}, 60_000);

	it('keeps answers apart per abandon treatment (the variant changes the finished service level)', async () => {
		const index = new CubeIndex(engine);
		const filter = { ...EMPTY_FILTER, queue: '座席一部' };
		for (const variant of ['count', 'exclude', 'exclude_short'] as const) {
			const view = summaryView({ ...DEFAULT_SETTINGS, variant });
			await index.prepare(table, [view]);
			const query = await index.answer(table, view, filter);
			expect(query.sql).toContain('cube_');
			expectSameRows(await run(query), await run(viewQuery(table, view, filter)));
		}
	}, 60_000);

	it('drops a deleted table’s cubes', async () => {
		const index = new CubeIndex(engine);
		await index.prepare(table, [summaryView(settings)]);
		expect(index.size).toBe(3);
		index.invalidate(table);
		expect(index.size).toBe(0);
		expect(await index.prepare(table, [summaryView(settings)])).toBe(false); // nothing is built for it again
		expect(index.size).toBe(0);
		expect((await index.answer(table, summaryView(settings), { ...EMPTY_FILTER, queue: '座席三部' })).sql).not.toContain('cube_');
	});
});

describe('cube index on Asterisk CDRs (unanswered calls and short abandons)', () => {
	it('gives the same service level, abandonment and histogram as the table', async () => {
		const { table } = await importFixtures(['Master.csv']);
		const index = new CubeIndex(engine);
		await index.prepare(table, VIEWS);
		for (const filter of [EMPTY_FILTER, { ...EMPTY_FILTER, queue: '8002' }, { ...EMPTY_FILTER, agent: 'SIP/agent101' }])
			for (const view of VIEWS) {
				const query = await index.answer(table, view, filter);
				expect(query.sql).toContain('cube_');
				expectSameRows(await run(query), await run(viewQuery(table, view, filter)));
			}
	});
});
