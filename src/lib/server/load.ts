import { CANONICAL_COLUMNS } from '$lib/imports/canonical';
import { quoteIdent, quoteLiteral, tableName } from '$lib/sql/identifiers';
import type { NativeEngine } from '$lib/engine/native';
import type { ImportResult } from '$lib/imports/pipeline';
import type { FormatId } from '$lib/imports/formats';
import { datasetView, ensureSchema, fingerprint, type FileFingerprint } from './store';
import { INTERVAL_TABLE_COLUMNS } from '$lib/metrics/interval-measures';
import { AGENT_EVENT_COLUMNS, agentEventsTable } from '$lib/imports/agent-events';
import { tableExists } from '$lib/engine/table-exists';

/** What a load did: the files it took, the ones it left out as already loaded, and the import. */
export interface LoadOutcome {
	dataset: { id: string; name: string; created: boolean };
	loaded: FileFingerprint[];
	/** Files whose bytes (SHA-256) the dataset already holds, or repeated in this load: not loaded again. */
	alreadyLoaded: (FileFingerprint & { loadedAs: string })[];
	/** Null when every file was already loaded. */
	import: (ImportResult & { format: FormatId }) | null;
}

/** Imports `paths` (streamed, with the app's importers) into a table of `engine`; the caller's import options apply. */
export type Importer = (paths: string[], table: string) => Promise<{ result: ImportResult; format: FormatId; synthetic: boolean } & Partial<IntervalLoad>>;

/** What an interval import adds (its table holds the interval table's columns, not calls). */
export interface IntervalLoad {
	kind: 'intervals';
	intervalMinutes: number;
	relativeTime: boolean;
}

export const DATASET_NAME_MAX = 200;

/** The in-memory database a load's importer writes its tables into. */
const STAGING = 'holdline_staging';

export function checkDatasetName(name: string): string {
	const trimmed = name.trim();
	if (!trimmed || trimmed.length > DATASET_NAME_MAX || /[\u0000-\u001f\u007f]/.test(trimmed))
		throw new Error(`a dataset name is 1 to ${DATASET_NAME_MAX} characters without control characters, not ${JSON.stringify(name)}`);
	return trimmed;
}

const randomId = () => Array.from({ length: 10 }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(Math.random() * 36)]).join('');

/**
 * Loads files into the store's dataset `name` (made on first use): files already in it are
 * reported and skipped, the rest imported by `importer` into a scratch table and appended to
 * `calls` (an interval import's rows to `intervals`) in one transaction, with their fingerprints, the load's quality report and the
 * dataset's new totals.
 */
export async function loadIntoStore(
	engine: NativeEngine,
	paths: string[],
	name: string,
	importer: Importer,
	/** Called at each stage (imported, before-commit, committed): the tests stop the load there. */
	reached: (stage: 'imported' | 'before-commit' | 'committed') => Promise<void> = async () => {}
): Promise<LoadOutcome> {
	await ensureSchema(engine);
	const datasetName = checkDatasetName(name);
	const [existing] = await engine.query<{ id: string; kind: string | null }>({ sql: `SELECT id, kind FROM datasets WHERE name = ?`, params: [datasetName] });
	const known = existing
		? await engine.query<{ sha256: string; name: string }>({ sql: `SELECT sha256, name FROM files WHERE dataset = ?`, params: [existing.id] })
		: [];
	const seen = new Map(known.map((f) => [f.sha256, f.name]));
	const loaded: FileFingerprint[] = [];
	const alreadyLoaded: LoadOutcome['alreadyLoaded'] = [];
	for (const path of paths) {
		const print = await fingerprint(path);
		const earlier = seen.get(print.sha256);
		if (earlier !== undefined) alreadyLoaded.push({ ...print, loadedAs: earlier });
		else {
			seen.set(print.sha256, print.name);
			loaded.push(print);
		}
	}
	const id = existing?.id ?? tableName(`ds_${randomId()}`);
	const dataset = { id, name: datasetName, created: !existing };
	if (!loaded.length) return { dataset, loaded, alreadyLoaded, import: null };

	// The importer's staging and working tables live in an attached in-memory database: written
	// into the store file they cost a checkpoint's worth of disk writes each and were dropped
	// right after (300,000 calls: a 34.4 MB store became 9.7 MB).
	const [{ store }] = (await engine.query<{ store: string }>({ sql: `SELECT current_database() AS store`, params: [] })) as [{ store: string }];
	const scratch = tableName(`load_${randomId()}`);
	await engine.exec(`ATTACH ':memory:' AS ${STAGING}; USE ${STAGING}`);
	let imported: Awaited<ReturnType<Importer>>;
	try {
		imported = await importer(
			loaded.map((f) => f.path),
			scratch
		);
	} catch (error) {
		await engine.exec(`USE ${quoteIdent(store)}; DETACH ${STAGING}`).catch(() => {});
		throw error;
	}
	await engine.exec(`USE ${quoteIdent(store)}`);
	await reached('imported');
	const { result, format, synthetic } = imported;
	const kind = imported.kind === 'intervals' ? 'intervals' : 'calls';
	// Calls and an interval report are never mixed in one dataset: each is measured its own way.
	if (existing && (existing.kind === 'intervals') !== (kind === 'intervals')) {
		await engine.exec(`DETACH ${STAGING}`).catch(() => {});
		throw new Error(
			`dataset ${JSON.stringify(datasetName)} holds ${existing.kind === 'intervals' ? 'an interval report' : 'calls'}: load ${kind === 'intervals' ? 'an interval report' : 'calls'} into a dataset of its own (--dataset NAME)`
		);
	}
	const into =
		kind === 'intervals'
			? { table: 'intervals', columns: INTERVAL_TABLE_COLUMNS.map(([name]) => name), order: 'queue, interval_start' }
			: { table: 'calls', columns: [...CANONICAL_COLUMNS], order: 'queue, arrival' };
	const staged = `${STAGING}.main.${scratch}`;
	const load = `load_${randomId()}`;
	const now = new Date().toISOString().replace('T', ' ').slice(0, 23);
	try {
		await engine.exec('BEGIN TRANSACTION');
		if (!existing)
			await engine.query({
				sql: `INSERT INTO datasets (id, name, format, synthetic, created_at, kind, interval_minutes, relative_time) VALUES (?, ?, ?, ?, CAST(? AS TIMESTAMP), ?, ?, ?)`,
				params: [id, datasetName, format, synthetic, now, kind === 'intervals' ? kind : null, imported.intervalMinutes ?? null, imported.relativeTime ?? null]
			});
		await engine.query({
			sql: `INSERT INTO ${into.table} SELECT ?, ${into.columns.join(', ')} FROM ${staged} ORDER BY ${into.order}`,
			params: [id]
		});
		await engine.query({
			sql: `INSERT INTO loads VALUES (?, ?, CAST(? AS JSON), ?, CAST(? AS TIMESTAMP))`,
			params: [load, id, JSON.stringify(result.quality), result.skipped.count, now]
		});
		for (const file of loaded)
			await engine.query({
				// An interval table names no source file: each file of its load is given the load's rows.
				sql: `INSERT INTO files SELECT ?, ?, ?, ?, ?, (SELECT count(*) FROM ${staged}${kind === 'calls' ? ' WHERE source_file = ?' : ''}), CAST(? AS TIMESTAMP)`,
				params: [id, load, file.name, file.bytes, file.sha256, ...(kind === 'calls' ? [file.name] : []), now]
			});
		// A queue_log's agent events (agent states and occupancy), beside its calls as in the app.
		if (await tableExists(engine, agentEventsTable(scratch), STAGING)) await keepAgentEvents(engine, id, `${STAGING}.main.${agentEventsTable(scratch)}`);
		// An interval dataset's time range: from its first interval's start to its last one's.
		const [lo, hi] = kind === 'intervals' ? ['min(interval_start)', 'max(interval_start)'] : ['min(arrival)', 'max(arrival)'];
		await engine.query({
			sql: `UPDATE datasets SET rows = s.n, first_arrival = s.lo, last_arrival = s.hi
FROM (SELECT count(*) AS n, ${lo} AS lo, ${hi} AS hi FROM ${into.table} WHERE dataset = ?) AS s WHERE id = ?`,
			params: [id, id]
		});
		await datasetView(engine, id, kind);
		await reached('before-commit');
		await engine.exec('COMMIT');
	} catch (error) {
		await engine.exec('ROLLBACK').catch(() => {});
		throw error;
	} finally {
		await engine.exec(`DETACH ${STAGING}`).catch(() => {});
	}
	await reached('committed');
	await engine.exec('CHECKPOINT');
	return { dataset, loaded, alreadyLoaded, import: { ...result, format } };
}

/** Appends a load's agent events to the store's `agent_events`, and names the dataset's view of them as the app's views ask (`<dataset>_agents`). */
async function keepAgentEvents(engine: NativeEngine, id: string, staged: string): Promise<void> {
	const columns = AGENT_EVENT_COLUMNS.join(', ');
	await engine.exec(`CREATE TABLE IF NOT EXISTS agent_events AS SELECT CAST(NULL AS VARCHAR) AS dataset, ${columns} FROM ${staged} WHERE false`);
	await engine.query({ sql: `INSERT INTO agent_events SELECT ?, ${columns} FROM ${staged}`, params: [id] });
	await engine.exec(`CREATE OR REPLACE VIEW ${agentEventsTable(id)} AS SELECT ${columns} FROM agent_events WHERE dataset = ${quoteLiteral(id)}`);
}
