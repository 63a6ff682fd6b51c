import type { ClickHouseEngine } from '$lib/engine/clickhouse';
import type { Engine, Row } from '$lib/engine/types';
import { tableName } from '$lib/sql/identifiers';
import { openClickHouseEngine } from '$lib/engine/clickhouse';
import { INTERVAL_TABLE_COLUMNS } from './interval-table';
import { chIdentifier, type LoadTarget } from './clickhouse-load';

/**
 * An interval dataset in ClickHouse: the interval table (`interval-table.ts`) as one MergeTree
 * table of the database. An interval report is small (a year of half hours for 50 queues is
 * under a million rows), so it is not sharded: on a cluster it lives on the shard loaded into.
 * A database holds calls or an interval report, never both (`npm run load` refuses the other).
 */
export const INTERVALS_TABLE = 'holdline_intervals';

const TYPES: Record<string, string> = {
	TIMESTAMP: `Nullable(DateTime('UTC'))`,
	INTEGER: 'Nullable(Int32)',
	BIGINT: 'Nullable(Int64)',
	DOUBLE: 'Nullable(Float64)',
	VARCHAR: 'Nullable(String)'
};
/** Columns every row has (the contract's non-NULL ones). */
const REQUIRED: Record<string, string> = { interval_minutes: 'Int32', queue: 'String', offered: 'Int64', answered: 'Int64', abandoned: 'Int64' };

export function intervalTableStatement(target: LoadTarget): string {
	const columns = INTERVAL_TABLE_COLUMNS.map(([name, type]) => `${name} ${REQUIRED[name] ?? TYPES[type]}`).join(', ');
	return `CREATE TABLE IF NOT EXISTS ${chIdentifier(target.database)}.${INTERVALS_TABLE} (${columns})
ENGINE = MergeTree ORDER BY (queue, ifNull(interval_start, toDateTime(0, 'UTC')))`;
}

export async function createIntervalTable(target: LoadTarget): Promise<void> {
	const engine = openClickHouseEngine({ ...target, database: 'default' });
	try {
		await engine.exec(`CREATE DATABASE IF NOT EXISTS ${chIdentifier(target.database)}`);
		await engine.exec(intervalTableStatement(target));
	} finally {
		await engine.close();
	}
}

/** Copies a DuckDB interval table into ClickHouse's, times as 'YYYY-MM-DD HH:MM:SS' text. */
export async function copyIntervals(duck: Engine, table: string, ch: ClickHouseEngine): Promise<number> {
	const select = INTERVAL_TABLE_COLUMNS.map(([name, type]) => (type === 'TIMESTAMP' ? `strftime(${name}, '%Y-%m-%d %H:%M:%S') AS ${name}` : name)).join(', ');
	const rows: Row[] = await duck.query({ sql: `SELECT ${select} FROM ${tableName(table)}`, params: [] });
	if (rows.length) await ch.insert(INTERVALS_TABLE, rows);
	return rows.length;
}

/** The interval table's rows, range and length, or null where the database has none (a calls database). */
export async function intervalTableSummary(ch: ClickHouseEngine): Promise<{ rows: number; from: string | null; to: string | null; minutes: number } | null> {
	const [found] = await ch.query<{ n: number }>({
		sql: `SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name = '${INTERVALS_TABLE}'`,
		params: []
	});
	if (!Number(found?.n)) return null;
	const [summary] = await ch.query<{ rows: number; first: string | null; last: string | null; minutes: number }>({
		sql: `SELECT count() AS rows, formatDateTime(min(interval_start), '%Y-%m-%d %H:%M:%S', 'UTC') AS first, formatDateTime(max(interval_start), '%Y-%m-%d %H:%M:%S', 'UTC') AS last, max(interval_minutes) AS minutes FROM ${INTERVALS_TABLE}`,
		params: []
	});
	const rows = Number(summary!.rows);
	return rows ? { rows, from: summary!.first, to: summary!.last, minutes: Number(summary!.minutes) } : null;
}
