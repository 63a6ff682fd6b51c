import { DuckDBInstance } from '@duckdb/node-api';
import { openClickHouseEngine, type ClickHouseEngine } from '$lib/db/clickhouse';
import { parseLoadTarget } from '$lib/db/clickhouse-load';
import { findAggregate } from '$lib/db/clickhouse-aggregate';
import { nativeEngine, type NativeEngine } from '$lib/db/native';
import type { DialectId, Query, Row } from '$lib/db/types';
import { DIALECTS } from '$lib/metrics/service';
import type { Dialect } from '$lib/metrics/dialect';
import { listClickHouseDatasets } from './clickhouse-datasets';
import type { Pooled } from './pool';
import { listDatasets, storePath, type StoredDataset } from './store';

/**
 * What `serve` asks: a DuckDB store (`duckdb:PATH`, opened read-only) or a ClickHouse database
 * (`clickhouse:http://…/DB`, as loaded by `npm run load`), with the dialect its views are
 * rendered in, a few connections for the pool, its datasets and each dataset's calls table.
 */
export interface Connection extends Pooled {
	query(query: Query): Promise<Row[]>;
}

export interface ServedEngine {
	id: DialectId;
	dialect: Dialect;
	connections: Connection[];
	datasets: StoredDataset[];
	/** The table (or view) holding a dataset's calls. */
	tableOf(dataset: StoredDataset): string;
	/** ClickHouse's pre-aggregate of the calls (`db/clickhouse-aggregate.ts`), or null: none, or DuckDB. */
	aggregate: string | null;
	close(): Promise<void>;
}

async function servedDuckDB(path: string, concurrency: number): Promise<ServedEngine> {
	const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
	const connections: NativeEngine[] = [];
	for (let i = 0; i < concurrency; i++) connections.push(await nativeEngine(instance));
	// The store is opened read-only: its datasets do not change while it is served.
	const datasets = await listDatasets(connections[0]!);
	return {
		id: 'duckdb',
		dialect: DIALECTS.duckdb,
		connections,
		datasets,
		tableOf: (dataset) => dataset.id,
		aggregate: null,
		async close() {
			for (const c of connections) c.close();
			instance.closeSync();
		}
	};
}

/**
 * Queries run read-only whatever the user: a user that may write (readonly = 0) gets
 * `readonly = 1` on each query. (A readonly = 2 user may not set `readonly` at all, and needs
 * nothing.) Interrupting a connection aborts its HTTP request.
 */
async function servedClickHouse(ch: ClickHouseEngine, concurrency: number): Promise<ServedEngine> {
	const [mode] = await ch.query<{ value: string }>({ sql: `SELECT value FROM system.settings WHERE name = 'readonly'`, params: [] });
	const settings: Record<string, number> = mode?.value === '0' ? { readonly: 1 } : {};
	const connections: Connection[] = Array.from({ length: concurrency }, () => {
		let running: AbortController | null = null;
		return {
			async query(query) {
				const controller = (running = new AbortController());
				try {
					return await ch.query(query, { signal: controller.signal, settings });
				} finally {
					if (running === controller) running = null;
				}
			},
			interrupt: () => running?.abort()
		};
	});
	const datasets = await listClickHouseDatasets(ch);
	// A database loaded before the aggregate existed has none until its next load: `calls` answers.
	const aggregate = await findAggregate(ch);
	return { id: 'clickhouse', dialect: DIALECTS.clickhouse, connections, datasets, tableOf: () => 'calls', aggregate, close: () => ch.close() };
}

export const ENGINE_USAGE = 'duckdb:STORE.duckdb or clickhouse:http://[USER:PASSWORD@]HOST:PORT/DB';

/** Opens `duckdb:PATH` or `clickhouse:URL` for serving, with `concurrency` connections. */
export async function openServedEngine(spec: string, concurrency: number, env: Record<string, string | undefined> = {}): Promise<ServedEngine> {
	if (spec.startsWith('clickhouse:')) {
		const ch = openClickHouseEngine(parseLoadTarget(spec, env));
		try {
			return await servedClickHouse(ch, concurrency);
		} catch (error) {
			await ch.close();
			throw error;
		}
	}
	return servedDuckDB(storePath(spec), concurrency);
}
