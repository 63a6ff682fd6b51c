import * as duckdb from '@duckdb/duckdb-wasm';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import workerEntry from './duckdb-worker-entry.js?url&no-inline';
import { arrowToRows, ipcFileToStream } from './arrow';
import { tableName } from '$lib/sql/identifiers';
import type { Engine, Query, Row } from './types';

/** The browser's engine: an `Engine`, and files of the origin-private file system it reads and writes itself. */
export interface BrowserEngine extends Engine {
	/**
	 * Makes a stored file readable (a `File`, read in the worker) or writable (an OPFS handle,
	 * written in the worker through a sync access handle) under `fileName`; `dropFile` releases it.
	 */
	registerHandle(fileName: string, handle: File | FileSystemFileHandle): Promise<void>;
}

/**
 * DuckDB-WASM in a Web Worker. The bundles are Vite assets of our own build, so
 * the dashboard needs no CDN and works offline or on an intranet.
 */
export async function openBrowserEngine(): Promise<BrowserEngine> {
	// Only the exception-handling bundle ships: every browser since 2022 runs it, and
	// the 39 MB "mvp" fallback would double the download for no current user.
	const entry = new URL(workerEntry, location.href);
	entry.searchParams.set('engine', new URL(ehWorker, location.href).href);
	const worker = new Worker(entry);
	const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
	await db.instantiate(ehWasm);
	const conn = await db.connect();
	// Prepared statements are kept per SQL text: a filter change re-runs the same statements
	// with new values, and preparing costs two extra round trips to the worker. That is all it
	// saves: DuckDB-WASM 1.32 plans a statement with bound values again at every run (CPU in
	// Node, a statement of 60 filtered sums on one row: prepared without parameters 6.9 ms,
	// with one bound value 16.1 ms, sent as text each time 15.6 ms). Reading the values from a
	// one-row table instead, so the statement has none, was measured on the cube lookups and
	// gained nothing (five lookups, once warm: agent cubes 25–27 against 26–28 ms, time cubes
	// 35 against 35 ms).
	const prepared = new Map<string, Promise<duckdb.AsyncPreparedStatement>>();
	const STATEMENT_LIMIT = 100;
	function statement(sql: string) {
		let found = prepared.get(sql);
		if (!found) {
			if (prepared.size >= STATEMENT_LIMIT) {
				const [oldest, old] = prepared.entries().next().value!;
				prepared.delete(oldest);
				void old.then((s) => s.close()).catch(() => {});
			}
			found = conn.prepare(sql);
			found.catch(() => prepared.delete(sql));
			prepared.set(sql, found);
		}
		return found;
	}
	return {
		dialect: 'duckdb',
		async registerText(fileName, text) {
			await db.registerFileText(fileName, text);
		},
		async registerBuffer(fileName, bytes) {
			// The buffer is transferred to the worker (and detached here): hand over a copy
			// when the bytes are a view into a larger buffer the caller still uses.
			const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
			await db.registerFileBuffer(fileName, whole ? bytes : bytes.slice());
		},
		async registerHandle(fileName, handle) {
			// Either way the bytes move between OPFS and the worker: the page's thread never holds them.
			const protocol = handle instanceof File ? duckdb.DuckDBDataProtocol.BROWSER_FILEREADER : duckdb.DuckDBDataProtocol.BROWSER_FSACCESS;
			await db.registerFileHandle(fileName, handle, protocol, true);
		},
		async exportTable(table) {
			// The worker's own Arrow IPC bytes, passed through: decoding them into a table here and
			// encoding it again would hold the page's main thread for about a second per million rows.
			// DuckDB hands over the Arrow *file* layout; storage and `importTable` use the stream inside it.
			return ipcFileToStream(await conn.useUnsafe((bindings, id) => bindings.runQuery(id, `SELECT * FROM ${tableName(table)}`)));
		},
		async importTable(table, bytes) {
			await conn.insertArrowFromIPCStream(bytes, { name: tableName(table), create: true });
		},
		async dropFile(fileName) {
			await db.dropFile(fileName);
		},
		async exec(text) {
			await conn.query(text);
		},
		async query<T extends object = Row>({ sql, params }: Query): Promise<T[]> {
			if (params.length === 0) return arrowToRows<T>(await conn.query(sql));
			// Statements that create tables run once: not kept, so they do not push out the ones reused.
			if (/^\s*CREATE\b/i.test(sql)) {
				const once = await conn.prepare(sql);
				try {
					return arrowToRows<T>(await once.query(...params));
				} finally {
					await once.close();
				}
			}
			return arrowToRows<T>(await (await statement(sql)).query(...params));
		}
	};
}
