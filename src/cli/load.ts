/**
 * Loads call files into ClickHouse with the app's importers: each file is imported into
 * DuckDB in Node (the same detection, assembly and repairs as the app), then the canonical
 * calls are copied to ClickHouse in pieces.
 *
 *   npm run load -- FILE... --into clickhouse:http://HOST:PORT[/DB][?cluster=NAME[&shard=http://HOST:PORT]…]
 *     [--format …] [--utc-offset HOURS] [--map FIELD=COLUMN]… [--mapping FILE.json] [--strict] …
 *
 * User and password: in the URL (http://user:password@host:port) or in
 * HOLDLINE_CLICKHOUSE_USER / HOLDLINE_CLICKHOUSE_PASSWORD. A file already loaded (same size and
 * SHA-256) is skipped. The data-quality report is printed as `npm run metrics` prints it.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { openNodeEngine } from '$lib/db/node';
import { openClickHouseEngine } from '$lib/db/clickhouse';
import { copyCalls, createTables, loadedBefore, parseLoadTarget, recordFiles, type FileId } from '$lib/db/clickhouse-load';
import { ImportError } from '$lib/imports/errors';
import { IMPORT_OPTIONS, IMPORT_USAGE, importFromDisk, importSettings, printable, qualityText, UsageError } from './shared';

const USAGE = `usage: npm run load -- FILE... --into clickhouse:http://HOST:PORT[/DB][?cluster=NAME[&shard=http://HOST:PORT]…] ${IMPORT_USAGE}
  cluster=NAME: a local table on every shard and a Distributed table over them; shard=URL (one per
  shard) creates them shard by shard where the cluster has no distributed DDL (no Keeper).
  User and password: in the URL, or HOLDLINE_CLICKHOUSE_USER / HOLDLINE_CLICKHOUSE_PASSWORD.`;

async function fileId(path: string): Promise<FileId> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
	return { name: basename(path), size: (await stat(path)).size, sha256: hash.digest('hex') };
}

async function main() {
	const { values, positionals } = parseArgs({ allowPositionals: true, options: { ...IMPORT_OPTIONS, into: { type: 'string' }, help: { type: 'boolean', default: false } } });
	if (values.help) {
		console.log(USAGE);
		return;
	}
	if (!values.into) throw new UsageError('--into clickhouse:http://HOST:PORT is required');
	const settings = importSettings(values, positionals);
	let target;
	try {
		target = parseLoadTarget(values.into, process.env);
	} catch (error) {
		throw new UsageError(error instanceof Error ? error.message : String(error));
	}
	await createTables(target);
	const ch = openClickHouseEngine(target);
	try {
		const fresh: { path: string; id: FileId }[] = [];
		for (const path of settings.files) {
			const id = await fileId(path);
			const before = await loadedBefore(ch, id);
			if (before) console.log(printable(`${path}: already loaded (as ${before.name}, ${before.rows} calls, ${before.loaded} UTC); skipped`));
			else fresh.push({ path, id });
		}
		if (!fresh.length) {
			console.log('Nothing new to load.');
			return;
		}
		const duck = await openNodeEngine();
		const { result, format } = await importFromDisk(duck, { ...settings, files: fresh.map((f) => f.path) }, 'calls_load');
		const started = performance.now();
		const rows = await copyCalls(duck, result.table, ch);
		const seconds = (performance.now() - started) / 1000;
		const perFile = new Map(
			(await duck.query<{ file: string; n: number }>({ sql: `SELECT source_file AS file, count(*) AS n FROM calls_load GROUP BY source_file`, params: [] })).map((r) => [r.file, r.n])
		);
		await recordFiles(ch, fresh.map((f) => ({ ...f.id, rows: perFile.get(f.id.name) ?? 0 })));
		const where = `${target.url}/${target.database}${target.cluster ? ` (cluster ${target.cluster})` : ''}`;
		console.log(printable(`${rows} calls from ${fresh.map((f) => f.path).join(', ')} (${format}) loaded into ${where} in ${seconds.toFixed(1)} s (${Math.round(rows / Math.max(seconds, 1e-3))} rows/s)\n`));
		console.log(printable(qualityText(result.quality)));
	} finally {
		await ch.close();
	}
}

main().catch((error) => {
	if (error instanceof UsageError) console.error(`holdline load: ${error.message}\n${USAGE}`);
	else if (error instanceof ImportError) console.error(printable(`holdline load: ${error.message}`));
	else console.error(printable(`holdline load: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`));
	process.exit(error instanceof UsageError ? 2 : 1);
});
