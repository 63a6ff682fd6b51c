import { openClickHouseEngine, type ClickHouseEngine, type ClickHouseTarget } from '$lib/engine/clickhouse';
import { tableName } from '$lib/sql/identifiers';
import { clickhouseLiteral } from '$lib/sql/dialect-clickhouse';
import { CANONICAL_COLUMNS, LATER_COLUMNS } from './canonical';
import type { Engine, Row } from '$lib/engine/types';
import type { QualityReport } from './quality';

/**
 * Loading canonical calls into ClickHouse: the table layout, the files already loaded, and
 * the copy from a DuckDB engine (where the app's importers put them) in pieces.
 *
 * calls        MergeTree, or with a cluster a Distributed table over `calls_local` on every
 *              shard (rows spread by cityHash64(call_id)); partitioned by month of arrival and
 *              ordered by queue, agent, arrival — the dashboard's filters — so a filtered query
 *              reads only the granules it needs.
 * holdline_files  one row per file loaded: name, size and SHA-256; a file whose hash is
 *              there is skipped, so loading it twice does not double its calls.
 * holdline_loads  one row per load: the files' format, synthetic mark, calls, rows skipped and
 *              data-quality report (JSON), for `serve` to list the database as a dataset.
 * Both are kept on the server loaded into (not per shard): `serve` asks that server.
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

export const CALLS_TABLE = 'calls';
export const LOCAL_TABLE = 'calls_local';
const FILES_TABLE = 'holdline_files';
export const LOADS_TABLE = 'holdline_loads';

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

/** The DDL that makes the tables, each statement with the address to run it at. */
export function tableStatements(target: LoadTarget): { url: string; sql: string }[] {
	const db = chIdentifier(target.database);
	const at = (url: string, sql: string) => ({ url, sql });
	const files = at(
		target.url,
		`CREATE TABLE IF NOT EXISTS ${db}.${FILES_TABLE} (name String, size UInt64, sha256 String, rows UInt64, loaded DateTime) ENGINE = MergeTree ORDER BY sha256`
	);
	const loads = at(
		target.url,
		`CREATE TABLE IF NOT EXISTS ${db}.${LOADS_TABLE} (format String, synthetic UInt8, calls UInt64, skipped UInt64, quality String, loaded DateTime) ENGINE = MergeTree ORDER BY loaded`
	);
	if (!target.cluster)
		return [
			at(target.url, `CREATE DATABASE IF NOT EXISTS ${db}`),
			at(target.url, `CREATE TABLE IF NOT EXISTS ${db}.${CALLS_TABLE} (${COLUMNS_DDL}) ENGINE = ${MERGE_TREE}`),
			files,
			loads
		];
	const cluster = chIdentifier(target.cluster);
	const distributed = `(${COLUMNS_DDL}) ENGINE = Distributed(${cluster}, ${db}, ${LOCAL_TABLE}, cityHash64(ifNull(call_id, '')))`;
	if (!target.shards.length)
		return [
			at(target.url, `CREATE DATABASE IF NOT EXISTS ${db} ON CLUSTER ${cluster}`),
			at(target.url, `CREATE TABLE IF NOT EXISTS ${db}.${LOCAL_TABLE} ON CLUSTER ${cluster} (${COLUMNS_DDL}) ENGINE = ${MERGE_TREE}`),
			at(target.url, `CREATE TABLE IF NOT EXISTS ${db}.${CALLS_TABLE} ON CLUSTER ${cluster} ${distributed}`),
			files,
			loads
		];
	// Every shard gets the local table and the Distributed one, so any of them can be asked.
	return [
		...target.shards.flatMap((url) => [
			at(url, `CREATE DATABASE IF NOT EXISTS ${db}`),
			at(url, `CREATE TABLE IF NOT EXISTS ${db}.${LOCAL_TABLE} (${COLUMNS_DDL}) ENGINE = ${MERGE_TREE}`),
			at(url, `CREATE TABLE IF NOT EXISTS ${db}.${CALLS_TABLE} ${distributed}`)
		]),
		files,
		loads
	];
}

/**
 * The calls tables to give the later canonical columns where a database loaded before them
 * lacks them: each with the address to ask and ` ON CLUSTER …` where one statement reaches all.
 */
function upgradedTables(target: LoadTarget): { url: string; table: string; on: string }[] {
	const tables = target.cluster ? [LOCAL_TABLE, CALLS_TABLE] : [CALLS_TABLE];
	if (!target.cluster || target.shards.length === 0)
		return tables.map((table) => ({ url: target.url, table, on: target.cluster ? ` ON CLUSTER ${chIdentifier(target.cluster)}` : '' }));
	return target.shards.flatMap((url) => tables.map((table) => ({ url, table, on: '' })));
}

/** Adds the later canonical columns a calls table lacks (ClickHouse 18.16 has no ADD COLUMN IF NOT EXISTS: asked first). */
async function addLaterColumns(target: LoadTarget): Promise<void> {
	const db = chIdentifier(target.database);
	for (const { url, table, on } of upgradedTables(target)) {
		const engine = openClickHouseEngine({ ...target, url, database: 'default' });
		try {
			const have = await engine.query<{ name: string }>({
				sql: `SELECT name FROM system.columns WHERE database = ${clickhouseLiteral(target.database)} AND table = ${clickhouseLiteral(table)}`,
				params: []
			});
			for (const [name] of LATER_COLUMNS)
				if (!have.some((c) => c.name === name)) await engine.exec(`ALTER TABLE ${db}.${table}${on} ADD COLUMN ${name} ${COLUMN_TYPES[name]}`);
		} finally {
			await engine.close();
		}
	}
}

export async function createTables(target: LoadTarget): Promise<void> {
	await createAll(target);
	await addLaterColumns(target);
}

async function createAll(target: LoadTarget): Promise<void> {
	for (const { url, sql } of tableStatements(target)) {
		// Statements before the database exists run in `default`.
		const engine = openClickHouseEngine({ ...target, url, database: 'default' });
		try {
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

/** The earlier load of a file with these bytes, if any. */
export async function loadedBefore(ch: ClickHouseEngine, file: FileId): Promise<{ name: string; loaded: string; rows: number } | null> {
	const rows = await ch.query<{ name: string; loaded: string; rows: number }>({
		sql: `SELECT name, toString(loaded) AS loaded, rows FROM ${FILES_TABLE} WHERE sha256 = ${clickhouseLiteral(file.sha256)} AND size = ${clickhouseLiteral(file.size)} LIMIT 1`,
		params: []
	});
	return rows[0] ?? null;
}

const utcNow = () => new Date().toISOString().slice(0, 19).replace('T', ' ');

export async function recordFiles(ch: ClickHouseEngine, files: (FileId & { rows: number })[]): Promise<void> {
	const now = utcNow();
	await ch.insert(
		FILES_TABLE,
		files.map((f) => ({ name: f.name, size: f.size, sha256: f.sha256, rows: f.rows, loaded: now }))
	);
}

export interface LoadRecord {
	format: string;
	synthetic: boolean;
	calls: number;
	skipped: number;
	quality: QualityReport;
}

/** One load's facts, as `serve` lists them (the DuckDB store's `loads` and `datasets`). */
export async function recordLoad(ch: ClickHouseEngine, load: LoadRecord): Promise<void> {
	await ch.insert(LOADS_TABLE, [
		{
			format: load.format,
			synthetic: load.synthetic ? 1 : 0,
			calls: load.calls,
			skipped: load.skipped,
			quality: JSON.stringify(load.quality),
			loaded: utcNow()
		}
	]);
}

/** Rows per INSERT: ~7 MB of JSON each; the whole file is never one string. */
export const PIECE_ROWS = 50_000;

/** The canonical table's columns as ClickHouse reads them from JSON: times as 'YYYY-MM-DD HH:MM:SS' text. */
const EXPORT_COLUMNS = CANONICAL_COLUMNS.map((c) => (COLUMN_TYPES[c] === TIME ? `strftime(${c}, '%Y-%m-%d %H:%M:%S') AS ${c}` : c)).join(', ');

/**
 * Copies `table` of a DuckDB engine into ClickHouse's calls table, PIECE_ROWS at a time (by
 * rowid, so each piece is a range scan); `onPiece` hears the running total.
 */
export async function copyCalls(duck: Engine, table: string, ch: ClickHouseEngine, onPiece?: (rows: number) => void, pieceRows = PIECE_ROWS): Promise<number> {
	const [{ n }] = (await duck.query<{ n: number }>({
		sql: `SELECT CAST(coalesce(max(rowid) + 1, 0) AS BIGINT) AS n FROM ${tableName(table)}`,
		params: []
	})) as [{ n: number }];
	let copied = 0;
	for (let start = 0; start < n; start += pieceRows) {
		const rows: Row[] = await duck.query({
			sql: `SELECT ${EXPORT_COLUMNS} FROM ${tableName(table)} WHERE rowid >= ? AND rowid < ?`,
			params: [start, start + pieceRows]
		});
		if (rows.length) await ch.insert(CALLS_TABLE, rows);
		copied += rows.length;
		onPiece?.(copied);
	}
	return copied;
}
