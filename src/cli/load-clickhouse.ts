/**
 * `npm run load -- FILE... --into clickhouse:…`: the files imported into DuckDB in Node with the
 * app's importers (the same detection, assembly and repairs), then the canonical calls copied to
 * ClickHouse in pieces (src/lib/imports/clickhouse-load.ts). A file already loaded (same size and
 * SHA-256) is reported and skipped.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { nativeEngine } from '$lib/engine/native';
import { openClickHouseEngine } from '$lib/engine/clickhouse';
import { copyCalls, createTables, loadedBefore, parseLoadTarget, recordFiles, recordLoad, type FileId } from '$lib/imports/clickhouse-load';
import { createAggregate } from '$lib/preagg/clickhouse-aggregate';
import { copyIntervals, createIntervalTable, intervalTableSummary } from '$lib/imports/clickhouse-intervals';
import { fingerprint } from '$lib/server/store';
import { importFromDisk, printable, UsageError, type ImportSettings } from './shared';
import { qualityText } from './quality-text';

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
	const print = (text: string) => console.log(printable(text));
	await createTables(target);
	// Before the calls: the materialized view sees every row inserted after it.
	await createAggregate(target);
	const ch = openClickHouseEngine(target);
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
		// Native DuckDB, as a load into a DuckDB store: DuckDB-WASM's 3.1 GiB ran out at 10,000,000 calls.
		const duck = await nativeEngine(await DuckDBInstance.create(':memory:'));
		const imported = await importFromDisk(duck, { ...settings, files: fresh.map((f) => f.path) }, 'calls_load');
		const { result, format, synthetic } = imported;
		// An interval report goes into a database of its own: calls and intervals are measured each their own way.
		const intervals = 'kind' in imported && imported.kind === 'intervals';
		const [held] = await ch.query<{ n: number }>({ sql: `SELECT count() AS n FROM calls`, params: [] });
		const heldIntervals = await intervalTableSummary(ch);
		if (intervals ? Number(held?.n) > 0 : !!heldIntervals)
			throw new UsageError(
				`${target.database} holds ${intervals ? 'calls' : 'an interval report'}: load ${intervals ? 'an interval report' : 'calls'} into a database of its own`
			);
		const started = performance.now();
		if (intervals) await createIntervalTable(target);
		const rows = intervals ? await copyIntervals(duck, result.table, ch) : await copyCalls(duck, result.table, ch);
		const seconds = (performance.now() - started) / 1000;
		// An interval table names no source file: each file of the load is given the load's rows.
		const perFile = intervals
			? new Map(fresh.map((f) => [f.id.name, rows]))
			: new Map(
					(
						await duck.query<{ file: string; n: number }>({ sql: `SELECT source_file AS file, count(*) AS n FROM calls_load GROUP BY source_file`, params: [] })
					).map((r) => [r.file, r.n])
				);
		await recordFiles(
			ch,
			fresh.map((f) => ({ ...f.id, rows: perFile.get(f.id.name) ?? 0 }))
		);
		await recordLoad(ch, { format, synthetic, calls: rows, skipped: result.skipped.count, quality: result.quality });
		const where = `${target.url}/${target.database}${target.cluster ? ` (cluster ${target.cluster})` : ''}`;
		print(
			`${rows} ${intervals ? 'interval rows' : 'calls'} from ${fresh.map((f) => f.path).join(', ')} (${format}) loaded into ${where} in ${seconds.toFixed(1)} s (${Math.round(rows / Math.max(seconds, 1e-3))} rows/s)\n`
		);
		print(qualityText(result.quality));
	} finally {
		await ch.close();
	}
}
