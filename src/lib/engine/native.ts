import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from '$lib/sql/identifiers';
import type { Engine, Query, Row, SqlParam } from './types';

/**
 * Native DuckDB (`@duckdb/node-api`) behind the app's `Engine`, for the command line's
 * persistent store and `serve`: the importers and the views run on it unchanged. Bytes the
 * importers register are written to a private temporary folder that DuckDB searches for
 * relative file names (`file_search_path`), so `read_csv('import_….csv')` finds them.
 */
export interface NativeEngine extends Engine {
	connection: DuckDBConnection;
	/** Stops the statement running on this connection (it fails with an interrupt error). */
	interrupt(): void;
	close(): void;
}

/** Native values to the rows the wasm engine gives: BIGINT as number, timestamps as epoch ms. */
function plain(row: Record<string, unknown>): Row {
	for (const key of Object.keys(row)) {
		const value = row[key];
		if (typeof value === 'bigint') row[key] = Number(value);
		else if (value instanceof Date) row[key] = value.getTime();
	}
	return row;
}

export async function openNativeDatabase(path: string): Promise<DuckDBInstance> {
	return DuckDBInstance.create(path);
}

/** One connection to `instance` as an Engine; `close` also removes its temporary files. */
export async function nativeEngine(instance: DuckDBInstance): Promise<NativeEngine> {
	const connection = await instance.connect();
	const scratch = mkdtempSync(join(tmpdir(), 'holdline-native-'));
	await connection.run(`SET file_search_path = ${quoteLiteral(scratch)}`);
	// Only names the importers make up land here: a path in the name would escape the folder.
	const inScratch = (fileName: string) => {
		if (basename(fileName) !== fileName) throw new Error(`Invalid file name: ${JSON.stringify(fileName)}`);
		return join(scratch, fileName);
	};
	const unsupported = (what: string) => () => Promise.reject(new Error(`${what} is not used with native DuckDB`));
	return {
		dialect: 'duckdb',
		connection,
		async registerText(fileName, text) {
			writeFileSync(inScratch(fileName), text);
		},
		async registerBuffer(fileName, bytes) {
			writeFileSync(inScratch(fileName), bytes);
		},
		async dropFile(fileName) {
			try {
				unlinkSync(inScratch(fileName));
			} catch {
				// already gone
			}
		},
		exportTable: unsupported('exportTable'),
		importTable: unsupported('importTable'),
		async exec(sql) {
			await connection.run(sql);
		},
		async query<T extends object = Row>({ sql, params }: Query): Promise<T[]> {
			const reader = await connection.runAndReadAll(sql, params.length ? (params as Exclude<SqlParam, boolean>[]) : undefined);
			return reader.getRowObjectsJS().map((row) => plain(row as Record<string, unknown>) as T);
		},
		interrupt() {
			connection.interrupt();
		},
		close() {
			connection.closeSync();
			rmSync(scratch, { recursive: true, force: true });
		}
	};
}
