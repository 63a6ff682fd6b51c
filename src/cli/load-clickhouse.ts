/**
 * `npm run load -- FILE... --into clickhouse:…`: the files imported into DuckDB in Node with the
 * app's importers (the same detection, assembly and repairs), then the canonical calls copied to
 * ClickHouse in pieces (src/lib/imports/clickhouse-load.ts). A file already loaded (same size and
 * SHA-256) is reported and skipped. All or nothing: the rows carry the load's id and count only
 * once its record is written, last; a load that stops before that leaves nothing visible, and
 * the next one removes what it sent (docs/servers.md).
 */

/** A load that failed after sending rows: none of them count; the message says so. */
export class LoadNotCommitted extends Error {}
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { nativeEngine, type NativeEngine } from '$lib/engine/native';
import { openClickHouseEngine } from '$lib/engine/clickhouse';
import { copyCalls, createTables, loadedBefore, newLoadId, parseLoadTarget, recordFiles, recordLoad, type FileId } from '$lib/imports/clickhouse-load';
import { migrateTables, removeUncommitted } from '$lib/imports/clickhouse-loads';
import { createAggregate } from '$lib/preagg/clickhouse-aggregate';
import { copyIntervals, createIntervalTable, intervalTableSummary } from '$lib/imports/clickhouse-intervals';
import { fingerprint } from '$lib/server/store';
import { importFromDisk, printable, UsageError, type ImportSettings } from './shared';
import { qualityText } from './quality-text';
import { holdAt } from './hold';

export const CLICKHOUSE_USAGE = `--into clickhouse:http://HOST:PORT[/DB][?cluster=NAME[&shard=http://HOST:PORT]…]
  cluster=NAME: a local table on every shard and a Distributed table over them; shard=URL (one per
  shard) creates them shard by shard where the cluster has no distributed DDL (no Keeper).
  User and password: in the URL, or HOLDLINE_CLICKHOUSE_USER / HOLDLINE_CLICKHOUSE_PASSWORD.`;

export async function loadIntoClickHouse(settings: ImportSettings, into: string): Promise<void> {
	let target;
	try {
		target = parseLoadTarget(into, process.env);
	} catch (error) {
		throw new UsageError(error instanceof Error ? error.message : String(error));
	}
	if (target.cluster && target.shards.length && !target.shards.includes(target.url))
		throw new UsageError(`the server loaded into (${target.url}) keeps the records of loads: name it as one of the shards (&shard=${target.url})`);
	const print = (text: string) => console.log(printable(text));
	if (await migrateTables(target)) print(`${target.database}: tables of an earlier version brought up to date (loads with ids, all or nothing)`);
	await createTables(target);
	// Before the calls: the materialized view sees every row inserted after it.
	await createAggregate(target);
	const left = await removeUncommitted(target);
	if (left.loads.length)
		print(`removed what ${left.loads.length} earlier load(s) that did not finish had sent (${left.rows} calls, never counted): loading again`);
	await holdAt('tables');
	const ch = openClickHouseEngine(target);
	removeStaleStaging();
	const staging = mkdtempSync(join(tmpdir(), `${STAGING_PREFIX}${process.pid}-`));
	let duck: NativeEngine | undefined;
	try {
		const fresh: { path: string; id: FileId }[] = [];
		for (const path of settings.files) {
			const { name, bytes, sha256 } = await fingerprint(path);
			const id = { name, size: bytes, sha256 };
			const before = await loadedBefore(ch, id);
			if (before) print(`${path}: already loaded (as ${before.name}, ${before.rows} calls, ${before.loaded} UTC); skipped`);
			else fresh.push({ path, id });
		}
		if (!fresh.length) {
			print('Nothing new to load.');
			return;
		}
		const importStarted = performance.now();
		duck = await stagingEngine(staging);
		const imported = await importFromDisk(duck, { ...settings, files: fresh.map((f) => f.path) }, 'calls_load', { native: true });
		const importSeconds = (performance.now() - importStarted) / 1000;
		const { result, format, synthetic } = imported;
		// An interval report goes into a database of its own: calls and intervals are measured each their own way.
		const intervals = 'kind' in imported && imported.kind === 'intervals';
		const [held] = await ch.query<{ n: number }>({ sql: `SELECT count() AS n FROM calls`, params: [] });
		const heldIntervals = await intervalTableSummary(ch);
		if (intervals ? Number(held?.n) > 0 : !!heldIntervals)
			throw new UsageError(
				`${target.database} holds ${intervals ? 'calls' : 'an interval report'}: load ${intervals ? 'an interval report' : 'calls'} into a database of its own`
			);
		await holdAt('imported');
		const load = newLoadId();
		const started = performance.now();
		let rows: number;
		try {
			if (intervals) await createIntervalTable(target);
			const pieceRows = Number(process.env.HOLDLINE_LOAD_PIECE_ROWS) || undefined;
			let pieces = 0;
			const sent = () => holdAt(++pieces === 1 ? 'piece-sent' : 'next-piece');
			rows = intervals ? await copyIntervals(duck, result.table, ch) : await copyCalls(duck, result.table, ch, sent, pieceRows, load);
			// An interval table names no source file: each file of the load is given the load's rows.
			const perFile = intervals
				? new Map(fresh.map((f) => [f.id.name, rows]))
				: new Map(
						(
							await duck.query<{ file: string; n: number }>({
								sql: `SELECT source_file AS file, count(*) AS n FROM calls_load GROUP BY source_file`,
								params: []
							})
						).map((r) => [r.file, r.n])
					);
			await recordFiles(
				ch,
				load,
				fresh.map((f) => ({ ...f.id, rows: perFile.get(f.id.name) ?? 0 }))
			);
			await holdAt('files-recorded');
			// The commit: from here on the load's calls and files count.
			await recordLoad(ch, load, { format, synthetic, calls: rows, skipped: result.skipped.count, quality: result.quality });
		} catch (error) {
			throw new LoadNotCommitted(
				`${error instanceof Error ? error.message.split('\n')[0] : String(error)} — the load stopped before it was recorded: none of its calls count; run the same load again to load them`,
				{ cause: error }
			);
		}
		await holdAt('committed');
		const seconds = (performance.now() - started) / 1000;
		const where = `${target.url}/${target.database}${target.cluster ? ` (cluster ${target.cluster})` : ''}`;
		print(
			`${rows} ${intervals ? 'interval rows' : 'calls'} from ${fresh.map((f) => f.path).join(', ')} (${format}) loaded into ${where} in ${seconds.toFixed(1)} s (${Math.round(rows / Math.max(seconds, 1e-3))} rows/s)`
		);
		print(`import ${importSeconds.toFixed(1)} s + copy ${seconds.toFixed(1)} s: ${Math.round(rows / Math.max(importSeconds + seconds, 1e-3))} rows/s in all\n`);
		print(qualityText(result.quality));
	} finally {
		await ch.close();
		duck?.close();
		rmSync(staging, { recursive: true, force: true });
	}
}

const STAGING_PREFIX = 'holdline-load-';

/**
 * A load killed outright leaves its staging database behind (gigabytes at 100 M calls): the next
 * load removes those whose process is gone.
 */
function removeStaleStaging() {
	for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith(STAGING_PREFIX))) {
		const pid = Number(name.slice(STAGING_PREFIX.length).split('-')[0]);
		if (Number.isInteger(pid) && pid > 0 && !running(pid)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
	}
}

function running(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * Native DuckDB, as a load into a DuckDB store (DuckDB-WASM's 3.1 GiB ran out at 10,000,000
 * calls), in a database file of its own: in memory, 100,000,000 calls held 20 GB of a 24 GB
 * machine before the first was sent. A file lets DuckDB write what it has assembled out of its
 * memory; half the machine's memory leaves the rest to ClickHouse when it runs beside it.
 */
async function stagingEngine(dir: string) {
	const limit = `${Math.floor(totalmem() / 2 / 2 ** 20)}MB`;
	return nativeEngine(await DuckDBInstance.create(join(dir, 'staging.duckdb'), { memory_limit: limit, temp_directory: join(dir, 'spill') }));
}
