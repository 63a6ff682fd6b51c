import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CSV_HEADER, csvLine, generateCalls } from '$lib/synthetic/generate';
import { engine, importFixtures } from './import-helpers';
import { expectSameRowsExactCounts } from './same-rows';
import { CubeIndex } from '$lib/preagg/cubes';
import { summable } from '$lib/preagg/range-tables';
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
});
