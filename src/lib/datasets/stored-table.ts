import type { BrowserEngine } from '$lib/engine/browser';
import type { Change } from '$lib/query/coordinator';
import { quoteLiteral, tableName } from '$lib/sql/identifiers';
import { LATER_COLUMNS, missingLaterColumns } from '$lib/imports/canonical';
import emptyDatabase from './empty.duckdb?url';
import { agentEventsTable } from '$lib/imports/agent-events';
import { tableExists } from '$lib/engine/table-exists';
import { IMPORT_WORK_DATABASE } from '$lib/imports/clean-csv';

/** An import's calls kept compressed (imports/pipeline.ts `heldIn`): the dataset's name is a view over them. */
const heldCompressed = (table: string) => `${IMPORT_WORK_DATABASE}.main.${tableName(table)}`;

const hasTable = async (engine: BrowserEngine, name: string) =>
	Number((await engine.query<{ n: number }>({ sql: `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = ?`, params: [name] }))[0]?.n) > 0;

/**
 * An imported dataset's stored copy in the origin-private file system (OPFS): a DuckDB
 * database file of its own holding the table `calls`, written and read by the engine's worker,
 * so the page's thread never holds or copies the bytes.
 *
 * Measured at 1,000,000 calls (headless Chromium, 2 shared cores; the previous copy was the
 * table's Arrow IPC bytes written from the page in 8 MB steps):
 *
 * | | Arrow IPC (before) | DuckDB file (now) |
 * |---|---|---|
 * | stored size | 119 MB | 18 MB (DuckDB's own column compression) |
 * | save | 6.7 s export + 4.4 s write; main-thread tasks up to 226 ms | 4.1 s; no main-thread task over 50 ms |
 * | reload to first answer | 6.2 s (read, hand over, rebuild the table) | 2.9 s (attached read-only, queried in place) |
 * | later queries | on the table in memory | 20–70 ms in place; copying it into memory would take 5.0 s more |
 *
 * So the file is queried in place (attached read-only, a view of the dataset's name over it):
 * the first answer reads only the columns and row groups it needs, and the table's memory is
 * DuckDB's buffer cache, which it may evict, instead of a second copy of the data.
 * Parquet would be as compact, but DuckDB-WASM's Parquet writer is an extension it fetches from
 * the internet, which this app never does.
 *
 * DuckDB refuses to attach an empty file ("not a valid DuckDB database file"), and an OPFS
 * file handed to the worker exists before DuckDB opens it: so a new file starts as an empty
 * database (`empty.duckdb`, 12 KB, made by native DuckDB; every later version reads it).
 */
export const storedFileName = (table: string) => `${tableName(table)}.duckdb`;
/** Earlier versions kept the table's Arrow IPC stream; such datasets still open. */
export const legacyFileName = (table: string) => `${tableName(table)}.arrow`;
const attachedAs = (table: string) => tableName(`stored_${table}`);

/**
 * The client's write path (`query/client.ts` `write`): each step below that uses the engine is
 * one write, so no question runs between an ATTACH and its DETACH, or inside the swap's
 * transaction, and the answers read from a changed table are forgotten after it.
 */
export type Write = <T>(work: (engine: BrowserEngine) => Promise<T>, change?: Change) => Promise<T>;

/** Writes `table` (in memory) into its stored file; resolves to the file's size in bytes. */
export async function writeStoredCopy(write: Write, table: string, dir: FileSystemDirectoryHandle): Promise<number> {
	const name = storedFileName(table);
	const handle = await dir.getFileHandle(name, { create: true });
	try {
		const seed = await (await fetch(emptyDatabase)).arrayBuffer();
		const writable = await handle.createWritable();
		await writable.write(seed);
		await writable.close();
		await write((engine) => intoFile(engine, table, name, handle));
	} catch (error) {
		// A half-written copy is never left behind (a failed save lists nothing).
		await dir.removeEntry(name).catch(() => {});
		throw error;
	}
	return (await handle.getFile()).size;
}

async function intoFile(engine: BrowserEngine, table: string, name: string, handle: FileSystemFileHandle): Promise<void> {
	const alias = attachedAs(table);
	await engine.registerHandle(name, handle);
	try {
		await engine.exec(`ATTACH ${quoteLiteral(name)} AS ${alias}`);
		try {
			await engine.exec(`CREATE TABLE ${alias}.calls AS SELECT * FROM ${tableName(table)}`);
			// A queue_log's agent events, kept beside its calls (imports/agent-events.ts), are stored with them.
			if (await hasTable(engine, agentEventsTable(table))) await engine.exec(`CREATE TABLE ${alias}.agent_events AS SELECT * FROM ${agentEventsTable(table)}`);
			await engine.exec(`CHECKPOINT ${alias}`);
		} finally {
			await engine.exec(`DETACH ${alias}`);
		}
	} finally {
		// Releases the worker's exclusive access handle, so the file can be read (and deleted).
		await engine.dropFile(name);
	}
}

/**
 * Makes `table` a view over its stored file, read in place. Resolves to false when the
 * dataset has no DuckDB file (saved by an earlier version: the caller reads its Arrow copy).
 * `replace` swaps a table already in memory for the view in one transaction, freeing its memory;
 * the table's cached answers are forgotten after (the rows are the same, now read from the file).
 */
export async function attachStoredCopy(write: Write, table: string, dir: FileSystemDirectoryHandle, replace = false): Promise<boolean> {
	const name = storedFileName(table);
	const alias = attachedAs(table);
	let file: File;
	try {
		file = await (await dir.getFileHandle(name)).getFile();
	} catch (error) {
		if (error instanceof DOMException && error.name === 'NotFoundError') return false;
		throw error;
	}
	// The agent events' view, where the file holds them (a queue_log's); dropped first, the table in memory it replaces included.
	const agents = agentEventsTable(table);
	const agentsView = async (engine: BrowserEngine) => {
		if (!(await tableExists(engine, 'agent_events', alias))) return;
		await engine.exec(`DROP TABLE IF EXISTS ${agents}`);
		await engine.exec(`CREATE OR REPLACE VIEW ${agents} AS SELECT * FROM ${alias}.agent_events`);
	};
	await write(
		async (engine) => {
			await engine.registerHandle(name, file);
			await engine.exec(`DETACH DATABASE IF EXISTS ${alias}`);
			await engine.exec(`ATTACH ${quoteLiteral(name)} AS ${alias} (READ_ONLY)`);
			// A copy saved before the canonical calls' later columns reads them as NULL.
			const columns = await engine.query<{ name: string }>({
				sql: `SELECT column_name AS name FROM duckdb_columns() WHERE database_name = ? AND table_name = 'calls'`,
				params: [alias]
			});
			const view = `CREATE OR REPLACE VIEW ${tableName(table)} AS SELECT *${missingLaterColumns(columns.map((c) => c.name))} FROM ${alias}.calls`;
			if (!replace) {
				await engine.exec(view);
				return agentsView(engine);
			}
			// A clean CSV's calls are a view over their compressed table: the view is replaced, the table dropped after.
			const held = await tableExists(engine, tableName(table), IMPORT_WORK_DATABASE);
			try {
				await engine.exec(`BEGIN; ${held ? '' : `DROP TABLE IF EXISTS ${tableName(table)}; `}${view}; COMMIT`);
			} catch (error) {
				// The table in memory stays: the dataset answers as before, from memory.
				await engine.exec('ROLLBACK').catch(() => {});
				throw error;
			}
			if (held) await engine.exec(`DROP TABLE IF EXISTS ${heldCompressed(table)}`).catch(() => {});
			// Should this fail, the agent events stay in memory and answer as before.
			await agentsView(engine).catch(() => {});
		},
		{ changes: replace ? [tableName(table)] : [] }
	);
	return true;
}

/** A table read from an earlier version's copy gains the canonical calls' later columns (NULL). */
export async function addLaterColumns(engine: BrowserEngine, table: string): Promise<void> {
	for (const [name, type] of LATER_COLUMNS) await engine.exec(`ALTER TABLE ${tableName(table)} ADD COLUMN IF NOT EXISTS ${name} ${type}`);
}

/** Forgets the dataset in the engine (its view or table, and the attached file) and deletes its stored files. */
export async function deleteStoredCopy(write: Write, table: string, dir: FileSystemDirectoryHandle): Promise<void> {
	const name = tableName(table);
	await write(
		async (engine) => {
			// Either a view (stored file) or a table (an Arrow copy, or not yet saved): DuckDB drops by kind.
			await engine.exec(`DROP VIEW IF EXISTS ${name}`).catch(() => engine.exec(`DROP TABLE IF EXISTS ${name}`));
			// Its calls kept compressed, not yet replaced by the stored copy (the database may not be attached).
			await engine.exec(`DROP TABLE IF EXISTS ${heldCompressed(table)}`).catch(() => {});
			const agents = agentEventsTable(table);
			await engine.exec(`DROP VIEW IF EXISTS ${agents}`).catch(() => engine.exec(`DROP TABLE IF EXISTS ${agents}`));
			await engine.exec(`DETACH DATABASE IF EXISTS ${attachedAs(table)}`).catch(() => {});
			await engine.dropFile(storedFileName(table)).catch(() => {});
		},
		{ changes: [name] }
	);
	for (const file of [storedFileName(table), legacyFileName(table)]) await dir.removeEntry(file).catch(() => {});
}
