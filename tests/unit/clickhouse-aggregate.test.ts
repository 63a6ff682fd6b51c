import { describe, expect, it } from 'vitest';
import { aggregateStatements, distributedAggregateStatement } from '$lib/preagg/clickhouse-aggregate';
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
