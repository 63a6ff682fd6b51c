import { isDeepStrictEqual } from 'node:util';
import type { Engine, Row } from '$lib/engine/types';
import type { NativeEngine } from '$lib/engine/native';
import { tableExists } from '$lib/engine/table-exists';
import { runNamedView } from '$lib/query/named-views';
import { DIALECTS } from '$lib/metrics/service';
import { firstQuestions, questionKey } from './served-views';
import type { StoredDataset } from './store';

/**
 * A dataset's first answers (what the Service level page asks first: served-views.ts
 * `firstQuestions`), saved in the store by `npm run load`, so that `serve` answers them from
 * its start instead of computing them over every call (10,000,000 calls: tens of seconds).
 *
 * answers  dataset, the question's key (`questionKey`), its rows as JSON, and the dataset's
 *          version they hold for: its calls, time range, loads and last load's time. A load
 *          changes the version, so answers left by an earlier load (or by one stopped before
 *          saving its own) are never read; each save replaces the dataset's rows.
 */
export const SAVED_ANSWERS_DDL = `CREATE TABLE IF NOT EXISTS answers (dataset VARCHAR NOT NULL, question VARCHAR NOT NULL, rows JSON NOT NULL, version VARCHAR NOT NULL)`;

/** What a dataset's saved answers hold for: anything a load changes. */
export function datasetVersion(d: StoredDataset): string {
	return JSON.stringify([d.rows, d.from, d.to, d.loads, d.importedAt]);
}

/**
 * Computes the dataset's first answers over its calls and saves them (replacing its earlier
 * ones); returns how many were saved. An answer JSON would change (a value JSON has no form for)
 * is not saved: `serve` computes it as before.
 */
export async function saveFirstAnswers(engine: NativeEngine, dataset: StoredDataset): Promise<number> {
	const saved: [string, string][] = [];
	const ask = (query: Parameters<Engine['query']>[0]) => engine.query(query);
	for (const question of firstQuestions(dataset)) {
		const rows = await runNamedView({ ...question, kind: dataset.kind }, dataset.id, ask, DIALECTS.duckdb);
		const text = JSON.stringify(rows);
		if (isDeepStrictEqual(JSON.parse(text), rows)) saved.push([questionKey(question), text]);
	}
	await engine.exec(SAVED_ANSWERS_DDL);
	await engine.exec('BEGIN TRANSACTION');
	try {
		await engine.query({ sql: `DELETE FROM answers WHERE dataset = ?`, params: [dataset.id] });
		const version = datasetVersion(dataset);
		for (const [question, rows] of saved)
			await engine.query({ sql: `INSERT INTO answers VALUES (?, ?, CAST(? AS JSON), ?)`, params: [dataset.id, question, rows, version] });
		await engine.exec('COMMIT');
	} catch (error) {
		await engine.exec('ROLLBACK').catch(() => {});
		throw error;
	}
	return saved.length;
}

/** The dataset's saved answers that hold for it as served, by question key; none in a store made before they were saved. */
export async function savedAnswers(engine: Engine, dataset: StoredDataset): Promise<Map<string, Row[]>> {
	if (!(await tableExists(engine, 'answers'))) return new Map();
	const rows = await engine.query<{ question: string; rows: string }>({
		sql: `SELECT question, CAST(rows AS VARCHAR) AS rows FROM answers WHERE dataset = ? AND version = ?`,
		params: [dataset.id, datasetVersion(dataset)]
	});
	return new Map(rows.map((r) => [r.question, JSON.parse(r.rows) as Row[]]));
}
