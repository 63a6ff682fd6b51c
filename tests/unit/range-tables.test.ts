import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CSV_HEADER, csvLine, generateCalls } from '$lib/synthetic/generate';
import { engine, importFixtures } from './import-helpers';
import { expectSameRowsExactCounts } from './same-rows';
import { CubeIndex } from '$lib/preagg/cubes';
import { holdRange, rangeAnswer, rangeAnswers, rangeColumnsQuery, rangeKeysQuery, summable, type RangeTable } from '$lib/preagg/range-tables';
import { cubeBuildQuery } from '$lib/preagg/cube';
import { compareText, DEFAULT_SETTINGS, groupView, intervalView, summaryView, viewQuery, waitHistogramView, type ViewSpec } from '$lib/metrics/service';
import type { Query, Row } from '$lib/engine/types';
import { EMPTY_FILTER, type Filter } from '$lib/filters/filter';

const run = async (q: Query) => (await engine()).query<Row>(q);

/** Every view of the Service level page, under each abandon treatment. */
const VIEWS: ViewSpec[] = (['count', 'exclude', 'exclude_short'] as const).flatMap((variant) => {
	const settings = { ...DEFAULT_SETTINGS, variant };
	return [
		summaryView(settings),
		intervalView(settings, 15),
		intervalView(settings, 60),
		intervalView(settings, 'day'),
		groupView(settings, 'queue', 40),
		groupView(settings, 'agent', 30)
	];
});
const WAITS = waitHistogramView(4, 120);

describe('time ranges summed in the page from held time cubes', () => {
	let table = '';
	let hours: string[] = [];
	const agents = ['S1-007', 'S2-003', 'nobody'];
	beforeAll(async () => {
		const calls = [...generateCalls({ rows: 8_000, seed: 11, start: '2008-05-11', incident: '2008-05-12 14:28:00', completeShare: 0.6 })];
		const result = await importFixtures([['synthetic.csv', [CSV_HEADER, ...calls.map(csvLine)].join('\n') + '\n']]);
		table = result.table;
		// Every 15 minutes from an hour before the first call to an hour after the last (as the control would give them).
		const [edges] = await run({
			sql: `SELECT strftime(date_trunc('hour', min(arrival)) - INTERVAL 1 HOUR, '%Y-%m-%d %H:%M:%S') AS first, CAST(ceil(epoch(max(arrival) - min(arrival)) / 900) AS INTEGER) + 12 AS n FROM ${table}`,
			params: []
		});
		const first = new Date(`${String(edges!.first).replace(' ', 'T')}Z`).getTime();
		hours = Array.from({ length: Number(edges!.n) }, (_, i) => new Date(first + i * 900_000).toISOString().slice(0, 19).replace('T', ' '));
	}, 300_000);

	it('holds every view the page sums (all of its measures add up)', () => {
		for (const view of [...VIEWS, WAITS]) expect(summable(view)).toBe(true);
	});

	it('gives every view the rows of the plain query, for random ranges under random other filters', async () => {
		const index = new CubeIndex(engine);
		const edge = fc.option(fc.nat({ max: 10_000 }), { nil: null });
		await fc.assert(
			fc.asyncProperty(
				fc.record({
					queue: fc.constantFrom(null, '座席一部', '座席二部', 'no such department'),
					agent: fc.constantFrom(null, ...agents),
					outcome: fc.constantFrom(null, 'answered', 'abandoned'),
					grain: fc.constantFrom(60 as const, 15 as const),
					from: edge,
					to: edge,
					view: fc.nat({ max: VIEWS.length })
				}),
				async ({ queue, agent, outcome, grain, from, to, view: which }) => {
					const view = which === VIEWS.length ? WAITS : VIEWS[which]!;
					// Bounds on the grain's edges (the 15-minute list, every 4th for hours).
					const step = grain / 15;
					const at = (i: number | null) => (i == null ? null : hours[(i % hours.length) - ((i % hours.length) % step)]!);
					const context: Filter = { ...EMPTY_FILTER, queue, agent, outcome: outcome as Filter['outcome'] };
					const filter: Filter = { ...context, from: at(from), to: at(to) };
					await index.activateTime(table, [view], context, grain);
					const held = index.held(table, view, filter);
					expect(held).toBeDefined();
					expectSameRowsExactCounts(held!, await run(viewQuery(table, view, filter)));
				}
			),
			{ numRuns: 60, seed: 26 }
		);
	}, 600_000);

	it('answers bounds off the grain from the engine, and a held range only under the filters it was built for', async () => {
		const index = new CubeIndex(engine);
		const view = VIEWS[0]!;
		await index.activateTime(table, [view], EMPTY_FILTER, 60);
		const on = { ...EMPTY_FILTER, from: '2008-05-12 08:00:00', to: '2008-05-13 08:00:00' };
		expectSameRowsExactCounts(index.held(table, view, on)!, await run(viewQuery(table, view, on)));
		expect(index.held(table, view, { ...on, from: '2008-05-12 08:15:00' })).toBeUndefined();
		expect(index.held(table, view, { ...on, queue: '座席一部' })).toBeUndefined();
		expect(index.held(table, view, { ...on, queues: ['座席一部', '座席二部'] })).toBeUndefined();
		// A deleted table's held ranges go with its cubes.
		index.invalidate(table);
		expect(index.held(table, view, on)).toBeUndefined();
	}, 300_000);

	it('orders text keys as the engine does (code points, not UTF-16 units)', async () => {
		const words = ['座席一部', 'a', 'B', '', 'é', '😀', '\uffff', 'ab', 'a b', '座席二部'];
		const sorted = await run({ sql: `SELECT w FROM (VALUES ${words.map(() => '(?)').join(', ')}) AS t(w) ORDER BY w`, params: words });
		expect([...words].sort(compareText)).toEqual(sorted.map((row) => row.w));
	});

	/** A view's time cube made directly (as `activateTime` makes it), and held as the page holds it. */
	async function held(on: string, view: ViewSpec, grain: 15 | 60, context: Filter = EMPTY_FILTER): Promise<{ held: RangeTable; cubeRows: number }> {
		const name = `range_test_${++made}`;
		const db = await engine();
		await db.query(cubeBuildQuery(name, on, view, { dim: 'time', grain }, context));
		const [counted] = await run({ sql: `SELECT count(*) AS n FROM ${name}`, params: [] });
		const [columns] = await run(rangeColumnsQuery(name, view));
		return { held: holdRange(await run(rangeKeysQuery(name, view)), columns!, view, grain), cubeRows: Number(counted!.n) };
	}
	let made = 0;
	const AGENTS = VIEWS[5]!;

	it('holds buckets and key indices as Int32Array, each key once, parts as Float64Array', async () => {
		const { held: agents, cubeRows } = await held(table, AGENTS, 15);
		expect(agents.minutes).toBeInstanceOf(Int32Array);
		expect(agents.keys).toBeInstanceOf(Int32Array);
		expect(agents.minutes.length).toBe(cubeRows);
		expect(agents.keys.length).toBe(cubeRows);
		for (const column of agents.parts.values()) {
			expect(column).toBeInstanceOf(Float64Array);
			expect(column.length).toBe(cubeRows);
		}
		expect(new Set(agents.keyValues).size).toBe(agents.keyValues.length);
		expect(Math.max(...agents.keys)).toBe(agents.keyValues.length - 1);
		// Buckets ascending, each on the grain, read as the engine writes them.
		const [first] = await run({ sql: `SELECT epoch_ms(min(time_bucket(INTERVAL 15 MINUTE, arrival))) AS ms FROM ${table}`, params: [] });
		expect(agents.minutes[agents.untimed]! * 60_000).toBe(Number(first!.ms));
		for (let i = agents.untimed + 1; i < agents.minutes.length; i++) expect(agents.minutes[i]! >= agents.minutes[i - 1]!).toBe(true);
		expect(agents.minutes.every((m) => m % 15 === 0)).toBe(true);
	}, 300_000);

	it('gives the same answers from another engine’s plain arrays as from typed ones', async () => {
		const { held: typed } = await held(table, AGENTS, 60);
		const plain = holdRange(
			typed.keyValues.map((key) => ({ key })),
			{
				__untimed: typed.untimed,
				__k: Array.from(typed.keys),
				__m: Array.from(typed.minutes),
				...Object.fromEntries([...typed.parts].map(([name, column]) => [name, Array.from(column)]))
			},
			AGENTS,
			60
		);
		expect(plain.minutes).toBeInstanceOf(Int32Array);
		const filter = { ...EMPTY_FILTER, from: '2008-05-12 08:00:00', to: '2008-05-13 17:00:00' };
		expect(rangeAnswer(plain, AGENTS, filter)).toEqual(rangeAnswer(typed, AGENTS, filter));
	}, 300_000);

	it('answers bounds before, after and around all the data, and empty ranges, as the plain query', async () => {
		const bounds = [null, '1999-01-01 00:00:00', '2008-05-11 00:00:00', '2008-05-12 14:00:00', '2030-01-01 00:00:00'];
		for (const view of [VIEWS[0]!, VIEWS[4]!, AGENTS, WAITS]) {
			const { held: hourly } = await held(table, view, 60);
			for (const from of bounds)
				for (const to of bounds) {
					const filter = { ...EMPTY_FILTER, from, to };
					expect(rangeAnswers(hourly, filter)).toBe(true);
					expectSameRowsExactCounts(rangeAnswer(hourly, view, filter), await run(viewQuery(table, view, filter)));
				}
		}
	}, 600_000);

	it('leaves to the engine a bound inside a bucket, and one that is no time', async () => {
		const { held: hourly } = await held(table, AGENTS, 60);
		const { held: quarters } = await held(table, AGENTS, 15);
		for (const from of ['2008-05-12 08:15:00', '2008-05-12 08:00:30', '2008-02-30 10:00:00', '2008-05-12 24:00:00', '2008-13-01 00:00:00'])
			expect(rangeAnswers(hourly, { ...EMPTY_FILTER, from })).toBe(false);
		expect(rangeAnswers(quarters, { ...EMPTY_FILTER, from: '2008-05-12 08:15:00', to: '2008-05-12 09:45:00' })).toBe(true);
		expect(rangeAnswers(quarters, { ...EMPTY_FILTER, to: '2008-05-12 08:20:00' })).toBe(false);
		// Leap days are times: held.
		expect(rangeAnswers(hourly, { ...EMPTY_FILTER, from: '2008-02-29 10:00:00' })).toBe(true);
	}, 300_000);

	it('counts calls without a time only while no bound is set', async () => {
		const untimed = `${table}_untimed`;
		await run({
			sql: `CREATE OR REPLACE TABLE ${untimed} AS SELECT * FROM ${table} UNION ALL SELECT * REPLACE (NULL::TIMESTAMP AS arrival) FROM ${table} WHERE call_id IN (SELECT call_id FROM ${table} ORDER BY call_id LIMIT 300)`,
			params: []
		});
		const index = new CubeIndex(engine);
		for (const view of [VIEWS[0]!, VIEWS[4]!, AGENTS, WAITS]) {
			await index.activateTime(untimed, [view], EMPTY_FILTER, 60);
			const { held: hourly } = await held(untimed, view, 60);
			expect(hourly.untimed).toBeGreaterThan(0);
			for (const [from, to] of [
				[null, null],
				['2008-05-12 08:00:00', null],
				[null, '2008-05-12 08:00:00'],
				['1999-01-01 00:00:00', '2030-01-01 00:00:00']
			] as [string | null, string | null][]) {
				const filter = { ...EMPTY_FILTER, from, to };
				const expected = await run(viewQuery(untimed, view, filter));
				expectSameRowsExactCounts(rangeAnswer(hourly, view, filter), expected);
				expectSameRowsExactCounts(index.held(untimed, view, filter)!, expected);
			}
		}
	}, 600_000);

	it('holds a time cube of more than 60,000 rows (agents × quarter hours) and answers it as the plain query', async () => {
		// Sixteen copies of the calls, each with its own agents and shifted by 5 to 75 hours: 128,000 calls.
		const big = `${table}_big`;
		await run({
			sql: `CREATE OR REPLACE TABLE ${big} AS SELECT * REPLACE (agent || '-' || r.i AS agent, arrival + to_hours(CAST(5 * r.i AS BIGINT)) AS arrival) FROM ${table}, range(16) r(i)`,
			params: []
		});
		const index = new CubeIndex(engine);
		await index.activateTime(big, [AGENTS], EMPTY_FILTER, 15);
		const [cells] = await run({
			sql: `SELECT count(*) AS n FROM (SELECT DISTINCT coalesce(agent, ''), time_bucket(INTERVAL 15 MINUTE, arrival) FROM ${big})`,
			params: []
		});
		expect(Number(cells!.n)).toBeGreaterThan(60_000);
		for (const [from, to] of [
			[null, null],
			['2008-05-12 08:15:00', '2008-05-13 17:45:00'],
			['2008-05-14 00:00:00', null],
			[null, '2008-05-11 12:30:00']
		] as [string | null, string | null][]) {
			const filter = { ...EMPTY_FILTER, from, to };
			const answer = index.held(big, AGENTS, filter);
			expect(answer).toBeDefined();
			expectSameRowsExactCounts(answer!, await run(viewQuery(big, AGENTS, filter)));
		}
	}, 600_000);
});
