/**
 * Loads call records into a persistent DuckDB store for `serve` and `metrics --engine`, or into
 * ClickHouse (load-clickhouse.ts): the same importers, checks and data-quality report as the app.
 *
 *   npm run load -- FILE... --into duckdb:STORE.duckdb [--dataset NAME] [the import options of `metrics`]
 *   npm run load -- FILE... --into clickhouse:http://HOST:PORT[/DB][?cluster=NAME] [the import options]
 *
 * Files are read in pieces (never whole into memory). A file whose bytes the dataset already
 * holds (same SHA-256) is reported and not loaded again.
 */
import { parseArgs } from 'node:util';
import { ImportError } from '$lib/imports/errors';
import { loadIntoStore } from '$lib/server/load';
import { listDatasets, openStore, storePath } from '$lib/server/store';
import { saveFirstAnswers } from '$lib/server/saved-answers';
import { saveFirstCubes } from '$lib/server/saved-cubes';
import { exitCode, IMPORT_OPTIONS, IMPORT_USAGE, importFromDisk, importSettings, printable, UsageError } from './shared';
import { qualityText } from './quality-text';
import { CLICKHOUSE_USAGE, LoadNotCommitted, loadIntoClickHouse } from './load-clickhouse';
import { holdAt } from './hold';

const USAGE = `usage: npm run load -- FILE... --into duckdb:STORE.duckdb [--dataset NAME] ${IMPORT_USAGE}
  NAME defaults to the first file's name without its extension; loading into an existing
  dataset appends the files it does not hold yet.
   or: npm run load -- FILE... ${CLICKHOUSE_USAGE}
  A load is all or nothing: stopped or failed, it leaves the store or database as it was
  (exit 4 when a ClickHouse load stopped after sending calls), and the same command loads it again.`;

function options() {
	const { values, positionals } = parseArgs({
		allowPositionals: true,
		options: { ...IMPORT_OPTIONS, into: { type: 'string' }, dataset: { type: 'string' }, help: { type: 'boolean', default: false } }
	});
	if (values.help) {
		console.log(USAGE);
		process.exit(0);
	}
	if (!values.into) throw new UsageError('--into duckdb:PATH or --into clickhouse:http://HOST:PORT is required');
	if (values.into.startsWith('clickhouse:')) {
		if (values.dataset !== undefined) throw new UsageError('--dataset is for duckdb: stores; a ClickHouse database holds one dataset');
		return { clickhouse: values.into, imports: importSettings(values, positionals), path: null, name: null };
	}
	let path: string;
	try {
		path = storePath(values.into);
	} catch (error) {
		throw new UsageError(`--into: ${(error as Error).message}`);
	}
	const imports = importSettings(values, positionals);
	const name = values.dataset ?? positionals[0]!.replace(/^.*[\\/]/, '').replace(/(\.[a-z0-9]+)+$/i, '');
	return { imports, path, name, clickhouse: null };
}

async function main() {
	const opts = options();
	if (opts.clickhouse !== null) return loadIntoClickHouse(opts.imports, opts.clickhouse);
	const { imports, path, name } = opts;
	const store = await openStore(path, { readOnly: false });
	const print = (text: string) => console.log(printable(text));
	try {
		const started = performance.now();
		const outcome = await loadIntoStore(
			store.engine,
			imports.files,
			name,
			async (files, table) => importFromDisk(store.engine, { ...imports, files }, table, { native: true }),
			holdAt
		);
		const seconds = (performance.now() - started) / 1000;
		// The page's first answers, saved for `serve` to answer from its start (saved-answers.ts).
		const firstAnswers = performance.now();
		const loadedDataset = outcome.import && (await listDatasets(store.engine)).find((d) => d.id === outcome.dataset.id);
		const saved = loadedDataset ? await saveFirstAnswers(store.engine, loadedDataset) : 0;
		const answerSeconds = (performance.now() - firstAnswers) / 1000;
		// And the cubes serve builds at its start for them (saved-cubes.ts).
		const firstCubes = performance.now();
		const cubes = loadedDataset ? await saveFirstCubes(store.engine, loadedDataset) : 0;
		const cubeSeconds = (performance.now() - firstCubes) / 1000;
		for (const file of outcome.alreadyLoaded)
			print(`already loaded, skipped: ${file.path} (same bytes as ${file.loadedAs}, sha256 ${file.sha256.slice(0, 12)}…)`);
		const into = `dataset ${JSON.stringify(outcome.dataset.name)} (${outcome.dataset.id}${outcome.dataset.created ? ', new' : ''}) of ${path}`;
		if (!outcome.import) {
			print(`nothing to load into ${into}: every file was already loaded`);
			return;
		}
		const r = outcome.import;
		print(`${r.rows} calls from ${outcome.loaded.map((f) => f.path).join(', ')} (${r.format}), ${r.from ?? '?'} – ${r.to ?? '?'} → ${into}`);
		print(`${seconds.toFixed(1)} s, ${Math.round(r.quality.rowsRead / Math.max(seconds, 1e-3))} rows read/s${r.cleanRead ? " (DuckDB's CSV reader)" : ''}`);
		print(`${saved} first answers saved for serve in ${answerSeconds.toFixed(1)} s, ${cubes} cubes in ${cubeSeconds.toFixed(1)} s\n`);
		print(qualityText(r.quality));
	} finally {
		store.close();
	}
}

main().catch((error) => {
	if (error instanceof UsageError) console.error(`holdline load: ${error.message}\n${USAGE}`);
	else if (error instanceof ImportError) console.error(printable(`holdline load: ${error.message}`));
	else console.error(printable(`holdline load: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`));
	// 4: a ClickHouse load stopped after sending calls; none of them count (the message says so).
	process.exit(error instanceof LoadNotCommitted ? 4 : exitCode(error));
});
