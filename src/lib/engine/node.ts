import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createDuckDB, NODE_RUNTIME, VoidLogger } from '@duckdb/duckdb-wasm/blocking';
import { arrowToRows, ipcFileToStream } from './arrow';
import { tableName } from '$lib/sql/identifiers';
import type { Engine, Query, Row } from './types';

/**
 * The same DuckDB-WASM engine as the browser, run synchronously in Node, for the
 * unit tests and the command line.
 */
export async function openNodeEngine(): Promise<Engine> {
	const require = createRequire(import.meta.url);
	const dist = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'));
	const db = await createDuckDB(
		{
			mvp: {
				mainModule: join(dist, 'duckdb-mvp.wasm'),
				mainWorker: join(dist, 'duckdb-node-mvp.worker.cjs')
			},
			eh: {
				mainModule: join(dist, 'duckdb-eh.wasm'),
				mainWorker: join(dist, 'duckdb-node-eh.worker.cjs')
			}
		},
		new VoidLogger(),
		NODE_RUNTIME
	);
	await db.instantiate();
	const conn = db.connect();
	return {
		dialect: 'duckdb',
		async registerText(fileName, text) {
			db.registerFileText(fileName, text);
		},
		async registerBuffer(fileName, bytes) {
			db.registerFileBuffer(fileName, bytes);
		},
		async exportTable(table) {
			// As in the browser: DuckDB's own Arrow bytes, the stream taken out of the file layout.
			return ipcFileToStream(conn.useUnsafe((bindings, id) => bindings.runQuery(id, `SELECT * FROM ${tableName(table)}`)));
		},
		async importTable(table, bytes) {
			conn.insertArrowFromIPCStream(bytes, { name: tableName(table), create: true });
		},
		async dropFile(fileName) {
			db.dropFile(fileName);
		},
		async exec(text) {
			conn.query(text);
		},
		async query<T extends object = Row>({ sql, params }: Query): Promise<T[]> {
			if (params.length === 0) return arrowToRows<T>(conn.query(sql));
			const statement = conn.prepare(sql);
			try {
				return arrowToRows<T>(statement.query(...params));
			} finally {
				statement.close();
			}
		}
	};
}
