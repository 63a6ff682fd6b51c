import { openClickHouseEngine, type ClickHouseEngine } from '$lib/engine/clickhouse';
import {
	CALLS_TABLE,
	chIdentifier,
	committedCondition,
	FILES_TABLE,
	LEGACY_LOAD,
	LOAD_COLUMN,
	LOADS_TABLE,
	LOCAL_TABLE,
	ROWS_TABLE,
	type LoadTarget
} from './clickhouse-load';

/**
 * The two steps a ClickHouse load takes before it sends rows (docs/servers.md, "A load is
 * all or nothing"): a database made by an earlier version (its `calls` a table, not the view of
 * committed loads) is brought to the current layout, and the rows of loads that never
 * committed (killed, a shard down) are removed. Both can be stopped and run again.
 */

/**
 * The pre-aggregates (preagg/clickhouse-aggregate.ts makes them), named here to drop and clear
 * them: the loads cannot ask `preagg/`, which asks them.
 */
export const PRE_AGGREGATES = [
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
] as const;

/**
 * A pre-aggregate's tables: the view of the committed loads' groups the dashboard reads (its
 * name), the rows under it (a Distributed table on a cluster), each shard's own, and the
 * materialized view that fills them.
 */
export function aggregateTables(name: (typeof PRE_AGGREGATES)[number]) {
	return { table: name, rows: `${name}_rows`, local: `${name}_local`, view: `${name}_mv` };
}
const AGGREGATE_TABLES = PRE_AGGREGATES.map(aggregateTables);

/** The servers holding rows: every named shard, or the one server. */
function rowServers(target: LoadTarget): string[] {
	return target.cluster ? target.shards : [target.url];
}

async function on<T>(target: LoadTarget, url: string, work: (ch: ClickHouseEngine) => Promise<T>): Promise<T> {
	const ch = openClickHouseEngine({ ...target, url, database: 'default' });
	try {
		return await work(ch);
	} finally {
		await ch.close();
	}
}

/** The tables of `database` on one server: name → engine. */
async function tablesOf(ch: ClickHouseEngine, database: string): Promise<Map<string, string>> {
	const rows = await ch.query<{ name: string; engine: string }>({
		sql: `SELECT name, engine FROM system.tables WHERE database = '${database}'`,
		params: []
	});
	return new Map(rows.map((r) => [r.name, r.engine]));
}

async function hasColumn(ch: ClickHouseEngine, database: string, table: string, column: string): Promise<boolean> {
	const [row] = await ch.query<{ n: number }>({
		sql: `SELECT count() AS n FROM system.columns WHERE database = '${database}' AND table = '${table}' AND name = '${column}'`,
		params: []
	});
	return Number(row?.n) > 0;
}

/**
 * Brings a database loaded by an earlier version to the layout of loads with ids: on every
 * server, the pre-aggregates are dropped (the load makes them again from the rows), `calls` (a
 * MergeTree on one server, a Distributed table on a cluster) gives way to `calls_rows` and the
 * view, and the rows, files and loads get `load_id` 0, which counts as committed. Each step
 * looks at what is there first, so a migration stopped half-way is finished by the next load.
 * While it runs (seconds: no rows are copied) the dashboard finds no `calls`.
 * Returns whether anything was changed.
 */
export async function migrateTables(target: LoadTarget): Promise<boolean> {
	const database = target.database;
	const db = chIdentifier(database);
	let changed = false;
	const run = async (ch: ClickHouseEngine, sql: string) => {
		await ch.exec(sql);
		changed = true;
	};
	for (const url of rowServers(target))
		await on(target, url, async (ch) => {
			const tables = await tablesOf(ch, database);
			const calls = tables.get(CALLS_TABLE);
			if (calls !== undefined && calls !== 'View') {
				if (target.cluster && !target.shards.length)
					throw new Error(
						`${database} was loaded by an earlier version of holdline: name each shard with &shard=http://HOST:PORT so the load can bring every shard's tables up to date`
					);
				for (const { view, table, local } of AGGREGATE_TABLES)
					for (const name of [view, table, local]) if (tables.has(name)) await run(ch, `DROP TABLE ${db}.${name}`);
				// On a cluster `calls` is the Distributed table (inserts were synchronous: it holds no rows).
				if (target.cluster) await run(ch, `DROP TABLE ${db}.${CALLS_TABLE}`);
				else await run(ch, `RENAME TABLE ${db}.${CALLS_TABLE} TO ${db}.${ROWS_TABLE}`);
			}
			const rows = target.cluster ? LOCAL_TABLE : ROWS_TABLE;
			if ((await tablesOf(ch, database)).has(rows) && !(await hasColumn(ch, database, rows, LOAD_COLUMN)))
				await run(ch, `ALTER TABLE ${db}.${rows} ADD COLUMN ${LOAD_COLUMN} UInt64`);
		});
	await on(target, target.url, async (ch) => {
		const tables = await tablesOf(ch, database);
		for (const table of [FILES_TABLE, LOADS_TABLE])
			if (tables.has(table) && !(await hasColumn(ch, database, table, LOAD_COLUMN)))
				await run(ch, `ALTER TABLE ${db}.${table} ADD COLUMN ${LOAD_COLUMN} UInt64`);
	});
	return changed;
}

/** Loads that sent rows or files and never committed: what a killed or failed load left. */
export interface Uncommitted {
	loads: number[];
	rows: number;
}

/**
 * Removes the rows, pre-aggregated rows and files of loads that never committed (invisible to
 * the dashboard already: this gives the space back). ClickHouse deletes them in the background
 * (ALTER … DELETE, a mutation: 18.16 has no lightweight DELETE); nothing depends on when it is
 * done. The rows are in each shard's own tables: asked of every named shard, or through
 * `ON CLUSTER` where the cluster is given by name only. The files are recorded on the server
 * loaded into alone.
 */
export async function removeUncommitted(target: LoadTarget): Promise<Uncommitted> {
	const database = target.database;
	const db = chIdentifier(database);
	const notCommitted = `NOT (${committedCondition(database, !!target.cluster)})`;
	const found = await on(target, target.url, async (ch) => {
		const rows = await ch.query<{ load: number; n: number }>({
			sql: `SELECT ${LOAD_COLUMN} AS load, count() AS n FROM ${db}.${ROWS_TABLE} WHERE ${notCommitted} GROUP BY load`,
			params: []
		});
		const files = await ch.query<{ load: number }>({
			sql: `SELECT DISTINCT ${LOAD_COLUMN} AS load FROM ${db}.${FILES_TABLE} WHERE ${LOAD_COLUMN} != ${LEGACY_LOAD} AND ${LOAD_COLUMN} NOT IN (SELECT ${LOAD_COLUMN} FROM ${db}.${LOADS_TABLE})`,
			params: []
		});
		return {
			loads: [...new Set([...rows.map((r) => Number(r.load)), ...files.map((f) => Number(f.load))])],
			rows: rows.reduce((sum, r) => sum + Number(r.n), 0)
		};
	});
	if (!found.loads.length) return found;
	const which = `${LOAD_COLUMN} IN (${found.loads.join(', ')})`;
	const own = target.cluster ? [LOCAL_TABLE, ...AGGREGATE_TABLES.map((a) => a.local)] : [ROWS_TABLE, ...AGGREGATE_TABLES.map((a) => a.rows)];
	// No shard named: distributed DDL reaches every shard's tables (made by it alike, so the server asked lists them).
	const onCluster = target.cluster && !target.shards.length ? ` ON CLUSTER ${chIdentifier(target.cluster)}` : '';
	for (const url of onCluster ? [target.url] : rowServers(target))
		await on(target, url, async (ch) => {
			const tables = await tablesOf(ch, database);
			for (const table of own) if (tables.has(table)) await ch.exec(`ALTER TABLE ${db}.${table}${onCluster} DELETE WHERE ${which}`);
		});
	await on(target, target.url, (ch) => ch.exec(`ALTER TABLE ${db}.${FILES_TABLE} DELETE WHERE ${which}`));
	return found;
}
