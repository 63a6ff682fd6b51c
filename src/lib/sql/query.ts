/** A value bound to a `?` placeholder. User input only ever reaches SQL this way. */
export type SqlParam = string | number | boolean | null;

/** A parameterised statement: the SQL text is built from trusted fragments only. */
export interface Query {
	sql: string;
	params: SqlParam[];
}

/**
 * A row of an answer as an engine returns it, before a view names its type (`metrics/views/`):
 * column name to value, with BIGINT and DECIMAL already numbers (every adapter of `engine/`
 * converts them).
 */
export type Row = Record<string, unknown>;

/** SQL dialects the metric views render to (see sql/dialect.ts). */
export type DialectId = 'duckdb' | 'clickhouse';

export function sql(text: string, ...params: SqlParam[]): Query {
	return { sql: text, params };
}
