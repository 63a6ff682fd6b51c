/** A value bound to a `?` placeholder. User input only ever reaches SQL this way. */
export type SqlParam = string | number | boolean | null;

/** A parameterised statement: the SQL text is built from trusted fragments only. */
export interface Query {
	sql: string;
	params: SqlParam[];
}

export type Row = Record<string, unknown>;

/**
 * What the rest of the app may do with a database. The browser worker and the
 * Node twin (tests, command line) both implement it, so metrics run on one engine.
 */
export interface Engine {
	registerText(fileName: string, text: string): Promise<void>;
	/** Makes bytes readable by SQL under `fileName` (e.g. `read_csv('fileName')`). */
	registerBuffer(fileName: string, bytes: Uint8Array): Promise<void>;
	/** Bytes of a file DuckDB wrote (e.g. with COPY … TO). */
	copyFileToBuffer(fileName: string): Promise<Uint8Array>;
	dropFile(fileName: string): Promise<void>;
	exec(sql: string): Promise<void>;
	query<T extends Row = Row>(query: Query): Promise<T[]>;
}

export function sql(text: string, ...params: SqlParam[]): Query {
	return { sql: text, params };
}
