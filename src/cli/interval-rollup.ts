import { openNodeEngine } from '$lib/engine/node';
import type { Engine, Query, Row, SqlParam } from '$lib/engine/types';
import type { Dialect } from '$lib/sql/dialect';
import { DUCKDB } from '$lib/sql/dialect-duckdb';
import { INTERVAL_TABLE_COLUMNS } from '$lib/metrics/interval-measures';
import { intervalMinutesOf, intervalRollupQuery } from '$lib/metrics/interval-rollup';
import type { IntervalSize, ServiceSettings } from '$lib/metrics/service';
import { UsageError } from './shared';

/** What the command line asks: an engine, its dialect and the calls table. */
interface CallsSource {
	engine: { query(query: Query): Promise<Row[]> };
	dialect: Dialect;
	table: string;
	rows: number;
}

/** The table the roll-up is written to, in an engine of its own (a store is read-only while asked). */
const ROLLED = 'calls_by_interval';

/** A time as the engine gave it (DuckDB: milliseconds since the epoch; ClickHouse: text) → 'YYYY-MM-DD HH:MM:SS'. */
const timeText = (value: unknown) =>
	value == null
		? null
		: typeof value === 'string'
			? value.slice(0, 19).replace('T', ' ')
			: new Date(Number(value)).toISOString().slice(0, 19).replace('T', ' ');

/**
 * The calls of `source` rolled up into the interval table (`intervalRollupQuery`, in the
 * source's dialect) and written, row by row, into a fresh DuckDB table: the same table an
 * interval import of that roll-up would leave, asked from then on as an interval dataset.
 */
export async function rollUpIntoIntervals<S extends CallsSource>(
	source: S,
	settings: ServiceSettings,
	size: Exclude<IntervalSize, 'week'>,
	openEngine: () => Promise<Engine> = openNodeEngine
): Promise<S & { kind: 'intervals'; intervalMinutes: number }> {
	// Written and checked for DuckDB (files imported here, a DuckDB store); ClickHouse's aliases would need it written apart.
	if (source.dialect.id !== 'duckdb')
		throw new UsageError('--by interval rolls calls up in DuckDB: over ClickHouse, export the calls or load them into a DuckDB store');
	const rows = await source.engine.query(intervalRollupQuery(source.table, settings, size, source.dialect));
	const engine = await openEngine();
	await engine.exec(`CREATE OR REPLACE TABLE ${ROLLED} (${INTERVAL_TABLE_COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ')})`);
	const one = `(${INTERVAL_TABLE_COLUMNS.map(([, type]) => `CAST(? AS ${type})`).join(', ')})`;
	for (let at = 0; at < rows.length; at += 200) {
		const batch = rows.slice(at, at + 200);
		const params: SqlParam[] = batch.flatMap((row) =>
			INTERVAL_TABLE_COLUMNS.map(([name]) => (name === 'interval_start' ? timeText(row[name]) : row[name] == null ? null : (row[name] as SqlParam)))
		);
		await engine.query({ sql: `INSERT INTO ${ROLLED} VALUES ${batch.map(() => one).join(', ')}`, params });
	}
	return { ...source, engine, dialect: DUCKDB, table: ROLLED, rows: rows.length, kind: 'intervals', intervalMinutes: intervalMinutesOf(size) };
}
