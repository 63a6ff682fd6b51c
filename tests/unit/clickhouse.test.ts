import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeEngine } from '$lib/engine/node';
import { openClickHouseEngine, type ClickHouseEngine } from '$lib/engine/clickhouse';
import { CALLS_TABLE, copyCalls, createTables, parseLoadTarget, tableStatements, type LoadTarget } from '$lib/imports/clickhouse-load';
import { migrateTables } from '$lib/imports/clickhouse-loads';
import type { Engine, Query } from '$lib/engine/types';
import { clickhouseLiteral } from '$lib/sql/dialect-clickhouse';
import type { Dialect } from '$lib/sql/dialect';
import {
	DIALECTS,
	groupQuery,
	intervalQuery,
	optionsQuery,
	SL_VARIANTS,
	summaryQuery,
	waitHistogramQuery,
	waitHistogramRange,
	waitReachQuery,
	type ServiceSettings
} from '$lib/metrics/service';
import { generateText } from '$lib/synthetic/generate';
import { callbacksQuery, repeatCallersQuery } from '$lib/metrics/callers';
import { staffingLoadQuery } from '$lib/metrics/staffing-load';
import { afterOnsetHistogramQuery, incidentByQuery, incidentQuery } from '$lib/metrics/incident';
import { importFromDisk, importSettings } from '../../src/cli/shared';
import { expectSameRows } from './same-rows';
import {
	AGGREGATE_TABLE,
	aggregateStatements,
	createAggregate,
	DETAIL_DAYS,
	findAggregate,
	findAggregates,
	partitionKey,
	WAIT_DAYS,
	type Aggregates
} from '$lib/preagg/clickhouse-aggregate';
import { aggregatesViewQuery, aggregateViewQuery, type AggregateQuestion } from '$lib/preagg/service-aggregate-clickhouse';
import { namedViewQuery, runNamedView } from '$lib/query/named-views';
import type { NamedViewRequest } from '$lib/query/remote-views';
import { openServedEngine } from '$lib/server/engines';
import { clickhouseInstalled, startCluster, type Cluster } from '$lib/server/clickhouse-cluster';
import { EMPTY_FILTER, type Filter } from '$lib/filters/filter';

// The metric views on ClickHouse (two shards, a Distributed table) against the same calls in
// DuckDB: same rows for every view, filter kind and abandon treatment.
const installed = clickhouseInstalled();
if (!installed) console.warn('clickhouse tests skipped: /usr/sbin/clickhouse-server is not installed (apt-get install clickhouse-server)');

const DUCK = DIALECTS.duckdb;
const CH = DIALECTS.clickhouse;

/** The tables a rendered query reads (FROM …). */
const tablesRead = (sql: string) => [...new Set([...sql.matchAll(/\bFROM\s+([A-Za-z_][\w.]*)/g)].map((m) => m[1]))];
const namedRequest = (view: NamedViewRequest['view'], filter: Filter, settings: Partial<NamedViewRequest['settings']> = {}): NamedViewRequest => ({
	dataset: 'ds_000000000000',
	view,
	filter,
	settings: { thresholdS: 20, shortAbandonS: 5, variant: 'count', interval: 30, onset: null, end: null, longS: 120, ...settings }
});

describe.skipIf(!installed)('ClickHouse: the metric views on a two-shard cluster', () => {
	let cluster: Cluster;
	let duck: Engine;
	let ch: ClickHouseEngine;
	let dir: string;
	let target: LoadTarget;
	let duckTable: string;
	let filters: [string, Filter][];

	beforeAll(async () => {
		cluster = await startCluster();
		dir = mkdtempSync(join(tmpdir(), 'holdline-ch-test-'));
		const file = join(dir, 'calls.csv');
		writeFileSync(file, [...generateText({ rows: 4000, seed: 11, start: '2024-03-01', incident: '2024-03-01 14:28:00', completeShare: 0.5 }, 'csv')].join(''));
		duck = await openNodeEngine();
		duckTable = (await importFromDisk(duck, importSettings({ 'utc-offset': '0' }, [file]), 'calls')).result.table;
		// Records without an arrival time exist (a PBX row with its start blank): every view and
		// filter must leave them out on both engines, and loading them must not fail.
		await duck.exec(`UPDATE ${duckTable} SET arrival = NULL WHERE rowid % 97 = 0`);
		// Callers' numbers (the generated CSV has none): 53 numbers written two ways, anonymous and
		// missing ones, and some calls called back, for the caller views.
		await duck.exec(`UPDATE ${duckTable} SET
		  caller = CASE rowid % 9 WHEN 0 THEN NULL WHEN 1 THEN 'anonymous' WHEN 2 THEN '+86 138-0000-' || lpad(CAST(rowid % 53 AS VARCHAR), 4, '0')
		    ELSE '86138000' || lpad(CAST(rowid % 53 AS VARCHAR), 4, '0') END,
		  callback_at = CASE WHEN rowid % 4 = 0 THEN arrival + INTERVAL 3 HOUR END`);
		const [s1, s2] = cluster.shards.map((s) => s.url);
		target = parseLoadTarget(`clickhouse:${s1}/hl?cluster=holdline&shard=${s1}&shard=${s2}`);
		target = { ...target, username: cluster.writer.username, password: cluster.writer.password };
		await createTables(target);
		const writer = openClickHouseEngine(target);
		await copyCalls(duck, duckTable, writer, undefined, 1500); // several pieces
		await writer.close();
		// Questions go to the second shard, as the read-only user: the Distributed table asks both.
		ch = openClickHouseEngine({ ...target, url: s2!, username: cluster.reader.username, password: cluster.reader.password });
		const options = await duck.query<{ field: string; value: string }>(optionsQuery(duckTable));
		const queue = options.find((o) => o.field === 'queue')!.value;
		const agent = options.find((o) => o.field === 'agent')!.value;
		filters = [
			['none', EMPTY_FILTER],
			['queue', { ...EMPTY_FILTER, queue }],
			['queues', { ...EMPTY_FILTER, queues: [queue, "it's \\ 中"] }],
			['agent', { ...EMPTY_FILTER, agent }],
			['outcome', { ...EMPTY_FILTER, outcome: 'abandoned' }],
			['time range', { ...EMPTY_FILTER, from: '2024-03-01 09:30:00', to: '2024-03-01 14:15:00' }],
			['hostile value', { ...EMPTY_FILTER, queue: "x' OR 1=1 --\\'\u0000" }]
		];
	}, 120_000);

	afterAll(async () => {
		await ch?.close();
		await cluster?.stop();
		if (dir) rmSync(dir, { recursive: true, force: true });
	}, 180_000); // a shard may take over 10 s to stop on a busy machine, and removing its data dir 80 s (measured at load average 20)

	const both = async (make: (table: string, d: Dialect) => Query, what: string) => {
		const expected = await duck.query(make(duckTable, DUCK));
		const actual = await ch.query(make(CALLS_TABLE, CH));
		expect(expected.length, `${what}: DuckDB has rows to compare`).toBeGreaterThan(0);
		expectSameRows(actual, expected, what);
	};

	it('all calls arrived, spread over both shards', async () => {
		const [{ n }] = (await duck.query<{ n: number }>({ sql: `SELECT count(*) AS n FROM ${duckTable}`, params: [] })) as [{ n: number }];
		const [{ total }] = (await ch.query<{ total: number }>({ sql: `SELECT count() AS total FROM ${CALLS_TABLE}`, params: [] })) as [{ total: number }];
		expect(total).toBe(n);
		// Each shard holds part of the calls (cityHash64 of call_id), not all of them.
		const first = Number(
			(
				await fetch(`${cluster.shards[0]!.url}/?user=reader&password=${cluster.reader.password}`, {
					method: 'POST',
					body: 'SELECT count() FROM hl.calls_local'
				}).then((r) => r.text())
			).trim()
		);
		expect(first).toBeGreaterThan(0);
		expect(first).toBeLessThan(n);
	});

	it('the call-back list and the repeat-caller rates give the same rows as DuckDB', async () => {
		for (const [name, filter] of filters) {
			if (name.includes('hostile')) continue;
			// An agent answered: never an abandon, so no one to call back.
			if (name !== 'agent')
				for (const unmask of [false, true])
					for (const hours of [2, 24])
						await both((t, d) => callbacksQuery(t, filter, { hours, unmask }, d), `callbacks ${hours} h, filter ${name}${unmask ? ', unmasked' : ''}`);
			await both((t, d) => repeatCallersQuery(t, filter, d), `repeat callers, filter ${name}`);
		}
	}, 120_000);

	it('every view × filter × abandon treatment gives the same rows as DuckDB', async () => {
		for (const variant of SL_VARIANTS) {
			const settings: ServiceSettings = { thresholdS: 20, shortAbandonS: 5, variant };
			for (const [name, filter] of filters) {
				const what = (view: string) => `${view}, filter ${name}, ${variant}`;
				await both((t, d) => summaryQuery(t, settings, filter, d), what('summary'));
				for (const size of [15, 30, 60, 'day', 'week'] as const)
					if (!name.includes('hostile')) await both((t, d) => intervalQuery(t, settings, filter, size, d), what(`interval ${size}`));
				if (!name.includes('hostile')) {
					// The staffing load takes no abandon treatment: asked once per filter and interval.
					if (variant === 'count')
						for (const size of [15, 30, 60, 'day'] as const) await both((t, d) => staffingLoadQuery(t, filter, size, d), what(`staffing load ${size}`));
					await both((t, d) => groupQuery(t, settings, filter, 'queue', 1000, d), what('by queue'));
					if (name !== 'outcome') await both((t, d) => groupQuery(t, settings, filter, 'agent', 1000, d), what('by agent'));
				}
			}
		}
	}, 120_000);

	it('the hostile filter value matches nothing on either engine, and the summary says so', async () => {
		const filter = filters.find(([n]) => n === 'hostile value')![1];
		const [row] = await ch.query<{ volume: number }>(summaryQuery(CALLS_TABLE, { thresholdS: 20, shortAbandonS: 5, variant: 'count' }, filter, CH));
		expect(row!.volume).toBe(0);
	});

	it('wait reach, histogram (with its overflow bin) and options agree', async () => {
		const [duckReach] = await duck.query<{ reach_s: number }>(waitReachQuery(duckTable, DUCK));
		const [chReach] = await ch.query<{ reach_s: number }>(waitReachQuery(CALLS_TABLE, CH));
		// ClickHouse's quantile interpolates as quantile_cont does (exactly, under 8192 values).
		expect(chReach!.reach_s).toBeCloseTo(duckReach!.reach_s, 6);
		const { binS, maxS } = waitHistogramRange(20, duckReach!.reach_s);
		expect(waitHistogramRange(20, chReach!.reach_s)).toEqual({ binS, maxS });
		for (const [name, filter] of filters.filter(([n]) => !n.includes('hostile')))
			await both((t, d) => waitHistogramQuery(t, filter, binS, maxS, d), `waits, filter ${name}`);
		const bins = await ch.query<{ bin_end: number | null }>(waitHistogramQuery(CALLS_TABLE, EMPTY_FILTER, binS, maxS, CH));
		expect(bins.at(-1)!.bin_end).toBeNull(); // the overflow bin
		await both((t, d) => optionsQuery(t, d), 'options');
	});

	it('the incident views (in progress at an onset, by department and agent, service after onset) agree', async () => {
		for (const end of [null, '2024-03-01 15:10:00']) {
			const window = { onset: '2024-03-01 14:28:00', end, longS: 120 };
			for (const [name, filter] of filters.filter(([n]) => ['none', 'queue', 'agent'].includes(n))) {
				const what = (view: string) => `${view}, filter ${name}, end ${end}`;
				await both((t, d) => incidentQuery(t, window, filter, d), what('incident'));
				if (name === 'agent') continue; // one agent may have no call in progress then: no rows to compare
				await both((t, d) => incidentByQuery(t, window, filter, 'queue', d), what('incident by queue'));
				if (name === 'none') await both((t, d) => incidentByQuery(t, window, filter, 'agent', d), what('incident by agent'));
				await both((t, d) => afterOnsetHistogramQuery(t, window, filter, 30, 600, d), what('after onset'));
			}
		}
		// The onset falls inside the data: there are calls in service and waiting to compare.
		const [atOnset] = await duck.query<{ in_service: number; waiting: number; reach_after_onset_s: number | null }>(
			incidentQuery(duckTable, { onset: '2024-03-01 14:28:00', end: null, longS: 120 }, EMPTY_FILTER)
		);
		expect(atOnset!.in_service).toBeGreaterThanOrEqual(5); // 10 with this seed
		expect(atOnset!.waiting).toBeGreaterThan(0);
		expect(atOnset!.reach_after_onset_s).not.toBeNull();
		// An onset before any call: nothing in progress, and the figures over nothing are NULL on both.
		await both((t, d) => incidentQuery(t, { onset: '2000-01-01 00:00:00', end: null, longS: 120 }, EMPTY_FILTER, d), 'incident before the data');
	}, 60_000);

	it('a calls table loaded before the caller columns gains them at the next load, its rows kept', async () => {
		const old = {
			...parseLoadTarget(`clickhouse:${cluster.shards[0]!.url}/before_callers`),
			username: cluster.writer.username,
			password: cluster.writer.password
		};
		const writer = openClickHouseEngine({ ...old, database: 'default' });
		try {
			await writer.exec('CREATE DATABASE IF NOT EXISTS before_callers');
			await writer.exec(
				`CREATE TABLE before_callers.calls (call_id Nullable(String), queue Nullable(String), agent Nullable(String), arrival Nullable(DateTime('UTC')), answer Nullable(DateTime('UTC')), ended Nullable(DateTime('UTC')), wait_s Nullable(Float64), talk_s Nullable(Float64), hold_s Nullable(Float64), wrap_s Nullable(Float64), outcome Nullable(String), source_file Nullable(String), source_line Nullable(Int64)) ENGINE = MergeTree ORDER BY ifNull(call_id, '')`
			);
			await writer.exec(`INSERT INTO before_callers.calls (call_id, outcome) VALUES ('old1', 'answered')`);
			// As `npm run load` does: the earlier layout brought to loads with ids, then the tables made.
			await migrateTables(old);
			await createTables(old);
			await createTables(old); // once they are there, nothing more is asked of the table
			for (const table of ['calls_rows', 'calls']) {
				const columns = await writer.query<{ name: string }>({
					sql: `SELECT name FROM system.columns WHERE database = 'before_callers' AND table = '${table}'`,
					params: []
				});
				expect(
					columns.map((c) => c.name).filter((c) => c === 'caller' || c === 'callback_at'),
					table
				).toEqual(['caller', 'callback_at']);
			}
			const rows = await writer.query({ sql: 'SELECT call_id, caller, callback_at FROM before_callers.calls', params: [] });
			expect(rows).toEqual([{ call_id: 'old1', caller: null, callback_at: null }]);
		} finally {
			await writer.exec('DROP DATABASE IF EXISTS before_callers').catch(() => {});
			await writer.close();
		}
	}, 120_000);

	it('the reader cannot write', async () => {
		await expect(ch.exec(`INSERT INTO ${CALLS_TABLE} (call_id) VALUES ('x')`)).rejects.toThrow(/readonly/i);
	});

	it('loading the same file twice does not double it (npm run load)', () => {
		const file = join(dir, 'twice.csv');
		writeFileSync(file, [...generateText({ rows: 300, seed: 3, start: '2024-05-01', incident: null, completeShare: 0.5 }, 'csv')].join(''));
		const [s1, s2] = cluster.shards.map((s) => s.url);
		const into = `clickhouse:${s1}/twice?cluster=holdline&shard=${s1}&shard=${s2}`;
		const env = { ...process.env, HOLDLINE_CLICKHOUSE_USER: cluster.writer.username, HOLDLINE_CLICKHOUSE_PASSWORD: cluster.writer.password };
		const load = () =>
			execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/load.ts', file, '--into', into, '--utc-offset', '0'], { env, encoding: 'utf8' });
		const first = load();
		expect(first).toMatch(/^300 calls from .*twice\.csv .* loaded into/m);
		expect(first).toContain('Data quality: 300 rows read → 300 calls');
		const second = load();
		expect(second).toMatch(/twice\.csv: already loaded \(as twice\.csv, 300 calls/);
		const count = Number(
			execFileSync('curl', ['-s', '--data-binary', 'SELECT count() FROM twice.calls', `${s2}/?user=reader&password=${cluster.reader.password}`], {
				encoding: 'utf8'
			}).trim()
		);
		expect(count).toBe(300);
		// The first load made the pre-aggregate; the second, skipped, added nothing to it.
		const aggregated = execFileSync(
			'curl',
			['-s', '--data-binary', 'SELECT sumMerge(volume) FROM twice.calls_agg', `${s2}/?user=reader&password=${cluster.reader.password}`],
			{ encoding: 'utf8' }
		).trim();
		expect(Number(aggregated)).toBe(300);
	}, 120_000);

	describe('the pre-aggregate (materialized view into an AggregatingMergeTree)', () => {
		// A database loaded as before the aggregate existed: calls, and no aggregate.
		let aggTarget: LoadTarget;
		let reader: ClickHouseEngine;
		let duckBoth = '';
		const settingsCases: ServiceSettings[] = [
			{ thresholdS: 20, shortAbandonS: 5, variant: 'count' },
			{ thresholdS: 20, shortAbandonS: 5, variant: 'exclude' },
			{ thresholdS: 45, shortAbandonS: 10, variant: 'exclude_short' },
			{ thresholdS: 10, shortAbandonS: 3, variant: 'exclude_short' },
			{ thresholdS: 300, shortAbandonS: 5, variant: 'count' }
		];
		/** The department × quarter-hour aggregate's questions. */
		const questions: [string, AggregateQuestion][] = [
			['summary', { view: 'summary' }],
			...([15, 30, 60, 'day', 'week'] as const).map((size): [string, AggregateQuestion] => [`interval ${size}`, { view: 'intervals', size }]),
			['queues', { view: 'queues', limit: 40 }],
			['report queues', { view: 'queues', limit: 1000 }]
		];
		/** Every dashboard and report view the aggregates answer: the detail's and the wait histogram's too (bins of 5 s and 1 s). */
		const allQuestions: [string, AggregateQuestion][] = [
			...questions,
			['agents', { view: 'agents', limit: 30 }],
			['report agents', { view: 'agents', limit: 1000 }],
			['waits', { view: 'waits', binS: 5, maxS: 60 }],
			['waits by second', { view: 'waits', binS: 1, maxS: 30 }]
		];
		const baseQuery = (q: AggregateQuestion, table: string, settings: ServiceSettings, filter: Filter, d: Dialect) =>
			q.view === 'summary'
				? summaryQuery(table, settings, filter, d)
				: q.view === 'intervals'
					? intervalQuery(table, settings, filter, q.size, d)
					: q.view === 'waits'
						? waitHistogramQuery(table, filter, q.binS, q.maxS, d)
						: groupQuery(table, settings, filter, q.view === 'queues' ? 'queue' : 'agent', q.limit, d);
		const onGrainFilters = () => {
			const queue = filters.find(([n]) => n === 'queue')![1].queue!;
			return [
				...filters.filter(([n]) => ['none', 'queue', 'queues', 'time range'].includes(n)),
				['from only', { ...EMPTY_FILTER, from: '2024-03-01 12:00:00' }],
				['to only', { ...EMPTY_FILTER, to: '2024-03-01 10:45:00' }],
				['department and time', { ...EMPTY_FILTER, queue, from: '2024-03-01 08:15:00', to: '2024-03-01 16:00:00' }]
			] as [string, Filter][];
		};
		/** The detail aggregates' filters besides: agent, outcome, and ranges of whole days with the quarter hours of the days they cut. */
		const detailFilters = () => {
			const { queue } = filters.find(([n]) => n === 'queue')![1];
			const { agent } = filters.find(([n]) => n === 'agent')![1];
			return [
				...onGrainFilters(),
				['agent', { ...EMPTY_FILTER, agent }],
				['outcome', { ...EMPTY_FILTER, outcome: 'abandoned' }],
				['answered', { ...EMPTY_FILTER, outcome: 'answered' }],
				['agent and time', { ...EMPTY_FILTER, agent, from: '2024-03-01 10:00:00', to: '2024-03-03 16:45:00' }],
				['department, outcome and time', { ...EMPTY_FILTER, queue, outcome: 'abandoned', from: '2024-03-01 09:45:00', to: '2024-03-04 12:00:00' }],
				['whole days', { ...EMPTY_FILTER, from: '2024-03-02 00:00:00', to: '2024-03-04 00:00:00' }],
				['days and quarter hours', { ...EMPTY_FILTER, from: '2024-03-01 13:30:00', to: '2024-03-05 08:15:00' }],
				['from a quarter hour on', { ...EMPTY_FILTER, from: '2024-03-02 07:45:00' }],
				['until a quarter hour', { ...EMPTY_FILTER, to: '2024-03-03 21:15:00' }],
				['an empty range', { ...EMPTY_FILTER, from: '2024-03-02 10:00:00', to: '2024-03-02 10:00:00' }],
				['a whole month', { ...EMPTY_FILTER, from: '2024-03-01 00:00:00', to: '2024-04-01 00:00:00' }],
				['months, days and quarter hours', { ...EMPTY_FILTER, from: '2024-02-27 06:00:00', to: '2024-04-02 08:00:00' }],
				['an agent over months', { ...EMPTY_FILTER, agent, from: '2024-02-29 00:00:00', to: '2024-05-01 00:00:00' }],
				['until the month after', { ...EMPTY_FILTER, to: '2024-04-01 00:00:00' }],
				['from the month before', { ...EMPTY_FILTER, queue, from: '2024-02-01 00:00:00' }]
			] as [string, Filter][];
		};
		/**
		 * Every question on the grain: the aggregate's rows are the calls table's and DuckDB's; with
		 * `detail`, the detail and wait aggregates' too (checked once the calls span several days).
		 */
		const expectAggregateAnswers = async (duckCalls: string, detail = false) => {
			for (const settings of settingsCases)
				for (const [name, filter] of onGrainFilters()) {
					// The cluster answers a filter's questions side by side (DuckDB, one at a time, below).
					const answers = await Promise.all(
						questions.map(([, q]) =>
							Promise.all([
								reader.query(aggregateViewQuery(AGGREGATE_TABLE, q, settings, filter)),
								reader.query(baseQuery(q, CALLS_TABLE, settings, filter, CH))
							])
						)
					);
					for (const [i, [view, q]] of questions.entries()) {
						const what = `${view}, filter ${name}, T ${settings.thresholdS} S ${settings.shortAbandonS} ${settings.variant}`;
						const [fromAggregate, fromCalls] = answers[i]!;
						const fromDuck = await duck.query(baseQuery(q, duckCalls, settings, filter, DUCK));
						expect(fromDuck.length, `${what}: rows to compare`).toBeGreaterThan(0);
						expectSameRows(fromAggregate, fromCalls, `${what} (aggregate vs calls)`);
						expectSameRows(fromAggregate, fromDuck, `${what} (aggregate vs DuckDB)`);
					}
				}
			if (detail) await expectDetailAnswers(duckCalls);
		};
		/**
		 * Every view × filter on the detail and wait aggregates' grain, as the server chooses its
		 * source (`aggregatesViewQuery`): the same rows as the calls table and DuckDB (the wait
		 * histogram under an agent filter from the per-agent wait counts).
		 */
		const expectDetailAnswers = async (duckCalls: string) => {
			const aggregates = (await findAggregates(reader))!;
			expect(aggregates.detail && aggregates.waits && aggregates.agentWaits).toBeTruthy();
			for (const settings of [settingsCases[0]!, settingsCases[2]!])
				for (const [name, filter] of detailFilters()) {
					const asked = allQuestions
						.filter(([view]) => view !== 'report queues')
						.map(([view, q]) => ({ what: `${view}, filter ${name}, T ${settings.thresholdS} S ${settings.shortAbandonS} ${settings.variant}`, q }));
					// The cluster answers them side by side (DuckDB, one at a time, below).
					const answers = await Promise.all(
						asked.map(async ({ what, q }) => {
							const query = aggregatesViewQuery(aggregates, q, settings, filter);
							expect(query, what).not.toBeNull();
							expect(tablesRead(query!.sql), what).not.toContain(CALLS_TABLE);
							if (q.view === 'waits' && filter.agent) expect(tablesRead(query!.sql).join(' '), what).toMatch(/^calls_agent_waits/);
							return Promise.all([reader.query(query!), reader.query(baseQuery(q, CALLS_TABLE, settings, filter, CH))]);
						})
					);
					for (const [i, { what, q }] of asked.entries()) {
						const [fromAggregate, fromCalls] = answers[i]!;
						const fromDuck = await duck.query(baseQuery(q, duckCalls, settings, filter, DUCK));
						if (q.view === 'summary' || (name === 'none' && q.view !== 'waits') || (name === 'agent' && q.view === 'waits'))
							expect(fromDuck.length, `${what}: rows to compare`).toBeGreaterThan(0);
						expectSameRows(fromAggregate, fromCalls, `${what} (aggregates vs calls)`);
						expectSameRows(fromAggregate, fromDuck, `${what} (aggregates vs DuckDB)`);
					}
				}
		};
		const aggregateVolume = async () =>
			Number((await reader.query<{ n: number }>({ sql: `SELECT sumMerge(volume) AS n FROM ${AGGREGATE_TABLE}`, params: [] }))[0]!.n);
		const callCount = async () => Number((await reader.query<{ n: number }>({ sql: `SELECT count() AS n FROM ${CALLS_TABLE}`, params: [] }))[0]!.n);

		beforeAll(async () => {
			aggTarget = { ...target, database: 'agg' };
			await createTables(aggTarget);
			const writer = openClickHouseEngine(aggTarget);
			await copyCalls(duck, duckTable, writer, undefined, 1500);
			await writer.close();
			reader = openClickHouseEngine({ ...aggTarget, url: cluster.shards[1]!.url, ...cluster.reader });
		}, 60_000);
		afterAll(() => reader?.close());

		it('a database loaded without it has none, and is served from the calls table', async () => {
			expect(await findAggregate(reader)).toBeNull();
			const request = namedRequest('summary', EMPTY_FILTER);
			const served = await openServedEngine(`clickhouse:${cluster.shards[0]!.url.replace('//', `//reader:${cluster.reader.password}@`)}/agg`, 1);
			try {
				expect(served.aggregate).toBeNull();
				expect(tablesRead((await namedViewQuery(request, CALLS_TABLE, () => Promise.resolve([]), CH, served.aggregate)).sql)).toEqual([CALLS_TABLE]);
			} finally {
				await served.close();
			}
		});

		it('the next load creates it on every shard and fills it from the calls already there', async () => {
			await createTables(aggTarget);
			await createAggregate(aggTarget);
			expect(await findAggregate(reader)).toBe(AGGREGATE_TABLE);
			// Each shard's aggregate holds that shard's calls: a count of the calls themselves.
			for (const url of cluster.shards.map((s) => s.url)) {
				const shard = openClickHouseEngine({ ...aggTarget, url, ...cluster.reader });
				const [local] = await shard.query<{ calls: number; aggregated: number }>({
					sql: `SELECT (SELECT count() FROM calls_local) AS calls, (SELECT sumMerge(volume) FROM calls_agg_local) AS aggregated`,
					params: []
				});
				await shard.close();
				expect(local!.calls).toBeGreaterThan(0);
				expect(local!.aggregated).toBe(local!.calls);
			}
			await expectAggregateAnswers(duckTable);
			// Filled from the calls already there, as the detail aggregates are: one day of calls here.
			expect(await findAggregates(reader)).toMatchObject({ detail: { days: 'calls_detail_day' }, waits: { days: 'calls_waits_day' } });
		}, 400_000); // 735 questions, each through the view of committed loads (a read of their ids)

		it('a second file loaded updates it through the view, and loading again fills nothing twice', async () => {
			// Calls of the next day, with fractional waits on the edges of the thresholds (19.5,
			// 20.2, 4.9 …) and calls without a department. (Not calls without an arrival: 18.16 fails
			// `arrival < …` over a part holding a NULL arrival, "Cannot compare unsigned long with
			// DB::Null", on the calls table.)
			const file = join(dir, 'second.csv');
			// Five days of 300 calls: time ranges of whole days and parts of days.
			writeFileSync(
				file,
				[...generateText({ rows: 1500, seed: 12, start: '2024-03-02', incident: null, completeShare: 0.5, callsPerDay: 300 }, 'csv')].join('')
			);
			const second = (await importFromDisk(duck, importSettings({ 'utc-offset': '0' }, [file]), 'calls_second')).result.table;
			await duck.exec(`UPDATE ${second} SET wait_s = wait_s + CASE rowid % 4 WHEN 0 THEN 0.5 WHEN 1 THEN 0.2 WHEN 2 THEN -0.1 ELSE 0 END`);
			await duck.exec(`UPDATE ${second} SET queue = NULL WHERE rowid % 50 = 0`);
			const fractional = await duck.query<{ n: number }>({ sql: `SELECT count(*) AS n FROM ${second} WHERE wait_s <> floor(wait_s)`, params: [] });
			expect(fractional[0]!.n).toBeGreaterThan(100);
			duckBoth = 'calls_both';
			await duck.exec(`CREATE VIEW ${duckBoth} AS SELECT * FROM ${duckTable} UNION ALL SELECT * FROM ${second}`);
			// A database of the version before the per-agent wait counts and the months: the next load makes them, filled from its calls.
			const later = [
				'calls_agent_waits',
				'calls_agent_waits_day',
				'calls_agent_waits_month',
				'calls_agg_day',
				'calls_agg_month',
				'calls_detail_month',
				'calls_waits_month'
			];
			for (const url of cluster.shards.map((s) => s.url)) {
				const shard = openClickHouseEngine({ ...aggTarget, url });
				for (const name of later) for (const table of [`${name}_mv`, name, `${name}_rows`, `${name}_local`]) await shard.exec(`DROP TABLE ${table}`);
				await shard.close();
			}
			// And its days partitioned by month, as every aggregate was then: made again, by year.
			const monthly = (sql: string) => sql.replace(`PARTITION BY ${partitionKey(DETAIL_DAYS)}`, 'PARTITION BY toYYYYMM(day)');
			for (const url of cluster.shards.map((s) => s.url)) {
				const shard = openClickHouseEngine({ ...aggTarget, url });
				for (const spec of [DETAIL_DAYS, WAIT_DAYS]) {
					await shard.exec(`DROP TABLE ${spec.view}`);
					for (const sql of aggregateStatements(aggTarget.database, true, spec)) await shard.exec(monthly(sql));
				}
				await shard.close();
			}
			const partitions = async () => {
				const keys: string[] = [];
				for (const url of cluster.shards.map((s) => s.url)) {
					const shard = openClickHouseEngine({ ...aggTarget, url });
					const rows = await shard.query<{ key: string }>({
						sql: `SELECT partition_key AS key FROM system.tables WHERE database = currentDatabase() AND name IN ('calls_detail_day_local', 'calls_waits_day_local') ORDER BY name`,
						params: []
					});
					keys.push(...rows.map((r) => r.key));
					await shard.close();
				}
				return keys;
			};
			expect(await partitions()).toEqual(Array(4).fill('toYYYYMM(day)'));
			const before = (await findAggregates(reader))!;
			expect([before.agentWaits, before.service, before.detail?.months, before.waits?.months]).toEqual([null, null, null, null]);
			// Until then an agent's waits are read from the calls (no aggregate answers them).
			expect(aggregatesViewQuery(before, { view: 'waits', binS: 5, maxS: 60 }, settingsCases[0]!, { ...EMPTY_FILTER, agent: 'x' })).toBeNull();
			await createTables(aggTarget);
			await createAggregate(aggTarget); // as every load does: the views there are kept, nothing is refilled; the missing and repartitioned ones made and filled
			expect(await partitions()).toEqual(Array(4).fill('toYear(day)'));
			expect((await findAggregates(reader))!).toMatchObject({
				service: { slots: AGGREGATE_TABLE, days: 'calls_agg_day', months: 'calls_agg_month' },
				detail: { months: 'calls_detail_month' },
				waits: { months: 'calls_waits_month' },
				agentWaits: { slots: 'calls_agent_waits', days: 'calls_agent_waits_day', months: 'calls_agent_waits_month' }
			});
			const writer = openClickHouseEngine(aggTarget);
			await copyCalls(duck, second, writer, undefined, 700);
			await writer.close();
			await createAggregate(aggTarget);
			const [{ n }] = (await duck.query<{ n: number }>({ sql: `SELECT count(*) AS n FROM ${duckBoth}`, params: [] })) as [{ n: number }];
			expect(await callCount()).toBe(n);
			expect(await aggregateVolume()).toBe(n);
			// The first file's calls filled in, the second's through the views, over six days.
			await expectAggregateAnswers(duckBoth, true);
		}, 400_000);

		it('on one server (no cluster) the view fills `calls_agg` itself, before and after a load', async () => {
			const single: LoadTarget = { ...target, database: 'single', cluster: null, shards: [] };
			await createTables(single);
			const writer = openClickHouseEngine(single);
			await copyCalls(duck, duckTable, writer, undefined, 1500);
			await createAggregate(single); // filled from the calls there
			const file = join(dir, 'single.csv');
			writeFileSync(file, [...generateText({ rows: 500, seed: 13, start: '2024-03-03', incident: null, completeShare: 0.5 }, 'csv')].join(''));
			const more = (await importFromDisk(duck, importSettings({ 'utc-offset': '0' }, [file]), 'calls_single')).result.table;
			await copyCalls(duck, more, writer); // through the view
			try {
				expect(await findAggregate(writer)).toBe(AGGREGATE_TABLE);
				const [{ n }] = (await duck.query<{ n: number }>({
					sql: `SELECT (SELECT count(*) FROM ${duckTable}) + (SELECT count(*) FROM ${more}) AS n`,
					params: []
				})) as [{ n: number }];
				const [{ v }] = (await writer.query<{ v: number }>({ sql: `SELECT sumMerge(volume) AS v FROM ${AGGREGATE_TABLE}`, params: [] })) as [{ v: number }];
				expect(v).toBe(n);
				for (const settings of settingsCases.slice(0, 3))
					for (const [view, q] of questions)
						expectSameRows(
							await writer.query(aggregateViewQuery(AGGREGATE_TABLE, q, settings, EMPTY_FILTER)),
							await writer.query(baseQuery(q, CALLS_TABLE, settings, EMPTY_FILTER, CH)),
							`one server: ${view}, ${settings.variant}`
						);
			} finally {
				await writer.close();
			}
		}, 60_000);

		it('the server asks them for questions on their grain, and the calls table for every other', async () => {
			const served = await openServedEngine(`clickhouse:${cluster.shards[0]!.url.replace('//', `//reader:${cluster.reader.password}@`)}/agg`, 1);
			const ask = (q: Query) => reader.query(q);
			const reads = async (request: NamedViewRequest) => tablesRead((await namedViewQuery(request, CALLS_TABLE, ask, CH, served.aggregate)).sql);
			try {
				expect(served.aggregate).toEqual<Aggregates>({
					slots: AGGREGATE_TABLE,
					service: { slots: AGGREGATE_TABLE, days: 'calls_agg_day', months: 'calls_agg_month' },
					detail: { slots: 'calls_detail', days: 'calls_detail_day', months: 'calls_detail_month' },
					waits: { slots: 'calls_waits', days: 'calls_waits_day', months: 'calls_waits_month' },
					agentWaits: { slots: 'calls_agent_waits', days: 'calls_agent_waits_day', months: 'calls_agent_waits_month' }
				});
				const queue = filters.find(([n]) => n === 'queue')![1].queue!;
				const offGrain: [string, Filter, Partial<ServiceSettings>][] = [
					['from off the quarter hour', { ...EMPTY_FILTER, from: '2024-03-01 09:10:00' }, {}],
					['to with seconds', { ...EMPTY_FILTER, to: '2024-03-01 09:15:30' }, {}],
					// An empty name in a list is a value ('' would match the aggregates' calls without one).
					['an empty department in a list', { ...EMPTY_FILTER, queues: [''] }, {}]
				];
				const unheld: [string, Filter, Partial<ServiceSettings>][] = [
					['a threshold it does not hold', EMPTY_FILTER, { thresholdS: 25 }],
					['a fractional threshold', EMPTY_FILTER, { thresholdS: 20.5 }],
					['a short abandon it does not hold', EMPTY_FILTER, { shortAbandonS: 4 }]
				];
				// Sub-day intervals without an agent or outcome filter: the department × quarter-hour aggregate.
				expect(await reads(namedRequest('intervals', EMPTY_FILTER, { interval: 30 }))).toEqual([AGGREGATE_TABLE]);
				expect(await reads(namedRequest('intervals', { ...EMPTY_FILTER, queues: [queue], from: '2024-03-01 09:00:00' }, { interval: 15 }))).toEqual([
					AGGREGATE_TABLE
				]);
				for (const view of ['summary', 'intervals', 'queues', 'reportQueues', 'agents', 'reportAgents'] as const) {
					// Intervals of a day add up days, every other answer months; an agent or outcome needs the detail.
					const detail = (interval: 15 | 'day') => (view !== 'intervals' ? ['calls_detail_month'] : interval === 15 ? ['calls_detail'] : ['calls_detail_day']);
					const perAgent = view === 'agents' || view === 'reportAgents';
					expect(await reads(namedRequest(view, EMPTY_FILTER, { interval: 'day' })), view).toEqual(
						perAgent ? detail('day') : view === 'intervals' ? ['calls_agg_day'] : ['calls_agg_month']
					);
					for (const filter of [{ agent: 'x' }, { outcome: 'abandoned' }, { queue, agent: 'x', outcome: 'answered' }])
						expect((await reads(namedRequest(view, { ...EMPTY_FILTER, ...filter }, { interval: 15 }))).sort(), `${view}, ${JSON.stringify(filter)}`).toEqual(
							detail(15).sort()
						);
					// Whole days from the days, the cut days' quarter hours from the quarter hours.
					expect(
						(
							await reads(namedRequest(view, { ...EMPTY_FILTER, agent: 'x', from: '2024-03-01 09:00:00', to: '2024-03-04 10:00:00' }, { interval: 'day' }))
						).sort(),
						view
					).toEqual(['calls_detail', 'calls_detail_day']);
					// Whole months from the months, the days of the months it cuts from the days.
					expect(
						(
							await reads(namedRequest(view, { ...EMPTY_FILTER, agent: 'x', from: '2024-02-27 06:00:00', to: '2024-04-02 08:00:00' }, { interval: 'day' }))
						).sort(),
						view
					).toEqual(view === 'intervals' ? ['calls_detail', 'calls_detail_day'] : ['calls_detail', 'calls_detail_day', 'calls_detail_month']);
					for (const [what, filter, settings] of [...offGrain, ...unheld])
						expect(await reads(namedRequest(view, filter, settings)), `${view}, ${what}`).toEqual([CALLS_TABLE]);
				}
				// The wait histogram: its reach read from the calls (once per load, by the server), its bins from the aggregate.
				expect(await reads(namedRequest('waits', EMPTY_FILTER))).toEqual(['calls_waits_month']);
				expect(await reads(namedRequest('waits', { ...EMPTY_FILTER, outcome: 'abandoned', from: '2024-03-01 09:15:00' }))).toEqual([
					'calls_waits_month',
					'calls_waits_day',
					'calls_waits'
				]);
				expect(await reads(namedRequest('waits', EMPTY_FILTER, { thresholdS: 25 }))).toEqual(['calls_waits_month']);
				// An agent's waits from the per-agent counts, the cut days' quarter hours from theirs.
				expect(await reads(namedRequest('waits', { ...EMPTY_FILTER, agent: 'x' }))).toEqual(['calls_agent_waits_month']);
				expect((await reads(namedRequest('waits', { ...EMPTY_FILTER, agent: 'x', from: '2024-03-01 09:15:00' }))).sort()).toEqual([
					'calls_agent_waits',
					'calls_agent_waits_day',
					'calls_agent_waits_month'
				]);
				for (const view of ['staffingLoad', 'options', 'waitReach'] as const)
					expect(await reads(namedRequest(view, EMPTY_FILTER)), view).toEqual([CALLS_TABLE]);
				// Off the grain, the answer is still right: the calls table's.
				const off = namedRequest('summary', { ...EMPTY_FILTER, from: '2024-03-02 09:10:00' }, { thresholdS: 25 });
				expectSameRows(
					await runNamedView(off, CALLS_TABLE, ask, CH, served.aggregate),
					await duck.query(summaryQuery(duckBoth, off.settings, off.filter)),
					'summary off the grain'
				);
			} finally {
				await served.close();
			}
		});
	});

	it('a shard that is down gives a clear error, not a partial answer', async () => {
		await cluster.stopShard(0);
		try {
			await expect(ch.query(summaryQuery(CALLS_TABLE, { thresholdS: 20, shortAbandonS: 5, variant: 'count' }, EMPTY_FILTER, CH))).rejects.toThrow(
				/^ClickHouse at http:\/\/127\.0\.0\.1:\d+\/hl: All connection tries failed\. \(code 279\)$/
			);
		} finally {
			await cluster.startShard(0);
		}
	}, 60_000);
});

describe.skipIf(!installed)('ClickHouse literals (clickhouseLiteral) round-trip hostile values', () => {
	let cluster: Cluster;
	let ch: ClickHouseEngine;
	beforeAll(async () => {
		cluster = await startCluster(1);
		ch = openClickHouseEngine({ url: cluster.shards[0]!.url, database: 'default', ...cluster.reader });
	}, 60_000);
	afterAll(async () => {
		await ch?.close();
		await cluster?.stop();
	});

	const hostile = fc.oneof(
		fc.string({ unit: 'binary' }),
		fc.string({ unit: fc.constantFrom("'", '\\', '\u0000', '"', '\n', '\r', '\t', '`', '?', '中', '😀', '\u007f', '\u001b', "\\'", '%', '{', '}') })
	);

	it('strings: whatever the text, ClickHouse reads back exactly it', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(hostile, { maxLength: 20 }), async (texts) => {
				const [row] = await ch.query<{ v: string[] }>({ sql: `SELECT [${['', ...texts].map(clickhouseLiteral).join(', ')}] AS v`, params: [] });
				expect(row!.v).toEqual(['', ...texts]);
			}),
			{ numRuns: 150 }
		);
	}, 60_000);

	it('numbers, booleans and NULL read back as themselves', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.oneof(
					fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
					fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0) && (x === 0 || Math.abs(x) >= 2.2250738585072014e-308))
				),
				async (x) => {
					const [row] = await ch.query<{ v: number }>({ sql: `SELECT toFloat64(${clickhouseLiteral(x)}) AS v`, params: [] });
					expect(row!.v).toBe(x);
				}
			),
			{ numRuns: 150 }
		);
		const [row] = await ch.query({
			sql: `SELECT ${clickhouseLiteral(null)} AS n, ${clickhouseLiteral(true)} AS t, ${clickhouseLiteral(false)} AS f`,
			params: []
		});
		expect(row).toEqual({ n: null, t: 1, f: 0 });
	}, 60_000);

	it('refuses what could not arrive as it is', () => {
		expect(() => clickhouseLiteral('a\uD800b')).toThrow(/surrogate/);
		expect(() => clickhouseLiteral(Number.NaN)).toThrow();
		expect(() => clickhouseLiteral(Infinity)).toThrow();
		expect(() => clickhouseLiteral(5e-324)).toThrow(/too close to zero/); // 18.16 cannot parse subnormals
	});
});

describe('ClickHouse load targets (no server needed)', () => {
	it('reads user, password, database, cluster and shards from --into, and the environment as a fallback', () => {
		const t = parseLoadTarget('clickhouse:http://loader:s%40cret@ch1:8123/callcenter?cluster=main&shard=http://ch1:8123&shard=http://ch2:8123/');
		expect(t).toEqual({
			url: 'http://ch1:8123',
			database: 'callcenter',
			username: 'loader',
			password: 's@cret',
			cluster: 'main',
			shards: ['http://ch1:8123', 'http://ch2:8123']
		});
		expect(parseLoadTarget('clickhouse:http://ch1:8123', { HOLDLINE_CLICKHOUSE_USER: 'u', HOLDLINE_CLICKHOUSE_PASSWORD: 'p' })).toMatchObject({
			database: 'default',
			username: 'u',
			password: 'p',
			cluster: null,
			shards: []
		});
	});

	it('refuses names that would not be plain identifiers, and addresses that are not ClickHouse URLs', () => {
		expect(() => parseLoadTarget('clickhouse:http://ch1:8123/calls`; DROP TABLE x')).toThrow(/Invalid ClickHouse name/);
		expect(() => parseLoadTarget("clickhouse:http://ch1:8123/db?cluster=a'b")).toThrow(/Invalid ClickHouse name/);
		expect(() => parseLoadTarget('http://ch1:8123')).toThrow(/--into takes clickhouse:/);
	});

	it('makes local tables on every named shard, or asks ON CLUSTER when no shard is named', () => {
		const listed = tableStatements(parseLoadTarget('clickhouse:http://a:1/db?cluster=main&shard=http://a:1&shard=http://b:2'));
		expect(listed.filter((s) => /calls_local .*MergeTree/s.test(s.sql)).map((s) => s.url)).toEqual(['http://a:1', 'http://b:2']);
		expect(listed.filter((s) => /Distributed\(`main`, `db`, calls_local, cityHash64/.test(s.sql)).map((s) => s.url)).toEqual(['http://a:1', 'http://b:2']);
		const onCluster = tableStatements(parseLoadTarget('clickhouse:http://a:1/db?cluster=main'));
		// The database, the local and Distributed rows, the records of loads, their Distributed table, the view of committed calls.
		expect(onCluster.filter((s) => /ON CLUSTER `main`/.test(s.sql))).toHaveLength(6);
		expect(onCluster.every((s) => s.url === 'http://a:1')).toBe(true);
	});
});
