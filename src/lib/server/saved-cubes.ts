import type { Engine, Row } from '$lib/engine/types';
import type { NativeEngine } from '$lib/engine/native';
import { tableExists } from '$lib/engine/table-exists';
import { runNamedView } from '$lib/query/named-views';
import { DIALECTS } from '$lib/metrics/service';
import { AHEAD, savedCubeKey, type SavedCube } from '$lib/preagg/cubes';
import { cubeBuildQuery, cubeTable } from '$lib/preagg/cube';
import { dayCubeBuildQuery, hasDays } from '$lib/preagg/day-cube';
import { EMPTY_FILTER } from '$lib/filters/filter';
import { tableName } from '$lib/sql/identifiers';
import { firstSpecs } from './served-views';
import { datasetVersion } from './saved-answers';
import type { StoredDataset } from './store';

/**
 * The cubes `serve` builds at its start for a dataset's first views (preagg/cubes.ts: department,
 * agent and hourly time, each with its days), made in the store by `npm run load`, so that a
 * start copies them (a few MB) instead of reading every call once per cube (10,000,000 calls:
 * about a minute). A cube is found by its build query (`savedCubeKey`): a change of the views'
 * SQL, settings or dataset finds none, and `serve` builds it from the calls as before.
 *
 * saved_cubes  dataset, key (the build query), buckets and days (tables of the store, days NULL
 *              when the cube has none), and the dataset's version they hold for (`datasetVersion`,
 *              as the saved answers): a later load makes them stale until saved again; each save
 *              replaces the dataset's tables and rows.
 */
export const SAVED_CUBES_DDL = `CREATE TABLE IF NOT EXISTS saved_cubes (dataset VARCHAR NOT NULL, key VARCHAR NOT NULL, buckets VARCHAR NOT NULL, days VARCHAR, version VARCHAR NOT NULL)`;

/** The dataset's tables of earlier saves (to be replaced). */
async function earlierTables(engine: NativeEngine, dataset: StoredDataset): Promise<string[]> {
	const rows = await engine.query<{ buckets: string; days: string | null }>({
		sql: `SELECT buckets, days FROM saved_cubes WHERE dataset = ?`,
		params: [dataset.id]
	});
	return rows.flatMap((r) => [r.buckets, ...(r.days ? [r.days] : [])]);
}

/**
 * Builds the dataset's first cubes in the store (replacing its earlier ones) and records them;
 * returns how many. A calls dataset only (an interval report's views have no cubes to save).
 */
export async function saveFirstCubes(engine: NativeEngine, dataset: StoredDataset): Promise<number> {
	if (dataset.kind === 'intervals') return 0;
	await engine.exec(SAVED_CUBES_DDL);
	const [{ catalog } = { catalog: '' }] = await engine.query<{ catalog: string }>({ sql: `SELECT current_database() AS catalog`, params: [] });
	const home = { catalog };
	// Stale first: the rows go before their tables, so a save stopped half-way leaves no row naming a table it replaced.
	const earlier = await earlierTables(engine, dataset);
	await engine.query({ sql: `DELETE FROM saved_cubes WHERE dataset = ?`, params: [dataset.id] });
	for (const name of earlier) await engine.exec(`DROP TABLE IF EXISTS ${cubeTable(tableName(name), home)}`);
	const made: { key: string; buckets: string; days: string | null }[] = [];
	// As `serve` makes them; the histogram's reach asked once.
	let reach: Promise<Row[]> | undefined;
	const ask = (query: Parameters<Engine['query']>[0]) => engine.query(query);
	const specs = await firstSpecs(dataset, (q) => (reach ??= runNamedView({ ...q, view: 'waitReach' }, dataset.id, ask, DIALECTS.duckdb)), DIALECTS.duckdb);
	for (const axis of AHEAD)
		for (const view of specs) {
			const buckets = tableName(`saved_cube_${dataset.id}_${made.length}`);
			await engine.query(cubeBuildQuery(buckets, dataset.id, view, axis, EMPTY_FILTER, home));
			let days: string | null = null;
			if (axis.dim === 'time' && hasDays(view)) {
				days = `${buckets}_days`;
				await engine.query(dayCubeBuildQuery(days, buckets, view, home));
			}
			made.push({ key: savedCubeKey(dataset.id, view, axis, EMPTY_FILTER), buckets, days });
		}
	const version = datasetVersion(dataset);
	await engine.exec('BEGIN TRANSACTION');
	try {
		for (const cube of made)
			await engine.query({ sql: `INSERT INTO saved_cubes VALUES (?, ?, ?, ?, ?)`, params: [dataset.id, cube.key, cube.buckets, cube.days, version] });
		await engine.exec('COMMIT');
	} catch (error) {
		await engine.exec('ROLLBACK').catch(() => {});
		throw error;
	}
	return made.length;
}

/**
 * The dataset's saved cubes that hold for it as served, by key, each naming its store tables as
 * SQL reads them over the served store (its schema is on the search path); none in a store made
 * before cubes were saved.
 */
export async function savedCubes(engine: Engine, dataset: StoredDataset): Promise<Map<string, SavedCube>> {
	if (!(await tableExists(engine, 'saved_cubes'))) return new Map();
	const rows = await engine.query<{ key: string; buckets: string; days: string | null }>({
		sql: `SELECT key, buckets, days FROM saved_cubes WHERE dataset = ? AND version = ?`,
		params: [dataset.id, datasetVersion(dataset)]
	});
	return new Map(rows.map((r) => [r.key, { buckets: tableName(r.buckets), days: r.days ? tableName(r.days) : null }]));
}
