import { beforeAll, describe, expect, it } from 'vitest';
import { engine, importFixtures } from './import-helpers';
import { CSV_HEADER, csvLine, generateCalls } from '$lib/synthetic/generate';
import { EMPTY_FILTER, type Filter } from '$lib/filters/filter';
import type { Query, Row, SqlParam } from '$lib/engine/types';
import { localViews } from '$lib/query/named-views';
import { computeReport } from '$lib/report/model';
import { reportTables } from '$lib/report/tables';
import type { ReportSpec } from '$lib/report/spec';
import { NEEDS_CALLS } from '$lib/metrics/interval-notes';
import { translateMessage } from '$lib/i18n/messages';
import { DUCKDB } from '$lib/sql/dialect-duckdb';
import { CLICKHOUSE } from '$lib/sql/dialect-clickhouse';
import { INTERVAL_TABLE_COLUMNS } from '$lib/metrics/interval-measures';
import { intervalRollupQuery } from '$lib/metrics/interval-rollup';
import { answers, askable, INTERVAL_VIEW_NAMES, renderView, type NamedViewRequest, type ViewName } from '$lib/metrics/views/registry';
import { viewSettings } from '$lib/metrics/views/spec';
import type { IntervalSize, SlVariant } from '$lib/metrics/service';
import { refIntervalMetrics, refIntervalMetricsBy, refRollup, type RefIntervalCall, type RefIntervalRow, type RefVariant } from '../reference/interval-metrics';

/*
 * The interval views (`metrics/interval-measures.ts`) over an interval table equal the
 * reference's weighted sums over the same rows, and equal the per-call views over the calls
 * the table was rolled up from, for every view intervals answer. The calls are generated and
 * imported; the interval table is the reference's roll-up of them, loaded as rows.
 */
const MEASURES = [
	'volume',
	'offered',
	'answered',
	'abandoned',
	'short_abandoned',
	'unanswered',
	'answered_within',
	'asa_s',
	'aht_s',
	'service_level',
	'abandon_rate'
] as const;

let callsTable = '';
let calls: RefIntervalCall[] = [];
let counter = 0;

async function run(request: NamedViewRequest, table: string): Promise<Row[]> {
	return (await engine()).query(renderView(request, table, DUCKDB));
}

/** A table of interval rows, loaded directly (no import). */
async function loadIntervals(rows: RefIntervalRow[]): Promise<string> {
	const db = await engine();
	const table = `ivs_test_${++counter}`;
	await db.exec(`CREATE TABLE ${table} (${INTERVAL_TABLE_COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ')})`);
	for (let i = 0; i < rows.length; i += 100) {
		const batch = rows.slice(i, i + 100);
		const params: SqlParam[] = batch.flatMap((r) => INTERVAL_TABLE_COLUMNS.map(([name]) => r[name] as SqlParam));
		const row = `(${INTERVAL_TABLE_COLUMNS.map(([, type]) => `CAST(? AS ${type})`).join(', ')})`;
		await db.query({ sql: `INSERT INTO ${table} VALUES ${batch.map(() => row).join(', ')}`, params });
	}
	return table;
}

const request = (
	view: ViewName,
	{
		filter = EMPTY_FILTER,
		interval = 60,
		thresholdS = 20,
		variant = 'count'
	}: { filter?: Filter; interval?: IntervalSize; thresholdS?: number; variant?: SlVariant } = {},
	kind?: 'intervals'
): NamedViewRequest => ({
	dataset: 'test',
	view,
	filter,
	settings: viewSettings({ thresholdS, shortAbandonS: 5, variant }, { interval }),
	kind
});

function expectMeasures(answer: object, expected: object, label: string, names: readonly string[] = MEASURES) {
	const actual = answer as Row;
	for (const name of names) {
		const want = (expected as Record<string, unknown>)[name] as number | null;
		const got = actual[name] == null ? null : Number(actual[name]);
		if (want === null || got === null) expect(got, `${label} ${name}`).toBe(want);
		else expect(got, `${label} ${name}`).toBeCloseTo(want, 6);
	}
}

const byKey = (rows: Row[]) => [...rows].sort((a, b) => String(a.key).localeCompare(String(b.key)));

beforeAll(async () => {
	const generated = [...generateCalls({ rows: 3000, seed: 23, start: '2024-03-04', incident: null, completeShare: 1, callsPerDay: 1500 })];
	const { table } = await importFixtures([['synthetic.csv', [CSV_HEADER, ...generated.map(csvLine)].join('\n') + '\n']]);
	callsTable = table;
	calls = (await (
		await engine()
	).query({
		sql: `SELECT queue, strftime(arrival, '%Y-%m-%d %H:%M:%S') AS arrival, outcome, wait_s, talk_s, hold_s, wrap_s FROM ${table} WHERE arrival IS NOT NULL`,
		params: []
	})) as unknown as RefIntervalCall[];
}, 120_000);

describe('rolling calls up into intervals', () => {
	it('the SQL roll-up holds the reference roll-up’s rows', async () => {
		const db = await engine();
		for (const minutes of [30, 60] as const) {
			const expected = refRollup(calls, minutes);
			const rows = await db.query(intervalRollupQuery(callsTable, { thresholdS: 20, shortAbandonS: 5, variant: 'count' }, minutes));
			expect(rows.length).toBe(expected.length);
			rows.forEach((row, i) => {
				const want = expected[i]!;
				expect(new Date(Number(row.interval_start)).toISOString().slice(0, 19).replace('T', ' ')).toBe(want.interval_start);
				for (const [name] of INTERVAL_TABLE_COLUMNS.slice(2)) {
					const w = want[name];
					if (w === null || typeof w === 'string') expect(row[name] ?? null, `${want.interval_start} ${name}`).toBe(w);
					else expect(Number(row[name]), `${want.interval_start} ${name}`).toBeCloseTo(w, 6);
				}
			});
		}
	});
});

describe.each([30, 60] as const)('interval views over a %i-minute table', (minutes) => {
	let table = '';
	let rows: RefIntervalRow[] = [];
	beforeAll(async () => {
		rows = refRollup(calls, minutes);
		table = await loadIntervals(rows);
	});

	const FILTERS: Filter[] = [
		EMPTY_FILTER,
		{ ...EMPTY_FILTER, queue: '座席二部' },
		{ ...EMPTY_FILTER, from: '2024-03-04 09:00:00', to: '2024-03-05 14:00:00' },
		{ ...EMPTY_FILTER, queues: ['座席一部', '座席三部'] }
	];
	const within = (filter: Filter) => (r: RefIntervalRow) =>
		(!filter.queue || r.queue === filter.queue) &&
		(!filter.queues?.length || filter.queues.includes(r.queue)) &&
		(!filter.from || r.interval_start! >= filter.from) &&
		(!filter.to || r.interval_start! < filter.to);

	it.each(['count', 'exclude', 'exclude_short'] as RefVariant[])(
		'summary, per queue and over time equal the reference and the per-call views (%s)',
		async (variant) => {
			for (const filter of FILTERS) {
				const chosen = rows.filter(within(filter));
				const label = `${variant} ${JSON.stringify(filter)}`;
				const summary = (await run(request('summary', { filter, variant }, 'intervals'), table))[0]!;
				expectMeasures(summary, refIntervalMetrics(chosen, { variant }), `summary ${label}`);
				expect(summary.service_level_reason ?? null).toBeNull();
				expectMeasures(summary, (await run(request('summary', { filter, variant }), callsTable))[0]!, `summary vs calls ${label}`);

				for (const view of ['queues', 'reportQueues'] as const) {
					const got = byKey(await run(request(view, { filter, variant }, 'intervals'), table));
					const ref = refIntervalMetricsBy(chosen, 'queue', { variant }).sort((a, b) => a.key.localeCompare(b.key));
					const perCall = byKey(await run(request(view, { filter, variant }), callsTable));
					expect(got.map((r) => r.key)).toEqual(ref.map((r) => r.key));
					expect(got.map((r) => r.key)).toEqual(perCall.map((r) => r.key));
					got.forEach((r, i) => {
						expectMeasures(r, ref[i]!, `${view} ${r.key} ${label}`);
						expectMeasures(r, perCall[i]!, `${view} vs calls ${r.key} ${label}`);
					});
				}

				const sizes: IntervalSize[] = minutes === 30 ? [30, 60, 'day', 'week'] : [60, 'day', 'week'];
				for (const interval of sizes) {
					const got = await run(request('intervals', { filter, variant, interval }, 'intervals'), table);
					const ref = refIntervalMetricsBy(chosen, { minutes: interval === 'day' ? 1440 : interval }, { variant });
					const perCall = await run(request('intervals', { filter, variant, interval }), callsTable);
					expect(got.map((r) => r.key)).toEqual(ref.map((r) => r.key));
					expect(got.map((r) => r.key)).toEqual(perCall.map((r) => r.key));
					got.forEach((r, i) => {
						expectMeasures(r, ref[i]!, `intervals ${interval} ${r.key} ${label}`);
						expectMeasures(r, perCall[i]!, `intervals vs calls ${interval} ${r.key} ${label}`);
					});
				}
			}
		},
		120_000
	);

	it('the staffing load equals the per-call load in what intervals tell (offered, answered, abandons, AHT, waits)', async () => {
		for (const interval of minutes === 30 ? ([30, 60, 'day'] as const) : ([60, 'day'] as const))
			for (const filter of FILTERS) {
				const got = await run(request('staffingLoad', { filter, interval }, 'intervals'), table);
				const perCall = await run(request('staffingLoad', { filter, interval }), callsTable);
				expect(got.map((r) => r.key)).toEqual(perCall.map((r) => r.key));
				got.forEach((r, i) =>
					expectMeasures(r, perCall[i]!, `staffing ${interval} ${r.key}`, ['offered', 'answered', 'abandoned', 'aht_s', 'handled', 'wait_sum_s'])
				);
				// No staffed time in the file: the agents seen are unknown, not zero.
				expect(got.every((r) => r.agents_seen === null)).toBe(true);
			}
	}, 60_000);

	it('says why, instead of a number, for a T the file does not give or short abandons it does not count', async () => {
		const other = (await run(request('summary', { thresholdS: 30 }, 'intervals'), table))[0]!;
		expect([other.service_level, other.answered_within, other.service_level_reason, Number(other.file_threshold_s)]).toEqual([null, null, 'threshold', 20]);
		expectMeasures(other, refIntervalMetrics(rows, { thresholdS: 30 }), 'other T');
		expect(Number(other.offered)).toBe(rows.reduce((n, r) => n + r.offered, 0));

		const withoutShort = rows.map((r) => ({ ...r, short_abandoned: null }));
		const noShort = await loadIntervals(withoutShort);
		const short = (await run(request('summary', { variant: 'exclude_short' }, 'intervals'), noShort))[0]!;
		expect([short.service_level, short.abandon_rate, short.service_level_reason, short.abandon_rate_reason]).toEqual([
			null,
			null,
			'short_abandons',
			'short_abandons'
		]);
		const counted = (await run(request('summary', { variant: 'count' }, 'intervals'), noShort))[0]!;
		expectMeasures(counted, refIntervalMetrics(withoutShort, { variant: 'count' }), 'count without short abandons');
		expect(counted.service_level_reason ?? null).toBeNull();

		const noWithin = await loadIntervals(rows.map((r) => ({ ...r, answered_within: null, sl_threshold_s: null })));
		expect((await run(request('summary', {}, 'intervals'), noWithin))[0]!.service_level_reason).toBe('not_given');
	});

	it('averages weigh each row by its calls, not each row alike', async () => {
		// Two rows: one call waiting 100 s, 99 calls waiting 0 s. The mean of the rows' ASAs would be 50 s.
		const base = rows[0]!;
		const two = await loadIntervals([
			{ ...base, answered: 1, offered: 1, abandoned: 0, answered_within: 0, wait_s_sum: 100, handled: 1, handle_s_sum: 300 },
			{ ...base, queue: 'other', answered: 99, offered: 99, abandoned: 0, answered_within: 99, wait_s_sum: 0, handled: 99, handle_s_sum: 99 * 100 }
		]);
		const summary = (await run(request('summary', {}, 'intervals'), two))[0]!;
		expect(Number(summary.asa_s)).toBeCloseTo(1, 9);
		expect(Number(summary.aht_s)).toBeCloseTo(102, 9);
		expect(Number(summary.service_level)).toBeCloseTo(0.99, 9);
	});
});

describe('what interval datasets answer', () => {
	it('answers the summary, intervals, queues, report and staffing views, and refuses the ones that need calls', () => {
		expect(INTERVAL_VIEW_NAMES.sort()).toEqual(['intervals', 'options', 'queues', 'reportQueues', 'staffingLoad', 'summary']);
		for (const view of ['waits', 'waitReach', 'agents', 'reportAgents', 'incident', 'incidentQueues', 'incidentAgents', 'afterOnset'] as const) {
			expect(answers(view, 'intervals')).toBe(false);
			expect(askable(request(view, {}, 'intervals'))).toBe(false);
			expect(() => renderView(request(view, {}, 'intervals'), 't', DUCKDB)).toThrow(/per-call data/);
		}
		expect(() => renderView(request('summary', { filter: { ...EMPTY_FILTER, agent: 'S1-001' } }, 'intervals'), 't', DUCKDB)).toThrow(/no agent/);
	});

	it('renders every interval view for ClickHouse, values inlined', () => {
		for (const view of INTERVAL_VIEW_NAMES) {
			const query = renderView(request(view, { filter: { ...EMPTY_FILTER, queue: "a'b", from: '2024-03-04 00:00:00' } }, 'intervals'), 'ds_x', CLICKHOUSE);
			expect(query.params).toEqual([]);
			expect(query.sql).not.toContain('?');
			expect(query.sql).not.toContain('FILTER (WHERE');
		}
	});
});

describe('the weekly report of an interval dataset', () => {
	it('holds what intervals answer, as the calls’ report does, and says why the rest is empty', async () => {
		const table = await loadIntervals(refRollup(calls, 60));
		const db = await engine();
		const ask = (query: Query) => db.query(query);
		const spec: ReportSpec = {
			from: '2024-03-04',
			to: '2024-03-05',
			queues: [],
			by: 'day',
			settings: { thresholdS: 20, shortAbandonS: 5, variant: 'count' },
			goal: 0.8,
			onset: '2024-03-04 14:00:00',
			end: null
		};
		const source = { name: 'test', files: ['x.csv'], format: 'generic', rows: 1, from: null, to: null };
		const fromIntervals = await computeReport(
			localViews(ask, table, DUCKDB, null, 'intervals'),
			table,
			spec,
			{ ...source, kind: 'intervals', intervalMinutes: 60 },
			null
		);
		const fromCalls = await computeReport(localViews(ask, callsTable), callsTable, spec, source, null);
		expectMeasures(fromIntervals.summary, fromCalls.summary, 'report summary');
		expect(fromIntervals.intervals.map((r) => r.key)).toEqual(fromCalls.intervals.map((r) => r.key));
		fromIntervals.intervals.forEach((r, i) => expectMeasures(r, fromCalls.intervals[i]!, `report day ${r.key}`));
		expect([fromIntervals.agents, fromIntervals.waits, fromIntervals.incident]).toEqual([[], [], null]);
		expect(fromIntervals.extra.map((x) => x.id)).toEqual(['staffing']);
		// No logged-in time in the file: no agents seen (not zero), and the reason in place of a shortfall.
		const staffing = fromIntervals.extra[0]!;
		expect(staffing.note).toEqual([{ key: 'service.intervals.why.staffed' }]);
		expect(staffing.rows.every((r) => r.agents_seen === null && r.sl_c_seen === null)).toBe(true);
		for (const lang of ['zh-CN', 'en'] as const) {
			const tables = new Map(reportTables(fromIntervals, lang).map((x) => [x.id, x]));
			for (const id of ['agents', 'waits', 'incident'] as const)
				expect(tables.get(id)?.rows, `${lang} ${id}`).toEqual([{ note: translateMessage(lang, { key: NEEDS_CALLS[id] }) }]);
		}
		// Another T than the file's: no service level, and the summary says why.
		const otherT = await computeReport(
			localViews(ask, table, DUCKDB, null, 'intervals'),
			table,
			{ ...spec, settings: { ...spec.settings, thresholdS: 30 }, onset: null },
			{ ...source, kind: 'intervals' },
			null
		);
		expect(otherT.summary.service_level).toBeNull();
		const summaryRows = reportTables(otherT, 'en').find((x) => x.id === 'summary')!.rows;
		expect(summaryRows.at(-1)!.metric).toBe(translateMessage('en', { key: 'service.intervals.why.threshold', values: { fileT: 20, t: 30 } }));
	}, 60_000);
});
