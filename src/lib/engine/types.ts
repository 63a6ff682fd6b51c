import type { DialectId, Query, Row } from '$lib/sql/query';

// An engine answers a `Query` (sql/query.ts): the statement types are the SQL layer's, named
// here too since every caller of an engine writes them.
export { sql, type DialectId, type Query, type Row, type SqlParam } from '$lib/sql/query';

/**
 * What every engine answers: SQL in its dialect. A server engine (ClickHouse) is only this.
 * Its rows are plain, converted here at the edge and nowhere after: numbers, text, booleans and
 * null, BIGINT, HUGEINT and DECIMAL as numbers (Arrow's in `arrow.ts`, native DuckDB's in
 * `native.ts`, timestamps as epoch ms; ClickHouse's JSON already is); a LIST as an array (of
 * numbers, from Arrow, a typed array: `arrow.ts`). `T` is the caller's row
 * type: a named view's comes from the registry (`metrics/views/rows.ts`).
 */
export interface QueryEngine {
	/** The dialect its SQL is written in. */
	readonly dialect: DialectId;
	exec(sql: string): Promise<void>;
	query<T extends object = Row>(query: Query): Promise<T[]>;
}

/**
 * What the rest of the app may do with a database. The browser worker and the
 * Node twin (tests, command line) both implement it, so metrics run on one engine.
 */
export interface Engine extends QueryEngine {
	readonly dialect: 'duckdb';
	registerText(fileName: string, text: string): Promise<void>;
	/** Makes bytes readable by SQL under `fileName` (e.g. `read_csv('fileName')`). */
	registerBuffer(fileName: string, bytes: Uint8Array): Promise<void>;
	/**
	 * A whole table as Arrow IPC stream bytes. Browser storage keeps a DuckDB database file
	 * instead (`datasets/stored-table.ts`); Parquet is not an option there, since DuckDB-WASM's
	 * Parquet writer is an extension fetched from the internet.
	 */
	exportTable(table: string): Promise<Uint8Array>;
	/** Creates `table` from Arrow IPC stream bytes made by `exportTable`. */
	importTable(table: string, bytes: Uint8Array): Promise<void>;
	dropFile(fileName: string): Promise<void>;
}
