/** A value bound to a `?` placeholder. User input only ever reaches SQL this way. */
export type SqlParam = string | number | boolean | null;

/** A parameterised statement: the SQL text is built from trusted fragments only. */
export interface Query {
	sql: string;
	params: SqlParam[];
}

/** SQL dialects the metric views render to (see sql/dialect.ts). */
export type DialectId = 'duckdb' | 'clickhouse';

export function sql(text: string, ...params: SqlParam[]): Query {
	return { sql: text, params };
}
