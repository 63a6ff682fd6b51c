import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeEngine } from '$lib/engine/node';
import { openClickHouseEngine, type ClickHouseEngine } from '$lib/engine/clickhouse';
import type { Engine, Row, SqlParam } from '$lib/engine/types';
import { clickhouseInstalled, startCluster, type Cluster } from '$lib/server/clickhouse-cluster';
import { DIALECTS, SL_VARIANTS, type IntervalSize } from '$lib/metrics/service';
import { INTERVAL_TABLE_COLUMNS } from '$lib/metrics/interval-measures';
import { INTERVAL_VIEW_NAMES, renderView, type NamedViewRequest } from '$lib/metrics/views/registry';
import { viewSettings } from '$lib/metrics/views/spec';
import { clock, generateCalls } from '$lib/synthetic/generate';
import { EMPTY_FILTER, type Filter } from '$lib/filters/filter';
import { refRollup, type RefIntervalRow } from '../reference/interval-metrics';
import { createTables, parseLoadTarget } from '$lib/imports/clickhouse-load';
import { copyIntervals, createIntervalTable } from '$lib/imports/clickhouse-intervals';
import { openServedEngine } from '$lib/server/engines';
import { runNamedView } from '$lib/query/named-views';

/*
 * The interval views rendered for ClickHouse (the subset 18.16 runs) give DuckDB's rows over the
 * same interval table: every view intervals answer, each abandon treatment, each filter kind.
 */
const installed = clickhouseInstalled();
if (!installed) console.warn('interval views on ClickHouse skipped: /usr/sbin/clickhouse-server is not installed');

const CH_TYPES: Record<string, string> = {
	TIMESTAMP: `Nullable(DateTime('UTC'))`,
	INTEGER: 'Nullable(Int32)',
	BIGINT: 'Nullable(Int64)',
	DOUBLE: 'Nullable(Float64)',
	VARCHAR: 'Nullable(String)'
};

describe.skipIf(!installed)('interval views on ClickHouse', () => {
	let cluster: Cluster;
	let ch: ClickHouseEngine;
	let duck: Engine;
	let rows: RefIntervalRow[];

	beforeAll(async () => {
		cluster = await startCluster(1);
		const calls = [...generateCalls({ rows: 2000, seed: 29, start: '2024-03-04', incident: null, completeShare: 1, callsPerDay: 1000 })];
		rows = refRollup(
			calls.map((c) => ({
				queue: c.department,
				arrival: clock(c.arrival),
				outcome: c.outcome,
				wait_s: c.wait_s,
				talk_s: c.talk_s,
				hold_s: c.hold_s,
				wrap_s: c.wrap_s
			})),
			30
		);
		// One row without short abandons and one at another T: the reasons must agree too.
		rows[3] = { ...rows[3]!, short_abandoned: null };
		rows[5] = { ...rows[5]!, sl_threshold_s: 30 };
		ch = openClickHouseEngine({ url: cluster.shards[0]!.url, database: 'default', ...cluster.writer });
		await ch.exec(
			`CREATE TABLE ivs (${INTERVAL_TABLE_COLUMNS.map(([name, type]) => `${name} ${name === 'queue' || name === 'interval_minutes' ? type.replace('VARCHAR', 'String').replace('INTEGER', 'Int32') : CH_TYPES[type]}`).join(', ')}) ENGINE = Memory`
		);
		await ch.insert('ivs', rows as unknown as Row[]);
		duck = await openNodeEngine();
		await duck.exec(`CREATE TABLE ivs (${INTERVAL_TABLE_COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ')})`);
		const one = `(${INTERVAL_TABLE_COLUMNS.map(([, type]) => `CAST(? AS ${type})`).join(', ')})`;
		await duck.query({
			sql: `INSERT INTO ivs VALUES ${rows.map(() => one).join(', ')}`,
			params: rows.flatMap((r) => INTERVAL_TABLE_COLUMNS.map(([name]) => r[name] as SqlParam))
		});
	}, 120_000);

	afterAll(async () => {
		await ch?.close();
		await cluster?.stop();
	}, 60_000);

	const request = (view: NamedViewRequest['view'], filter: Filter, variant: (typeof SL_VARIANTS)[number], interval: IntervalSize): NamedViewRequest => ({
		dataset: 'ds_000000000000',
		view,
		filter,
		settings: viewSettings({ thresholdS: 20, shortAbandonS: 5, variant }, { interval }),
		kind: 'intervals'
	});

	it('every interval view gives DuckDB’s rows', async () => {
		const filters: Filter[] = [
			EMPTY_FILTER,
			{ ...EMPTY_FILTER, queue: rows[0]!.queue },
			{ ...EMPTY_FILTER, queues: [rows[0]!.queue, "it's \\ 中"] },
			{ ...EMPTY_FILTER, from: '2024-03-04 09:30:00', to: '2024-03-05 14:00:00' }
		];
		for (const view of INTERVAL_VIEW_NAMES)
			for (const variant of SL_VARIANTS)
				for (const filter of filters)
					for (const interval of view === 'intervals' ? ([30, 60, 'day', 'week'] as const) : ([60] as const)) {
						const what = `${view} ${variant} ${interval} ${JSON.stringify(filter)}`;
						const expected = await duck.query(renderView(request(view, filter, variant, interval), 'ivs', DIALECTS.duckdb));
						const actual = await ch.query(renderView(request(view, filter, variant, interval), 'ivs', DIALECTS.clickhouse));
						expect(actual.length, what).toBe(expected.length);
						expected.forEach((row, i) => {
							for (const [key, value] of Object.entries(row)) {
								const got = actual[i]![key];
								if (value === null || typeof value === 'string') expect(got ?? null, `${what} ${i} ${key}`).toEqual(value);
								else expect(Number(got), `${what} ${i} ${key}`).toBeCloseTo(Number(value), 6);
							}
						});
					}
	}, 120_000);

	it('a database loaded with an interval report is served as an interval dataset, its views by name', async () => {
		const url = cluster.shards[0]!.url;
		const target = { ...parseLoadTarget(`clickhouse:${url}/hl_intervals`), ...cluster.writer };
		await createTables(target);
		await createIntervalTable(target);
		const writer = openClickHouseEngine(target);
		await copyIntervals(duck, 'ivs', writer);
		await writer.close();
		const served = await openServedEngine(`clickhouse:${url.replace('//', `//reader:${cluster.reader.password}@`)}/hl_intervals`, 1);
		try {
			const [dataset] = served.datasets;
			expect(dataset).toMatchObject({ kind: 'intervals', intervalMinutes: 30, rows: rows.length, from: rows[0]!.interval_start });
			const connection = served.connections[0]!;
			for (const view of INTERVAL_VIEW_NAMES) {
				const asked = { ...request(view, EMPTY_FILTER, 'count', 60), dataset: dataset!.id };
				const actual = await runNamedView(asked, served.tableOf(dataset!), (q) => connection.query(q), served.dialect, served.aggregate);
				const expected = await duck.query(renderView(asked, 'ivs', DIALECTS.duckdb));
				expect(actual.length, view).toBe(expected.length);
				expected.forEach((row, i) => {
					for (const [key, value] of Object.entries(row))
						if (value === null || typeof value === 'string') expect(actual[i]![key] ?? null, `${view} ${i} ${key}`).toEqual(value);
						else expect(Number(actual[i]![key]), `${view} ${i} ${key}`).toBeCloseTo(Number(value), 6);
				});
			}
		} finally {
			await served.close();
		}
	}, 60_000);
});
