import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CSV_HEADER, csvLine, generateCalls } from '$lib/synthetic/generate';
import { engine, importFixtures } from './import-helpers';
import { expectSameRowsExactCounts } from './same-rows';
import { CubeIndex } from '$lib/preagg/cubes';
import { splitDays, type TimeRange } from '$lib/preagg/day-cube';
import { DEFAULT_SETTINGS, groupView, intervalView, summaryView, viewQuery, waitHistogramView, type ViewSpec } from '$lib/metrics/service';
import type { Query, Row } from '$lib/engine/types';
import { EMPTY_FILTER, type Filter } from '$lib/filters/filter';

const run = async (q: Query) => (await engine()).query<Row>(q);

/** 'YYYY-MM-DD HH:MM:SS' of a UTC millisecond count (the store's local times, written as text). */
const text = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const DAY = 86_400_000;

/** Every view of the Service level page (each abandon treatment), and the wait histogram. */
const VIEWS: ViewSpec[] = [
	...(['count', 'exclude', 'exclude_short'] as const).flatMap((variant) => {
		const settings = { ...DEFAULT_SETTINGS, variant };
		return [
			summaryView(settings),
			intervalView(settings, 15),
			intervalView(settings, 60),
			intervalView(settings, 'day'),
			groupView(settings, 'queue', 40),
			groupView(settings, 'agent', 30)
		];
	}),
	waitHistogramView(4, 120)
];

/** What kind of range a filter's bounds make, to show the property met each kind. */
function shapeOf({ from, to }: TimeRange): string {
	if (from === null || to === null) return from === to ? 'unbounded' : 'open';
	if (from >= to) return 'empty';
	if (from.slice(0, 10) === to.slice(0, 10)) return 'within one day';
	const split = splitDays({ from, to });
	if (!split) return 'across midnight';
	return split.cuts.length ? 'cut days' : 'whole days';
}

describe('a time range split into whole days and the days it cuts', () => {
	it('covers every instant of the range exactly once, and nothing else (plain arithmetic on a 15-minute grid)', () => {
		const start = Date.parse('2008-05-09T00:00:00Z');
		const slots = 8 * 96;
		const time = fc.option(fc.nat({ max: slots }), { nil: null, freq: 6 });
		fc.assert(
			fc.property(time, time, fc.boolean(), (a, b, onMidnight) => {
				// Half the bounds on a midnight, so whole-day ranges come often.
				const at = (i: number | null) => (i === null ? null : text(start + (onMidnight ? Math.floor(i / 96) * DAY : i * 900_000)));
				const range = { from: at(a), to: at(b) };
				const split = splitDays(range);
				const inside = (r: TimeRange, t: string) => (r.from === null || t >= r.from) && (r.to === null || t < r.to);
				const parts = split ? [split.days, ...split.cuts] : [range];
				const wrong: string[] = [];
				for (let i = -96; i <= slots + 96; i++) {
					const t = text(start + i * 900_000);
					if (parts.filter((p) => inside(p, t)).length !== (inside(range, t) ? 1 : 0)) wrong.push(t);
				}
				expect(wrong).toEqual([]);
				if (!split) return;
				// The days read from the day rows start and end on midnights; each cut lies within one day.
				for (const edge of [split.days.from, split.days.to]) if (edge !== null) expect(edge.slice(11)).toBe('00:00:00');
				for (const cut of split.cuts) {
					expect(cut.from! < cut.to!).toBe(true);
					expect(Date.parse(`${cut.to!.replace(' ', 'T')}Z`) - Date.parse(`${cut.from!.slice(0, 10)}T00:00:00Z`)).toBeLessThanOrEqual(DAY);
				}
			}),
			{ numRuns: 300, seed: 24 }
		);
	});

	it('leaves ranges without a whole day, or with times it cannot read, to the buckets', () => {
		expect(splitDays({ from: '2008-05-12 08:00:00', to: '2008-05-12 17:00:00' })).toBeNull();
		expect(splitDays({ from: '2008-05-12 20:00:00', to: '2008-05-13 04:00:00' })).toBeNull();
		expect(splitDays({ from: '2008-05-13 00:00:00', to: '2008-05-12 00:00:00' })).toBeNull();
		expect(splitDays({ from: '9999-12-31 08:00:00', to: null })).toBeNull();
		expect(splitDays({ from: '2008-05-12T08:00', to: null })).toBeNull();
		expect(splitDays({ from: '2008-05-12 08:00:00', to: '2008-05-15 17:00:00' })).toEqual({
			days: { from: '2008-05-13 00:00:00', to: '2008-05-15 00:00:00' },
			cuts: [
				{ from: '2008-05-12 08:00:00', to: '2008-05-13 00:00:00' },
				{ from: '2008-05-15 00:00:00', to: '2008-05-15 17:00:00' }
			]
		});
		expect(splitDays({ from: '2008-02-28 23:00:00', to: null })).toEqual({
			days: { from: '2008-02-29 00:00:00', to: null },
			cuts: [{ from: '2008-02-28 23:00:00', to: '2008-02-29 00:00:00' }]
		});
	});
});

describe('time cubes answering ranges from their days and the buckets of the days cut', () => {
	let table = '';
	let firstDay = 0;
	let dayCount = 0;
	const agents = ['S1-007', 'S2-003', 'nobody'];
	beforeAll(async () => {
		const calls = [...generateCalls({ rows: 8_000, seed: 5, start: '2008-05-08', incident: '2008-05-12 14:28:00', completeShare: 0.6, callsPerDay: 800 })];
		const result = await importFixtures([['synthetic.csv', [CSV_HEADER, ...calls.map(csvLine)].join('\n') + '\n']]);
		table = result.table;
		// From the day before the first call to the day after the last: ranges reach past the data too.
		const [edges] = await run({
			sql: `SELECT strftime(date_trunc('day', min(arrival)) - INTERVAL 1 DAY, '%Y-%m-%d') AS first, date_diff('day', min(arrival), max(arrival)) + 3 AS n FROM ${table}`,
			params: []
		});
		firstDay = Date.parse(`${String(edges!.first)}T00:00:00Z`);
		dayCount = Number(edges!.n);
	}, 300_000);

	it('gives every view the rows of the plain query, for random ranges under random other filters', async () => {
		const index = new CubeIndex(engine);
		const shapes = new Map<string, number>();
		let byDay = 0;
		// A bound: a day and a quarter hour in it, midnight as often as not (whole days), or none.
		const bound = fc.option(fc.record({ day: fc.nat({ max: dayCount - 1 }), slot: fc.oneof(fc.constant(0), fc.nat({ max: 95 })) }), { nil: null, freq: 6 });
		await fc.assert(
			fc.asyncProperty(
				fc.record({
					queue: fc.constantFrom(null, '座席一部', '座席二部', 'no such department'),
					agent: fc.constantFrom(null, null, ...agents),
					outcome: fc.constantFrom(null, null, 'answered', 'abandoned'),
					grain: fc.constantFrom(60 as const, 15 as const),
					from: bound,
					to: bound,
					view: fc.nat({ max: VIEWS.length - 1 })
				}),
				async ({ queue, agent, outcome, grain, from, to, view: which }) => {
					const view = VIEWS[which]!;
					const at = (b: { day: number; slot: number } | null) =>
						b === null ? null : text(firstDay + b.day * DAY + (b.slot - (b.slot % (grain / 15))) * 900_000);
					const context: Filter = { ...EMPTY_FILTER, queue, agent, outcome: outcome as Filter['outcome'] };
					const filter: Filter = { ...context, from: at(from), to: at(to) };
					// Builds the view's time cube (and its days) under the other filters, as the time control does.
					await index.activateTime(table, [view], context, grain);
					const query = await index.answer(table, view, filter);
					expect(query.sql).toContain('cube_');
					const split = splitDays(filter);
					if (split) byDay++;
					expect(query.sql.includes('_days')).toBe(!!split);
					expectSameRowsExactCounts(await run(query), await run(viewQuery(table, view, filter)));
					const shape = shapeOf(filter);
					shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
				}
			),
			{ numRuns: 120, seed: 7 }
		);
		expect([...shapes.keys()].sort()).toEqual(['across midnight', 'cut days', 'empty', 'open', 'unbounded', 'whole days', 'within one day']);
		expect(byDay).toBeGreaterThan(30);
	}, 900_000);

	it('answers a start-time change from an unfiltered start (the hourly cube built ahead) by day, as the calls table', async () => {
		const index = new CubeIndex(engine);
		const views = VIEWS.slice(0, 6);
		await index.prepare(table, views);
		for (const from of ['2008-05-10 08:00:00', '2008-05-09 00:00:00', '2008-05-12 23:00:00'])
			for (const to of [null, '2008-05-13 17:00:00', '2008-05-14 00:00:00'])
				for (const view of views) {
					const filter = { ...EMPTY_FILTER, from, to };
					const query = await index.answer(table, view, filter);
					expect(query.sql.includes('_days'), `${from} → ${to}`).toBe(!!splitDays(filter));
					expectSameRowsExactCounts(await run(query), await run(viewQuery(table, view, filter)));
				}
	}, 300_000);

	it('drops a cube’s days with it', async () => {
		const index = new CubeIndex(engine);
		await index.prepare(table, [VIEWS[0]!]);
		const tables = async () =>
			(await run({ sql: `SELECT table_name AS name FROM duckdb_tables() WHERE temporary AND table_name LIKE 'cube_%_days'`, params: [] })).map((r) => r.name);
		const days = (await index.answer(table, VIEWS[0]!, { ...EMPTY_FILTER, from: '2008-05-10 08:00:00' })).sql.match(/cube_\d+_days/)![0];
		expect(await tables()).toContain(days);
		index.invalidate(table);
		await expect.poll(tables).not.toContain(days);
	}, 60_000);
});
