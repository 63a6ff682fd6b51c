import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import type { Readable } from 'node:stream';
import type { Query, QueryEngine, Row } from './types';

/**
 * A ClickHouse server (or cluster, through a Distributed table) as an engine over HTTP, with
 * @clickhouse/client. It speaks the `clickhouse` dialect: the common subset of 18.16 (Debian's)
 * and current versions. Values arrive inline as escaped literals (sql/dialect-clickhouse.ts),
 * never as parameters: 18.16 has no query parameters, so a query with params is refused.
 */
export interface ClickHouseTarget {
	/** http://host:port */
	url: string;
	database: string;
	username: string;
	password: string;
}

export interface ClickHouseEngine extends QueryEngine {
	readonly dialect: 'clickhouse';
	readonly client: ClickHouseClient;
	readonly target: ClickHouseTarget;
	/** `signal` stops the query (the request is aborted); `settings` are sent with it. */
	query<T extends object = Row>(query: Query, options?: QueryOptions): Promise<T[]>;
	/** Rows as JSON objects into `table`, in one INSERT (callers send pieces). */
	insert(table: string, rows: Row[]): Promise<void>;
	/** Text in `format` (CSV, TabSeparated…) streamed into `columns` of `table`, as one INSERT. */
	insertFile(table: string, columns: string[], format: 'CSV' | 'TabSeparated', body: Readable): Promise<void>;
	close(): Promise<void>;
}

export interface QueryOptions {
	signal?: AbortSignal;
	settings?: Record<string, string | number>;
}

/** A failure ClickHouse reported, with its first line (the server's own words) as the message. */
export class ClickHouseError extends Error {}

/** Counts come back as JSON numbers, not strings (they fit: a table of calls has < 2^53 rows). */
const SETTINGS = { output_format_json_quote_64bit_integers: 0 } as const;

function explain(error: unknown, where: string): ClickHouseError {
	const text = error instanceof Error ? error.message : String(error);
	const first = text.split('\n')[0]!.replace(/, e\.what\(\) = .*$/, '');
	// 18.16: "Code: 47, e.displayText() = DB::Exception: Unknown identifier: x"
	const m = /^Code: (\d+), e\.displayText\(\) = DB::\w*Exception: (.*?)(?: Log: *)?$/.exec(first);
	return new ClickHouseError(`ClickHouse at ${where}: ${m ? `${m[2]} (code ${m[1]})` : first}`);
}

export function openClickHouseEngine(target: ClickHouseTarget): ClickHouseEngine {
	const client = createClient({
		url: target.url,
		database: target.database,
		username: target.username,
		password: target.password,
		// 18.16 does not know the client's newer settings; send none it did not ask for.
		compression: { request: false, response: false },
		// Errors are thrown with the server's words; the client's own log would repeat them.
		log: { level: ClickHouseLogLevel.OFF }
	});
	const where = `${target.url}/${target.database}`;
	return {
		dialect: 'clickhouse',
		client,
		target,
		async exec(sql) {
			try {
				await client.command({ query: sql, clickhouse_settings: SETTINGS });
			} catch (error) {
				throw explain(error, where);
			}
		},
		async query<T extends object = Row>({ sql, params }: Query, options: QueryOptions = {}): Promise<T[]> {
			if (params.length) throw new Error('ClickHouse queries take no bound parameters: render the view for the clickhouse dialect');
			try {
				const result = await client.query({
					query: sql,
					format: 'JSONEachRow',
					clickhouse_settings: { ...SETTINGS, ...options.settings },
					abort_signal: options.signal
				});
				return await result.json<T>();
			} catch (error) {
				throw explain(error, where);
			}
		},
		async insert(table, rows) {
			try {
				await client.insert({ table, values: rows, format: 'JSONEachRow', clickhouse_settings: { insert_distributed_sync: 1 } });
			} catch (error) {
				throw explain(error, where);
			}
		},
		async insertFile(table, columns, format, body) {
			try {
				await client.insert({ table, values: body, format, columns: columns as [string, ...string[]], clickhouse_settings: { insert_distributed_sync: 1 } });
			} catch (error) {
				throw explain(error, where);
			}
		},
		close: () => client.close()
	};
}
