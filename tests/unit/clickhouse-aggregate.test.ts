import { describe, expect, it } from 'vitest';
import {
	AGENT_WAIT_DAYS,
	AGENT_WAIT_MONTHS,
	AGENT_WAIT_SLOTS,
	AGGREGATES,
	aggregateStatements,
	clusterAggregateStatements,
	DETAIL_DAYS,
	DETAIL_MONTHS,
	DETAIL_SLOTS,
	committedAggregateStatement,
	distributedAggregateStatement,
	SERVICE_DAYS,
	SERVICE_MONTHS,
	SLOT_AGGREGATE,
	WAIT_DAYS,
	WAIT_MONTHS,
	WAIT_SLOTS
} from '$lib/preagg/clickhouse-aggregate';
import { PRE_AGGREGATES } from '$lib/imports/clickhouse-loads';
import { splitMonths, splitRange } from '$lib/preagg/service-aggregate-clickhouse';
import { CLICKHOUSE } from '$lib/sql/dialect-clickhouse';
import { serviceMeasures, summaryView, SL_VARIANTS, type Measure } from '$lib/metrics/service';
import { aggregateLayout, HELD_SHORT_ABANDONS, HELD_THRESHOLDS, SERVICE_AGGREGATE, type MeasuresAt } from '$lib/preagg/service-aggregate-columns';

// The aggregate's columns are generated from the service measures (no ClickHouse server needed
// here; tests/unit/clickhouse.test.ts checks its answers against the calls and DuckDB).

const COUNT = 'AggregateFunction(sum, UInt64)';
const SUM = 'AggregateFunction(sum, Float64)';

/** The columns of the aggregates users' databases already hold, written out: a rename must fail here. */
const STORED: [string, string][] = [
	['queue', 'String'],
	['has_arrival', 'UInt8'],
	['slot', "DateTime('UTC')"],
	// The load each group's calls came from: `calls_agg` keeps the committed loads' groups.
	['load_id', 'UInt64'],
	['volume', COUNT],
	['offered', COUNT],
	['answered', COUNT],
	['abandoned', COUNT],
	['unanswered', COUNT],
	['asa_sum', SUM],
	['asa_n', COUNT],
	['aht_sum', SUM],
	['aht_n', COUNT],
	...[10, 15, 20, 30, 45, 60, 90, 120, 180, 300].map((t): [string, string] => [`within_${t}`, COUNT]),
	...[3, 5, 10].map((s): [string, string] => [`short_${s}`, COUNT])
];

/** A CREATE TABLE's column list as [name, type], split at the commas outside parentheses. */
function ddlColumns(sql: string): [string, string][] {
	const list = /^CREATE TABLE[^(]*\((.*)\) ENGINE = /s.exec(sql)![1]!;
	const columns: string[] = [];
	let depth = 0;
	let current = '';
	for (const c of list) {
		if (c === ',' && depth === 0) {
			columns.push(current.trim());
			current = '';
			continue;
		}
		if (c === '(') depth++;
		if (c === ')') depth--;
		current += c;
	}
	columns.push(current.trim());
	return columns.map((c) => {
		const space = c.indexOf(' ');
		return [c.slice(0, space), c.slice(space + 1)];
	});
}

const createTable = (statements: string[]) => statements.find((s) => s.startsWith('CREATE TABLE'))!;
/** The columns a merged measure reads. */
const merges = (sql: string) => [...sql.matchAll(/sumMerge\((\w+)\)/g)].map((m) => m[1]!);

describe('the ClickHouse pre-aggregate’s columns', () => {
	it('keep the names and types of the aggregates already stored, on one server, on each shard and in the Distributed table', () => {
		expect(ddlColumns(createTable(aggregateStatements('db', false)))).toEqual(STORED);
		expect(ddlColumns(createTable(aggregateStatements('db', true)))).toEqual(STORED);
		expect(ddlColumns(distributedAggregateStatement('db', 'main'))).toEqual(STORED);
	});

	it('fill every column, by name, in the first fill and in the materialized view', () => {
		const [, , fill, view] = aggregateStatements('db', true);
		const names = STORED.map(([name]) => name).filter((name) => name !== 'load_id'); // selected as itself, not AS
		for (const sql of [fill!, view!]) expect([...sql.matchAll(/ AS (\w+)(?=,|\nFROM)/g)].map((m) => m[1])).toEqual(names);
	});

	it('merge every measure of the views from columns the aggregate has, at every held T and S, and refuse any other', () => {
		const stored = new Set(STORED.map(([name]) => name));
		for (const thresholdS of HELD_THRESHOLDS)
			for (const shortAbandonS of HELD_SHORT_ABANDONS) {
				const settings = { thresholdS, shortAbandonS, variant: SL_VARIANTS[0]! };
				const merged = SERVICE_AGGREGATE.merged(settings);
				for (const m of summaryView(settings, CLICKHOUSE).measures) {
					const read = merges(merged[m.name] ?? '');
					expect(read.length, m.name).toBeGreaterThan(0);
					for (const column of read) expect(stored.has(column), `${m.name} reads ${column}`).toBe(true);
				}
				expect(merges(merged.answered_within!)).toEqual([`within_${thresholdS}`]);
				expect(merges(merged.short_abandoned!)).toEqual([`short_${shortAbandonS}`]);
				expect(merges(merged.asa_s!)).toEqual(['asa_sum', 'asa_n']);
			}
		expect(() => SERVICE_AGGREGATE.merged({ thresholdS: 25, shortAbandonS: 5, variant: 'count' })).toThrow(/holds no counts for T = 25 s/);
		expect(() => SERVICE_AGGREGATE.merged({ thresholdS: 20, shortAbandonS: 4, variant: 'count' })).toThrow(/S = 4 s/);
	});

	describe('follow the measures’ definitions', () => {
		const withMeasure = (name: string, change: (m: Measure, refs: Record<'t' | 's', string>) => Measure): MeasuresAt => {
			return (refs) => serviceMeasures(CLICKHOUSE, refs).map((m) => (m.name === name ? change(m, refs) : m));
		};
		const stateOf = (measuresAt: MeasuresAt, column: string) => aggregateLayout(measuresAt).columns.find((c) => c.name === column)?.state;

		it('a changed condition changes the column that counts it', () => {
			const onlyAnswered = withMeasure('answered', (m) => ({ ...m, parts: { count: `outcome = 'answered'` } }));
			expect(stateOf(onlyAnswered, 'answered')).toBe(`sumState(toUInt64(ifNull(outcome = 'answered', 0)))`);
			expect(SERVICE_AGGREGATE.columns.find((c) => c.name === 'answered')!.state).toContain(`outcome IN ('answered', 'interrupted')`);
		});

		it('a count that starts reading S gets a column per held S, merged at the asked S', () => {
			const offeredAfterS = withMeasure('offered', (m, { s }) => ({ ...m, parts: { count: `outcome <> 'other' AND coalesce(wait_s, 0) >= ${s}` } }));
			const layout = aggregateLayout(offeredAfterS);
			const names = layout.columns.map((c) => c.name);
			expect(names).not.toContain('offered');
			// Per S, measure by measure, in service.ts's order: offered before short abandons.
			expect(names.slice(-6)).toEqual(['offered_3', 'offered_5', 'offered_10', 'short_3', 'short_5', 'short_10']);
			expect(stateOf(offeredAfterS, 'offered_10')).toBe(`sumState(toUInt64(ifNull(outcome <> 'other' AND coalesce(wait_s, 0) >= 10, 0)))`);
			expect(layout.merged({ thresholdS: 20, shortAbandonS: 10, variant: 'count' }).offered).toBe('sumMerge(offered_10)');
		});

		it('a mean that starts reading T gets a sum and a count per held T', () => {
			const asaWithinT = withMeasure('asa_s', (m, { t }) => ({ ...m, parts: { mean: 'wait_s', condition: `outcome = 'answered' AND wait_s <= ${t}` } }));
			const layout = aggregateLayout(asaWithinT);
			const names = layout.columns.map((c) => c.name);
			expect(names).not.toContain('asa_sum');
			expect(names).toEqual(expect.arrayContaining(HELD_THRESHOLDS.flatMap((t) => [`asa_${t}_sum`, `asa_${t}_n`])));
			expect(layout.columns.find((c) => c.name === 'asa_45_n')).toEqual({
				name: 'asa_45_n',
				type: COUNT,
				state: `sumState(toUInt64(ifNull((wait_s) IS NOT NULL AND (outcome = 'answered' AND wait_s <= 45), 0)))`
			});
			expect(layout.merged({ thresholdS: 45, shortAbandonS: 5, variant: 'count' }).asa_s).toBe('sumMerge(asa_45_sum) / nullIf(sumMerge(asa_45_n), 0)');
		});
	});
});

describe('the detail and wait-histogram aggregates', () => {
	const load: [string, string] = ['load_id', 'UInt64'];
	const grain = (time: 'slot' | 'day' | 'month', ...keys: [string, string][]): [string, string][] => [...keys, [time, "DateTime('UTC')"], load];
	const text: [string, string] = ['', 'String'];
	const detailGrain = (time: 'slot' | 'day' | 'month') => grain(time, ['queue', text[1]], ['agent', text[1]], ['outcome', text[1]], ['has_arrival', 'UInt8']);

	it('hold the service measures per department, agent, outcome and quarter hour, day or month', () => {
		const services = STORED.slice(4);
		for (const [spec, time] of [
			[DETAIL_SLOTS, 'slot'],
			[DETAIL_DAYS, 'day'],
			[DETAIL_MONTHS, 'month']
		] as const) {
			expect(ddlColumns(createTable(aggregateStatements('db', true, spec)))).toEqual([...detailGrain(time), ...services]);
			expect(ddlColumns(distributedAggregateStatement('db', 'main', spec))).toEqual([...detailGrain(time), ...services]);
		}
		expect(createTable(aggregateStatements('db', true, DETAIL_SLOTS))).toContain('ORDER BY (toDate(slot), agent, queue, outcome, has_arrival, slot, load_id)');
		expect(createTable(aggregateStatements('db', true, DETAIL_DAYS))).toContain('ORDER BY (agent, queue, outcome, has_arrival, day, load_id)');
		expect(createTable(aggregateStatements('db', true, DETAIL_MONTHS))).toContain('ORDER BY (agent, queue, outcome, has_arrival, month, load_id)');
	});

	it('hold the service measures per department by day and by month too, as by quarter hour', () => {
		for (const [spec, time] of [
			[SERVICE_DAYS, 'day'],
			[SERVICE_MONTHS, 'month']
		] as const) {
			expect(ddlColumns(createTable(aggregateStatements('db', false, spec)))).toEqual(
				ddlColumns(createTable(aggregateStatements('db', false, SLOT_AGGREGATE))).map(([name, type]) => [name === 'slot' ? time : name, type])
			);
			expect(createTable(aggregateStatements('db', false, spec))).toContain(`ORDER BY (queue, has_arrival, ${time}, load_id)`);
		}
		// A month is its first day at midnight UTC, whatever the server's own zone.
		expect(aggregateStatements('db', false, SERVICE_MONTHS).at(-1)).toContain(
			`ifNull(addDays(toStartOfDay(arrival, 'UTC'), 1 - toDayOfMonth(arrival, 'UTC')), toDateTime(0, 'UTC')) AS month`
		);
	});

	it('hold the wait histogram’s counts per department, outcome and whole second of wait, of the calls it counts only', () => {
		for (const [spec, time] of [
			[WAIT_SLOTS, 'slot'],
			[WAIT_DAYS, 'day'],
			[WAIT_MONTHS, 'month']
		] as const) {
			const statements = aggregateStatements('db', false, spec);
			expect(ddlColumns(createTable(statements))).toEqual([
				['queue', 'String'],
				['outcome', 'String'],
				['has_arrival', 'UInt8'],
				[time, "DateTime('UTC')"],
				['wait_s', 'Float64'],
				load,
				['answered', COUNT],
				['abandoned', COUNT]
			]);
			const [, , fill, view] = statements;
			expect(view).toContain(`WHERE outcome IN ('answered', 'interrupted', 'abandoned') AND wait_s IS NOT NULL\n`);
			// The first fill: those of the committed loads' calls only.
			expect(fill).toContain(`WHERE (outcome IN ('answered', 'interrupted', 'abandoned') AND wait_s IS NOT NULL) AND (load_id = 0 OR load_id IN (`);
			for (const sql of [fill!, view!]) expect(sql).toContain('floor(greatest(assumeNotNull(wait_s), 0)) AS wait_s');
		}
	});

	it('hold the same counts per agent too, sorted by agent (after the day), for an agent filter', () => {
		for (const [spec, time] of [
			[AGENT_WAIT_SLOTS, 'slot'],
			[AGENT_WAIT_DAYS, 'day'],
			[AGENT_WAIT_MONTHS, 'month']
		] as const) {
			const statements = aggregateStatements('db', true, spec);
			expect(ddlColumns(createTable(statements))).toEqual([
				['queue', 'String'],
				['agent', 'String'],
				['outcome', 'String'],
				['has_arrival', 'UInt8'],
				[time, "DateTime('UTC')"],
				['wait_s', 'Float64'],
				load,
				['answered', COUNT],
				['abandoned', COUNT]
			]);
			expect(statements.at(-1)).toContain(`WHERE outcome IN ('answered', 'interrupted', 'abandoned') AND wait_s IS NOT NULL\n`);
			expect(statements.at(-1)).toContain(`ifNull(agent, '') AS agent`);
		}
		expect(createTable(aggregateStatements('db', true, AGENT_WAIT_SLOTS))).toContain(
			'ORDER BY (toDate(slot), agent, queue, outcome, has_arrival, slot, wait_s, load_id)'
		);
		expect(createTable(aggregateStatements('db', true, AGENT_WAIT_DAYS))).toContain('ORDER BY (agent, queue, outcome, has_arrival, day, wait_s, load_id)');
	});

	it('are each made with the view last, on a shard, on one server, and through ON CLUSTER', () => {
		const DB = '`db`';
		const names = [
			'calls_agg',
			'calls_detail',
			'calls_detail_day',
			'calls_waits',
			'calls_waits_day',
			'calls_agent_waits',
			'calls_agent_waits_day',
			'calls_agg_day',
			'calls_agg_month',
			'calls_detail_month',
			'calls_waits_month',
			'calls_agent_waits_month'
		];
		expect(AGGREGATES.map((a) => a.table)).toEqual(names);
		expect(AGGREGATES.map((a) => a.table)).toEqual([...PRE_AGGREGATES]);
		for (const spec of AGGREGATES) {
			expect([spec.rows, spec.local, spec.view]).toEqual([`${spec.table}_rows`, `${spec.table}_local`, `${spec.table}_mv`]);
			expect(aggregateStatements('db', true, spec).at(-1)).toMatch(
				new RegExp(`^CREATE MATERIALIZED VIEW ${DB}\\.${spec.view} TO ${DB}\\.${spec.local} AS SELECT .*\\sFROM ${DB}\\.calls_local`, 's')
			);
			expect(aggregateStatements('db', false, spec).at(-1)).toMatch(
				new RegExp(`^CREATE MATERIALIZED VIEW ${DB}\\.${spec.view} TO ${DB}\\.${spec.rows} AS SELECT .*\\sFROM ${DB}\\.calls_rows\\n`, 's')
			);
			// The materialized view takes every row a load sends; the first fill, the committed loads' only.
			expect(aggregateStatements('db', false, spec).at(-1)).not.toContain('holdline_loads');
			expect(aggregateStatements('db', false, spec)[2]).toContain(`load_id = 0 OR load_id IN (SELECT load_id FROM ${DB}.holdline_loads)`);
			expect(aggregateStatements('db', true, spec)[2]).toContain(`load_id = 0 OR load_id GLOBAL IN (SELECT load_id FROM ${DB}.holdline_commits)`);
			// What the queries read: the view of the committed loads' groups.
			expect(committedAggregateStatement('db', false, spec)).toBe(
				`CREATE VIEW IF NOT EXISTS ${DB}.${spec.table} AS SELECT * FROM ${DB}.${spec.rows} WHERE load_id = 0 OR load_id IN (SELECT load_id FROM ${DB}.holdline_loads)`
			);
			const onCluster = clusterAggregateStatements('db', 'main', spec);
			expect(onCluster.map((sql) => sql.split(' (')[0]!.split(' SELECT')[0])).toEqual([
				`DROP TABLE IF EXISTS ${DB}.${spec.table} ON CLUSTER \`main\``,
				`DROP TABLE IF EXISTS ${DB}.${spec.rows} ON CLUSTER \`main\``,
				`DROP TABLE IF EXISTS ${DB}.${spec.local} ON CLUSTER \`main\``,
				`CREATE TABLE ${DB}.${spec.local} ON CLUSTER \`main\``,
				`CREATE TABLE IF NOT EXISTS ${DB}.${spec.rows} ON CLUSTER \`main\``,
				`INSERT INTO ${DB}.${spec.rows}`,
				`CREATE MATERIALIZED VIEW ${DB}.${spec.view} ON CLUSTER \`main\` TO ${DB}.${spec.local} AS`
			]);
			// The first fill reads every shard's committed calls (the Distributed table); the view, each shard's own.
			expect(onCluster[5]).toMatch(/FROM `db`\.calls_rows\nWHERE .*load_id GLOBAL IN \(SELECT load_id FROM `db`\.holdline_commits\)/);
			expect(onCluster[6]).toMatch(/FROM `db`\.calls_local\n/);
		}
	});
});

describe('a time range split into whole days and the quarter hours of the days it cuts', () => {
	it('reads whole days from the days and the rest from the quarter hours', () => {
		expect(splitRange({ from: '2024-03-01 09:30:00', to: '2024-03-04 14:15:00' })).toEqual({
			days: { from: '2024-03-02 00:00:00', to: '2024-03-04 00:00:00' },
			slots: [
				{ from: '2024-03-01 09:30:00', to: '2024-03-02 00:00:00' },
				{ from: '2024-03-04 00:00:00', to: '2024-03-04 14:15:00' }
			]
		});
		expect(splitRange({ from: '2024-03-02 00:00:00', to: '2024-03-04 00:00:00' })).toEqual({
			days: { from: '2024-03-02 00:00:00', to: '2024-03-04 00:00:00' },
			slots: []
		});
		expect(splitRange({ from: null, to: null })).toEqual({ days: { from: null, to: null }, slots: [] });
		expect(splitRange({ from: '2024-02-28 23:45:00', to: null })).toEqual({
			days: { from: '2024-02-29 00:00:00', to: null },
			slots: [{ from: '2024-02-28 23:45:00', to: '2024-02-29 00:00:00' }]
		});
		expect(splitRange({ from: null, to: '2024-12-31 00:15:00' })).toEqual({
			days: { from: null, to: '2024-12-31 00:00:00' },
			slots: [{ from: '2024-12-31 00:00:00', to: '2024-12-31 00:15:00' }]
		});
	});

	it('keeps a range within a day (or two, with no whole day between) in quarter hours, and an empty one empty', () => {
		expect(splitRange({ from: '2024-03-01 09:00:00', to: '2024-03-01 17:00:00' })).toEqual({
			days: null,
			slots: [{ from: '2024-03-01 09:00:00', to: '2024-03-01 17:00:00' }]
		});
		expect(splitRange({ from: '2024-03-01 22:00:00', to: '2024-03-02 02:00:00' })).toEqual({
			days: null,
			slots: [{ from: '2024-03-01 22:00:00', to: '2024-03-02 02:00:00' }]
		});
		expect(splitRange({ from: '2024-03-01 00:00:00', to: '2024-03-01 00:00:00' })).toEqual({ days: null, slots: [] });
		expect(splitRange({ from: '2024-03-02 10:00:00', to: '2024-03-01 10:00:00' })).toEqual({ days: null, slots: [] });
	});

	it('covers every quarter hour of the range once (checked quarter hour by quarter hour over two months)', () => {
		const at = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
		const start = Date.parse('2024-02-27T00:00:00Z');
		const quarter = 900_000;
		const inRange = (t: string, r: { from: string | null; to: string | null }) => (r.from === null || t >= r.from) && (r.to === null || t < r.to);
		for (const [from, to] of [
			[start + 37 * quarter, start + 400 * quarter],
			[start + 96 * quarter, start + 97 * quarter],
			[start + 5 * quarter, start + 96 * 3 * quarter],
			[start + 95 * quarter, start + 97 * quarter]
		] as const) {
			const range = { from: at(from), to: at(to) };
			const { days, slots } = splitRange(range);
			for (let t = start; t < start + 96 * 60 * quarter; t += quarter) {
				const slot = at(t);
				const day = `${slot.slice(0, 10)} 00:00:00`;
				const viaDays = days !== null && inRange(day, days) ? 1 : 0;
				const viaSlots = slots.filter((r) => inRange(slot, r)).length;
				expect(viaDays + viaSlots, `${slot} in [${range.from}, ${range.to})`).toBe(inRange(slot, range) ? 1 : 0);
			}
		}
	});
});

describe('whole days split into whole months and the days of the months they cut', () => {
	it('reads whole months from the months and the rest from the days', () => {
		expect(splitMonths({ from: '2024-02-28 00:00:00', to: '2024-05-02 00:00:00' })).toEqual({
			months: { from: '2024-03-01 00:00:00', to: '2024-05-01 00:00:00' },
			days: [
				{ from: '2024-02-28 00:00:00', to: '2024-03-01 00:00:00' },
				{ from: '2024-05-01 00:00:00', to: '2024-05-02 00:00:00' }
			]
		});
		expect(splitMonths({ from: null, to: null })).toEqual({ months: { from: null, to: null }, days: [] });
		expect(splitMonths({ from: '2024-12-15 00:00:00', to: null })).toEqual({
			months: { from: '2025-01-01 00:00:00', to: null },
			days: [{ from: '2024-12-15 00:00:00', to: '2025-01-01 00:00:00' }]
		});
		expect(splitMonths({ from: '2024-03-05 00:00:00', to: '2024-03-20 00:00:00' })).toEqual({
			months: null,
			days: [{ from: '2024-03-05 00:00:00', to: '2024-03-20 00:00:00' }]
		});
		expect(splitMonths({ from: '2024-03-05 00:00:00', to: '2024-03-05 00:00:00' })).toEqual({ months: null, days: [] });
	});

	it('covers every day of the range once (checked day by day over two years, leap day and year ends included)', () => {
		const day = (ms: number) => `${new Date(ms).toISOString().slice(0, 10)} 00:00:00`;
		const start = Date.parse('2023-11-01T00:00:00Z');
		const DAY = 86_400_000;
		const inRange = (t: string, r: { from: string | null; to: string | null }) => (r.from === null || t >= r.from) && (r.to === null || t < r.to);
		const ends = [0, 1, 29, 30, 31, 59, 60, 61, 120, 121, 365, 400, 700];
		const wrong: string[] = [];
		for (const a of ends)
			for (const b of ends) {
				const range = { from: a === 0 ? null : day(start + a * DAY), to: b === 700 ? null : day(start + b * DAY) };
				const { months, days } = splitMonths(range);
				for (let t = start; t < start + 730 * DAY; t += DAY) {
					const d = day(t);
					const viaMonths = months !== null && inRange(`${d.slice(0, 7)}-01 00:00:00`, months) ? 1 : 0;
					const times = viaMonths + days.filter((r) => inRange(d, r)).length;
					if (times !== (inRange(d, range) ? 1 : 0)) wrong.push(`${d} read ${times} times in [${range.from}, ${range.to})`);
				}
			}
		expect(wrong).toEqual([]);
	});
});
