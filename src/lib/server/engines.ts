import { DuckDBInstance } from '@duckdb/node-api';
import { openClickHouseEngine, type ClickHouseEngine } from '$lib/engine/clickhouse';
import { CALLS_TABLE, LOADS_TABLE, parseLoadTarget } from '$lib/imports/clickhouse-load';
import { findAggregates, type Aggregates } from '$lib/preagg/clickhouse-aggregate';
import { INTERVALS_TABLE } from '$lib/imports/clickhouse-intervals';
import { nativeEngine, type NativeEngine } from '$lib/engine/native';
import { quoteLiteral } from '$lib/sql/identifiers';
import type { DialectId, Engine, Query, Row } from '$lib/engine/types';
import type { CubeHome } from '$lib/preagg/cube';
import { DIALECTS } from '$lib/metrics/service';
import type { Dialect } from '$lib/sql/dialect';
import { listClickHouseDatasets } from './clickhouse-datasets';
import type { Pooled } from './pool';
import { lacksLaterColumns, listDatasets, storePath, upgradeStore, type StoredDataset } from './store';

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
	/** ClickHouse's pre-aggregates of the calls (`preagg/clickhouse-aggregate.ts`), or null: none, or DuckDB. */
	aggregate: Aggregates | null;
	/**
	 * A DuckDB store: a connection of its own for work done behind the requests (cube builds,
	 * the first answers), so that work never holds a request's slot, and where cubes are made.
	 * Its answers hold for as long as it is served (read-only). ClickHouse: null (no cubes, and
	 * a load may add calls while it is served).
	 */
	background: { engine: Engine; cubes: CubeHome } | null;
	/**
	 * ClickHouse: what the data's loads are now (changed by every load), for answers that read
	 * the whole dataset (the wait histogram's reach, the filter menus) to be remembered until the
	 * next load. Null: the store cannot change while served (DuckDB).
	 */
	version: (() => Promise<string>) | null;
	/** A DuckDB store: a new connection whose own tables (in `memory`) every connection reads (a followed log's, `live.ts`). */
	connect?: () => Promise<NativeEngine>;
	close(): Promise<void>;
}

/**
 * The background connection with one statement at a time (the cube indexes of several datasets
 * share it); `stop` refuses further statements, stops the one running and resolves when it has.
 */
function oneAtATime(connection: NativeEngine): { engine: Engine; stop(): Promise<void> } {
	let last: Promise<unknown> = Promise.resolve();
	let stopped = false;
	const queued = <T>(work: () => Promise<T>): Promise<T> => {
		const next = last.then(() => (stopped ? Promise.reject(new Error('the server is closing')) : work()));
		last = next.catch(() => {});
		return next;
	};
	return {
		engine: { ...connection, exec: (sql) => queued(() => connection.exec(sql)), query: (query) => queued(() => connection.query(query)) },
		async stop() {
			stopped = true;
			connection.interrupt();
			await last;
		}
	};
}

/** A store made before the canonical calls' later columns gains them before it is served (read-only after). */
async function upgradeOldStore(path: string): Promise<void> {
	const probe = await DuckDBInstance.create(':memory:');
	const engine = await nativeEngine(probe);
	let old = false;
	try {
		await engine.exec(`ATTACH ${quoteLiteral(path)} AS store (READ_ONLY)`);
		old = await lacksLaterColumns(engine, 'store');
	} catch {
		// No store there, or not one: serving says so.
	} finally {
		engine.close();
		probe.closeSync();
	}
	// A store another process is writing cannot be upgraded now: served as it is (its calls have no caller numbers).
	if (old) await upgradeStore(path).catch(() => {});
}

/**
 * The store attached read-only to an in-memory database (a read-only instance refuses to attach
 * one): every write to the store is refused ("Cannot execute statement of type CREATE on database
 * store"), other readers may share the file, and cubes are tables of `memory`, seen by every
 * connection (TEMP tables would be private to the connection that made them).
 */
async function servedDuckDB(path: string, concurrency: number): Promise<ServedEngine> {
	await upgradeOldStore(path);
	const instance = await DuckDBInstance.create(':memory:');
	const connections: NativeEngine[] = [];
	try {
		for (let i = 0; i <= concurrency; i++) {
			const connection = await nativeEngine(instance);
			connections.push(connection);
			if (i === 0) await connection.exec(`ATTACH ${quoteLiteral(path)} AS store (READ_ONLY)`);
			await connection.exec('USE store');
			// Tables made in the in-memory database (a followed log's calls) are read by name too.
			await connection.exec(`SET search_path = 'store.main,memory.main'`);
		}
	} catch (error) {
		for (const c of connections) c.close();
		instance.closeSync();
		throw error;
	}
	const own = connections.pop()!;
	const background = oneAtATime(own);
	// The store is opened read-only: its datasets do not change while it is served.
	const datasets = await listDatasets(connections[0]!);
	return {
		id: 'duckdb',
		dialect: DIALECTS.duckdb,
		connections,
		datasets,
		tableOf: (dataset) => dataset.id,
		aggregate: null,
		background: { engine: background.engine, cubes: { catalog: 'memory' } },
		version: null,
		connect: () => nativeEngine(instance),
		async close() {
			await background.stop();
			for (const c of [...connections, own]) c.close();
			instance.closeSync();
		}
	};
}

/**
 * Questions a ClickHouse server is asked at once, at least. A connection here only waits for
 * ClickHouse's HTTP answer, and ClickHouse runs queries side by side (up to its own
 * `max_concurrent_queries`): a filter change's five views (and the histogram's reach) are
 * asked together, not two by two (profiled: three rounds of waiting at 1,000,000 calls).
 */
export const CLICKHOUSE_AT_ONCE = 6;

/** What the loads are now: their number and the last one's time (`holdline_loads`, written by each load). */
const LOADS_VERSION = `SELECT toString(count()) AS n, toString(max(loaded)) AS last FROM ${LOADS_TABLE}`;

/**
 * Queries run read-only whatever the user: a user that may write (readonly = 0) gets
 * `readonly = 1` on each query. (A readonly = 2 user may not set `readonly` at all, and needs
 * nothing.) Interrupting a connection aborts its HTTP request.
 */
async function servedClickHouse(ch: ClickHouseEngine, concurrency: number): Promise<ServedEngine> {
	const [mode] = await ch.query<{ value: string }>({ sql: `SELECT value FROM system.settings WHERE name = 'readonly'`, params: [] });
	// Predicates pushed into views: `calls` and the pre-aggregates are views of the committed
	// loads (imports/clickhouse-load.ts), and 18.16 otherwise filters after reading every row.
	const settings: Record<string, number> = { ...(mode?.value === '0' ? { readonly: 1 } : {}), enable_optimize_predicate_expression: 1 };
	const connections: Connection[] = Array.from({ length: Math.max(concurrency, CLICKHOUSE_AT_ONCE) }, () => {
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
	// A database loaded before the aggregates existed has none until its next load: `calls` answers.
	const aggregate = await findAggregates(ch);
	return {
		id: 'clickhouse',
		dialect: DIALECTS.clickhouse,
		connections,
		datasets,
		// An interval report's database answers from its interval table (`imports/clickhouse-intervals.ts`).
		tableOf: (dataset) => (dataset.kind === 'intervals' ? INTERVALS_TABLE : 'calls'),
		aggregate,
		background: null,
		async version() {
			// A database loaded before loads were recorded: its calls' count says when they change.
			const [now] = await ch
				.query<{ n: string; last: string }>({ sql: LOADS_VERSION, params: [] }, { settings })
				.catch(() => ch.query<{ n: string; last: string }>({ sql: `SELECT toString(count()) AS n, '' AS last FROM ${CALLS_TABLE}`, params: [] }, { settings }));
			return `${now?.n}|${now?.last}`;
		},
		close: () => ch.close()
	};
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
