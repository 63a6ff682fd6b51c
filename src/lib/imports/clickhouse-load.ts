import { openClickHouseEngine, type ClickHouseEngine, type ClickHouseTarget } from '$lib/engine/clickhouse';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quoteLiteral, tableName } from '$lib/sql/identifiers';
import { clickhouseLiteral } from '$lib/sql/dialect-clickhouse';
import { CANONICAL_COLUMNS, LATER_COLUMNS } from './canonical';
import type { Engine, Row } from '$lib/engine/types';
import type { QualityReport } from './quality';

/**
 * Loading canonical calls into ClickHouse: the table layout, the files already loaded, and
 * the copy from a DuckDB engine (where the app's importers put them) in pieces.
 *
 * A load is all or nothing (docs/servers.md, "A load is all or nothing"): every row it sends
 * carries its `load_id`, and the load becomes visible only when its record is written to
 * `holdline_loads`, last, in one small insert. What the dashboard reads are views that keep
 * the rows of committed loads (and load 0: rows loaded before loads had ids):
 *
 * calls_rows   the rows: a MergeTree, or with a cluster a Distributed table over `calls_local`
 *              on every shard (rows spread by cityHash64(call_id)); partitioned by month of
 *              arrival and ordered by queue, agent, arrival — the dashboard's filters.
 * calls        VIEW of calls_rows' committed rows, with the canonical columns.
 * holdline_files  one row per file of a load: name, size and SHA-256; a file whose hash a
 *              committed load holds is skipped, so loading it twice does not double its calls.
 * holdline_loads  one row per committed load: its id, format, synthetic mark, calls, rows
 *              skipped and data-quality report (JSON), for `serve` to list the database.
 * Both are kept on the server loaded into (on a cluster: one of the shards, every other shard
 * has an empty `holdline_loads`, and `holdline_commits` is a Distributed table over them all,
 * so a shard asked directly filters by the same records).
 */
export interface LoadTarget extends ClickHouseTarget {
	/** A `remote_servers` cluster: local tables on every shard, a Distributed table over them. */
	cluster: string | null;
	/**
	 * Each shard's HTTP address, to create the local tables on (for clusters without
	 * distributed DDL, i.e. no ZooKeeper/Keeper). Empty: `ON CLUSTER` DDL does it.
	 */
	shards: string[];
}

/** The view the dashboard reads: committed calls. */
export const CALLS_TABLE = 'calls';
/** The rows of every load, committed or not (MergeTree, or Distributed on a cluster). */
export const ROWS_TABLE = 'calls_rows';
export const LOCAL_TABLE = 'calls_local';
export const FILES_TABLE = 'holdline_files';
export const LOADS_TABLE = 'holdline_loads';
/** On a cluster: every shard's `holdline_loads` (only the server loaded into has rows). */
export const COMMITS_TABLE = 'holdline_commits';
/** The column naming a row's load; 0 for rows loaded before loads had ids (always visible). */
export const LOAD_COLUMN = 'load_id';
export const LEGACY_LOAD = 0;

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
/** A database or cluster name from the command line: checked, then quoted. */
export function chIdentifier(name: string): string {
	if (!NAME.test(name)) throw new Error(`Invalid ClickHouse name: ${JSON.stringify(name)}`);
	return `\`${name}\``;
}

/**
 * `clickhouse:http://[user[:password]@]host:port[/db][?cluster=NAME&shard=http://…]`; the user
 * and password may instead come from HOLDLINE_CLICKHOUSE_USER / HOLDLINE_CLICKHOUSE_PASSWORD.
 */
export function parseLoadTarget(text: string, env: Record<string, string | undefined> = {}): LoadTarget {
	const m = /^clickhouse:(https?:\/\/.+)$/.exec(text);
	if (!m) throw new Error(`--into takes clickhouse:http://HOST:PORT[/DB][?cluster=NAME], not ${JSON.stringify(text)}`);
	const url = new URL(m[1]!);
	const database = decodeURIComponent(url.pathname.replace(/^\/|\/$/g, '')) || 'default';
	chIdentifier(database);
	const cluster = url.searchParams.get('cluster');
	if (cluster) chIdentifier(cluster);
	const shards = url.searchParams.getAll('shard').map((s) => new URL(s).origin);
	return {
		url: url.origin,
		database,
		username: decodeURIComponent(url.username) || env.HOLDLINE_CLICKHOUSE_USER || 'default',
		password: decodeURIComponent(url.password) || env.HOLDLINE_CLICKHOUSE_PASSWORD || '',
		cluster: cluster || null,
		shards
	};
}

const TIME = `Nullable(DateTime('UTC'))`;
const COLUMN_TYPES: Record<(typeof CANONICAL_COLUMNS)[number], string> = {
	call_id: 'Nullable(String)',
	queue: 'Nullable(String)',
	agent: 'Nullable(String)',
	arrival: TIME,
	answer: TIME,
	ended: TIME,
	wait_s: 'Nullable(Float64)',
	talk_s: 'Nullable(Float64)',
	hold_s: 'Nullable(Float64)',
	wrap_s: 'Nullable(Float64)',
	outcome: 'Nullable(String)',
	source_file: 'Nullable(String)',
	source_line: 'Nullable(Int64)',
	caller: 'Nullable(String)',
	callback_at: TIME
};
const COLUMNS_DDL = CANONICAL_COLUMNS.map((c) => `${c} ${COLUMN_TYPES[c]}`).join(', ');
// Sorting and partition keys cannot be Nullable: a missing value sorts as '' / 1970.
const NO_TIME = `toDateTime(0, 'UTC')`;
const MERGE_TREE = `MergeTree
PARTITION BY toYYYYMM(ifNull(arrival, ${NO_TIME}))
ORDER BY (ifNull(queue, ''), ifNull(agent, ''), ifNull(arrival, ${NO_TIME}))`;

/**
 * The condition that keeps the rows of committed loads, for a view over `database`'s rows.
 * On a cluster the set of committed loads is read once, by the server asked, and sent to the
 * shards with the query (GLOBAL IN).
 */
export function committedCondition(database: string, cluster: boolean): string {
	const db = chIdentifier(database);
	return cluster
		? `${LOAD_COLUMN} = ${LEGACY_LOAD} OR ${LOAD_COLUMN} GLOBAL IN (SELECT ${LOAD_COLUMN} FROM ${db}.${COMMITS_TABLE})`
		: `${LOAD_COLUMN} = ${LEGACY_LOAD} OR ${LOAD_COLUMN} IN (SELECT ${LOAD_COLUMN} FROM ${db}.${LOADS_TABLE})`;
}

const ROWS_DDL = `${COLUMNS_DDL}, ${LOAD_COLUMN} UInt64`;
const FILES_DDL = `(name String, size UInt64, sha256 String, rows UInt64, loaded DateTime, ${LOAD_COLUMN} UInt64) ENGINE = MergeTree ORDER BY sha256`;
const LOADS_DDL = `(format String, synthetic UInt8, calls UInt64, skipped UInt64, quality String, loaded DateTime, ${LOAD_COLUMN} UInt64) ENGINE = MergeTree ORDER BY loaded`;

/** The DDL that makes the tables, each statement with the address to run it at. */
export function tableStatements(target: LoadTarget): { url: string; sql: string }[] {
	const db = chIdentifier(target.database);
	const at = (url: string, sql: string) => ({ url, sql });
	const files = at(target.url, `CREATE TABLE IF NOT EXISTS ${db}.${FILES_TABLE} ${FILES_DDL}`);
	const loads = `CREATE TABLE IF NOT EXISTS ${db}.${LOADS_TABLE} ${LOADS_DDL}`;
	const view = `CREATE VIEW IF NOT EXISTS ${db}.${CALLS_TABLE} AS SELECT ${CANONICAL_COLUMNS.join(', ')} FROM ${db}.${ROWS_TABLE} WHERE ${committedCondition(target.database, !!target.cluster)}`;
	if (!target.cluster)
		return [
			at(target.url, `CREATE DATABASE IF NOT EXISTS ${db}`),
			at(target.url, `CREATE TABLE IF NOT EXISTS ${db}.${ROWS_TABLE} (${ROWS_DDL}) ENGINE = ${MERGE_TREE}`),
			files,
			at(target.url, loads),
			at(target.url, view)
		];
	const cluster = chIdentifier(target.cluster);
	const distributed = `(${ROWS_DDL}) ENGINE = Distributed(${cluster}, ${db}, ${LOCAL_TABLE}, cityHash64(ifNull(call_id, '')))`;
	const commits = `${LOADS_DDL.replace(/ ENGINE = .*$/, '')} ENGINE = Distributed(${cluster}, ${db}, ${LOADS_TABLE})`;
	if (!target.shards.length) {
		const on = `ON CLUSTER ${cluster}`;
		return [
			at(target.url, `CREATE DATABASE IF NOT EXISTS ${db} ${on}`),
			at(target.url, `CREATE TABLE IF NOT EXISTS ${db}.${LOCAL_TABLE} ${on} (${ROWS_DDL}) ENGINE = ${MERGE_TREE}`),
			at(target.url, `CREATE TABLE IF NOT EXISTS ${db}.${ROWS_TABLE} ${on} ${distributed}`),
			files,
			at(target.url, loads.replace(`.${LOADS_TABLE} `, `.${LOADS_TABLE} ${on} `)),
			at(target.url, `CREATE TABLE IF NOT EXISTS ${db}.${COMMITS_TABLE} ${on} ${commits}`),
			at(target.url, view.replace(` AS SELECT`, ` ${on} AS SELECT`))
		];
	}
	// Every shard gets the local table, the Distributed one and the view, so any of them can be asked.
	return [
		...target.shards.flatMap((url) => [
			at(url, `CREATE DATABASE IF NOT EXISTS ${db}`),
			at(url, `CREATE TABLE IF NOT EXISTS ${db}.${LOCAL_TABLE} (${ROWS_DDL}) ENGINE = ${MERGE_TREE}`),
			at(url, `CREATE TABLE IF NOT EXISTS ${db}.${ROWS_TABLE} ${distributed}`),
			at(url, loads),
			at(url, `CREATE TABLE IF NOT EXISTS ${db}.${COMMITS_TABLE} ${commits}`)
		]),
		files,
		...target.shards.map((url) => at(url, view))
	];
}

/**
 * The tables holding call rows, to give the later canonical columns where a database loaded
 * before them lacks them: each with the address to ask and ` ON CLUSTER …` where one statement
 * reaches all. (The `calls` view is made again over them: `outdatedView`.)
 */
function upgradedTables(target: LoadTarget): { url: string; table: string; on: string }[] {
	const tables = target.cluster ? [LOCAL_TABLE, ROWS_TABLE] : [ROWS_TABLE];
	if (!target.cluster || target.shards.length === 0)
		return tables.map((table) => ({ url: target.url, table, on: target.cluster ? ` ON CLUSTER ${chIdentifier(target.cluster)}` : '' }));
	return target.shards.flatMap((url) => tables.map((table) => ({ url, table, on: '' })));
}

const columnsOf = (engine: ClickHouseEngine, database: string, table: string) =>
	engine.query<{ name: string }>({
		sql: `SELECT name FROM system.columns WHERE database = ${clickhouseLiteral(database)} AND table = ${clickhouseLiteral(table)}`,
		params: []
	});

/** Adds the later canonical columns a rows table lacks (ClickHouse 18.16 has no ADD COLUMN IF NOT EXISTS: asked first). */
async function addLaterColumns(target: LoadTarget): Promise<void> {
	const db = chIdentifier(target.database);
	for (const { url, table, on } of upgradedTables(target)) {
		const engine = openClickHouseEngine({ ...target, url, database: 'default' });
		try {
			const have = await columnsOf(engine, target.database, table);
			for (const [name] of LATER_COLUMNS)
				if (!have.some((c) => c.name === name)) await engine.exec(`ALTER TABLE ${db}.${table}${on} ADD COLUMN ${name} ${COLUMN_TYPES[name]}`);
		} finally {
			await engine.close();
		}
	}
}

/** A `calls` view made before the later columns existed: dropped, so it is made again with them. */
async function dropOutdatedView(target: LoadTarget, engine: ClickHouseEngine, sql: string): Promise<void> {
	const have = await columnsOf(engine, target.database, CALLS_TABLE);
	if (!have.length || CANONICAL_COLUMNS.every((c) => have.some((h) => h.name === c))) return;
	const on = / ON CLUSTER \S+ AS SELECT/.exec(sql)?.[0].replace(' AS SELECT', '') ?? '';
	await engine.exec(`DROP TABLE ${chIdentifier(target.database)}.${CALLS_TABLE}${on}`);
}

/** Makes the tables (and brings rows tables of an earlier version up to the canonical columns) before the views over them. */
export async function createTables(target: LoadTarget): Promise<void> {
	const statements = tableStatements(target);
	const isView = (sql: string) => sql.startsWith('CREATE VIEW');
	await runAll(
		target,
		statements.filter((s) => !isView(s.sql))
	);
	await addLaterColumns(target);
	await runAll(
		target,
		statements.filter((s) => isView(s.sql)),
		dropOutdatedView
	);
}

async function runAll(
	target: LoadTarget,
	statements: { url: string; sql: string }[],
	before?: (target: LoadTarget, engine: ClickHouseEngine, sql: string) => Promise<void>
): Promise<void> {
	for (const { url, sql } of statements) {
		// Statements before the database exists run in `default`.
		const engine = openClickHouseEngine({ ...target, url, database: 'default' });
		try {
			await before?.(target, engine, sql);
			await engine.exec(sql);
		} catch (error) {
			// 18.16's words when `ON CLUSTER` has no ZooKeeper/Keeper to run through.
			if (/DDL background thread is not initialized/.test(String(error)))
				throw new Error(
					`${error instanceof Error ? error.message : error} — this cluster has no distributed DDL: name each shard with &shard=http://HOST:PORT`,
					{ cause: error }
				);
			throw error;
		} finally {
			await engine.close();
		}
	}
}

export interface FileId {
	name: string;
	size: number;
	sha256: string;
}

/** The earlier committed load of a file with these bytes, if any. */
export async function loadedBefore(ch: ClickHouseEngine, file: FileId): Promise<{ name: string; loaded: string; rows: number } | null> {
	const rows = await ch.query<{ name: string; loaded: string; rows: number }>({
		sql: `SELECT name, toString(loaded) AS loaded, rows FROM ${FILES_TABLE} WHERE sha256 = ${clickhouseLiteral(file.sha256)} AND size = ${clickhouseLiteral(file.size)} AND (${LOAD_COLUMN} = ${LEGACY_LOAD} OR ${LOAD_COLUMN} IN (SELECT ${LOAD_COLUMN} FROM ${LOADS_TABLE})) LIMIT 1`,
		params: []
	});
	return rows[0] ?? null;
}

const utcNow = () => new Date().toISOString().slice(0, 19).replace('T', ' ');

/** A new load's id: its start in microseconds (readable as a time, and below 2^53), never 0. */
export function newLoadId(now = Date.now()): number {
	return now * 1000 + Math.floor(Math.random() * 1000);
}

/** The files of load `loadId`: they count (for `loadedBefore` and the dataset's list) once it commits. */
export async function recordFiles(ch: ClickHouseEngine, loadId: number, files: (FileId & { rows: number })[]): Promise<void> {
	const now = utcNow();
	await ch.insert(
		FILES_TABLE,
		files.map((f) => ({ name: f.name, size: f.size, sha256: f.sha256, rows: f.rows, loaded: now, [LOAD_COLUMN]: loadId }))
	);
}

export interface LoadRecord {
	format: string;
	synthetic: boolean;
	calls: number;
	skipped: number;
	quality: QualityReport;
}

/**
 * The commit: one load's facts, as `serve` lists them (the DuckDB store's `loads` and
 * `datasets`), in one insert of one row. Its rows and files are visible from here on.
 */
export async function recordLoad(ch: ClickHouseEngine, loadId: number, load: LoadRecord): Promise<void> {
	await ch.insert(LOADS_TABLE, [
		{
			format: load.format,
			synthetic: load.synthetic ? 1 : 0,
			calls: load.calls,
			skipped: load.skipped,
			quality: JSON.stringify(load.quality),
			loaded: utcNow(),
			[LOAD_COLUMN]: loadId
		}
	]);
}

/** Rows per INSERT where the rows go as JSON (~7 MB each); the whole file is never one string. */
export const PIECE_ROWS = 50_000;
/** Rows per INSERT where they go as CSV from native DuckDB (~30 MB each, streamed from a file; 1,000,000 cost ClickHouse 60 % more CPU). */
export const CSV_PIECE_ROWS = 250_000;

/** The canonical table's columns as ClickHouse reads them: times as 'YYYY-MM-DD HH:MM:SS' text. */
const EXPORT_COLUMNS = CANONICAL_COLUMNS.map((c) => (COLUMN_TYPES[c] === TIME ? `strftime(${c}, '%Y-%m-%d %H:%M:%S') AS ${c}` : c)).join(', ');
const TEXT_COLUMNS = CANONICAL_COLUMNS.filter((c) => COLUMN_TYPES[c] === 'Nullable(String)');

/**
 * Copies `table` of a DuckDB engine into ClickHouse's rows as load `loadId`, in pieces (by
 * rowid, so each piece is a range scan); `onPiece` hears the running total, once the piece is in. From native
 * DuckDB each piece is written by DuckDB's CSV writer to a temporary file and streamed as
 * one INSERT (no JavaScript object per row); from DuckDB-WASM the rows go as JSON.
 * Load 0 (the default) is visible at once: for tests that copy rows as an earlier version did.
 */
export async function copyCalls(
	duck: Engine,
	table: string,
	ch: ClickHouseEngine,
	onPiece?: (rows: number) => void | Promise<void>,
	pieceRows?: number,
	loadId = LEGACY_LOAD
): Promise<number> {
	const [{ n }] = (await duck.query<{ n: number }>({
		sql: `SELECT CAST(coalesce(max(rowid) + 1, 0) AS BIGINT) AS n FROM ${tableName(table)}`,
		params: []
	})) as [{ n: number }];
	const native = 'connection' in duck;
	const size = pieceRows ?? (native ? CSV_PIECE_ROWS : PIECE_ROWS);
	const scratch = native ? mkdtempSync(join(tmpdir(), 'holdline-ch-load-')) : null;
	let copied = 0;
	try {
		for (let start = 0; start < n; start += size) {
			const range = `FROM ${tableName(table)} WHERE rowid >= ${start} AND rowid < ${start + size}`;
			if (scratch) {
				const file = join(scratch, 'piece.csv');
				// NULL as \N (ClickHouse's NULL in CSV); text always quoted, so a text "\N" stays text.
				const [{ Count }] = (await duck.query<{ Count: number }>({
					sql: `COPY (SELECT ${EXPORT_COLUMNS}, ${loadId}::UBIGINT AS ${LOAD_COLUMN} ${range}) TO ${quoteLiteral(file)} (FORMAT CSV, HEADER false, NULLSTR '\\N', FORCE_QUOTE (${TEXT_COLUMNS.join(', ')}))`,
					params: []
				})) as [{ Count: number }];
				if (Number(Count)) await ch.insertFile(ROWS_TABLE, [...CANONICAL_COLUMNS, LOAD_COLUMN], 'CSV', createReadStream(file));
				copied += Number(Count);
			} else {
				const rows: Row[] = await duck.query({ sql: `SELECT ${EXPORT_COLUMNS}, ${loadId} AS ${LOAD_COLUMN} ${range}`, params: [] });
				if (rows.length) await ch.insert(ROWS_TABLE, rows);
				copied += rows.length;
			}
			await onPiece?.(copied);
		}
	} finally {
		if (scratch) rmSync(scratch, { recursive: true, force: true });
	}
	return copied;
}
