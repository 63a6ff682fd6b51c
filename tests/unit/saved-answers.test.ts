import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '$lib/engine/types';
import { generateFile, type GeneratorOptions } from '$lib/synthetic/generate';
import { startServer } from '$lib/server/http';
import { loadIntoStore } from '$lib/server/load';
import { listDatasets, openStore, type StoredDataset } from '$lib/server/store';
import { firstQuestions, questionKey } from '$lib/server/served-views';
import { datasetVersion, saveFirstAnswers, savedAnswers } from '$lib/server/saved-answers';
import { runNamedView } from '$lib/query/named-views';
import { DIALECTS } from '$lib/metrics/service';
import { importFromDisk, importSettings } from '../../src/cli/shared';

/**
 * A dataset's first answers saved in the store by `load` (server/saved-answers.ts): they are
 * the calls table's answers, `serve` answers the first questions with them from its start, and
 * a later load into the dataset makes them stale until saved again.
 */
const FIRST: GeneratorOptions = { rows: 4000, seed: 31, start: '2024-03-04', incident: null, completeShare: 0.6 };
const MORE: GeneratorOptions = { rows: 1500, seed: 32, start: '2024-04-01', incident: null, completeShare: 0.6 };

let dir: string;
let store: string;

async function load(name: string, options: GeneratorOptions): Promise<StoredDataset> {
	const file = join(dir, name);
	writeFileSync(file, generateFile(options, 'csv').text);
	const writer = await openStore(store, { readOnly: false });
	try {
		const outcome = await loadIntoStore(writer.engine, [file], 'saved', (files, table) =>
			importFromDisk(writer.engine, importSettings({ 'utc-offset': '0' }, files), table)
		);
		return (await listDatasets(writer.engine)).find((d) => d.id === outcome.dataset.id)!;
	} finally {
		writer.close();
	}
}

/** The first questions' answers computed over the dataset's calls now, by question key, as JSON gives them. */
async function computed(dataset: StoredDataset): Promise<Map<string, Row[]>> {
	const reader = await openStore(store, { readOnly: true });
	try {
		const out = new Map<string, Row[]>();
		for (const question of firstQuestions(dataset))
			out.set(
				questionKey(question),
				JSON.parse(JSON.stringify(await runNamedView({ ...question, kind: dataset.kind }, dataset.id, (q) => reader.engine.query(q), DIALECTS.duckdb)))
			);
		return out;
	} finally {
		reader.close();
	}
}

async function withWriter<T>(work: (engine: Awaited<ReturnType<typeof openStore>>['engine']) => Promise<T>): Promise<T> {
	const writer = await openStore(store, { readOnly: false });
	try {
		return await work(writer.engine);
	} finally {
		writer.close();
	}
}

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'holdline-saved-answers-'));
	store = join(dir, 'store.duckdb');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('first answers saved in the store', () => {
	let dataset: StoredDataset;

	it('a store without saved answers has none to read', async () => {
		dataset = await load('first.csv', FIRST);
		expect((await withWriter((engine) => savedAnswers(engine, dataset))).size).toBe(0);
	});

	it('are the calls table’s answers to the first questions', async () => {
		const saved = await withWriter(async (engine) => {
			expect(await saveFirstAnswers(engine, dataset)).toBe(firstQuestions(dataset).length);
			return savedAnswers(engine, dataset);
		});
		const expected = await computed(dataset);
		expect([...saved.keys()].sort()).toEqual([...expected.keys()].sort());
		for (const [key, rows] of expected) expect(saved.get(key)).toEqual(rows);
		// Not trivially empty: the summary counts the file's calls.
		expect([...saved.values()].some((rows) => rows.length > 1)).toBe(true);
	});

	it('are what serve answers the first questions with, from its start', async () => {
		const server = await startServer({ engine: `duckdb:${store}`, app: null, host: '127.0.0.1', port: 0 });
		try {
			await server.api.prepared;
			const start = server.api.diagnostics();
			expect(start.savedInStore).toBe(firstQuestions(dataset).length);
			// The start asked its first questions and found each remembered: none computed again.
			expect(start.fromMemory).toBeGreaterThanOrEqual(firstQuestions(dataset).length);
			const saved = await withReadOnly((engine) => savedAnswers(engine, dataset));
			for (const question of firstQuestions(dataset)) {
				const response = await fetch(`${server.url}/api/view`, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json' },
					body: JSON.stringify({ dataset: dataset.id, view: question.view, settings: question.settings })
				});
				expect(response.status).toBe(200);
				expect(((await response.json()) as { rows: Row[] }).rows).toEqual(saved.get(questionKey(question)));
			}
		} finally {
			await server.close();
		}
	});

	it('go stale when a load changes the dataset, until saved again', async () => {
		const before = dataset;
		const after = await load('more.csv', MORE);
		expect(after.id).toBe(before.id);
		expect(datasetVersion(after)).not.toBe(datasetVersion(before));
		await withWriter(async (engine) => {
			// The earlier load's answers are there, but not for this dataset as it is now.
			expect((await savedAnswers(engine, before)).size).toBe(firstQuestions(before).length);
			expect((await savedAnswers(engine, after)).size).toBe(0);
			await saveFirstAnswers(engine, after);
			const [{ n }] = (await engine.query<{ n: number }>({ sql: `SELECT count(*) AS n FROM answers WHERE dataset = ?`, params: [after.id] })) as [
				{ n: number }
			];
			expect(Number(n)).toBe(firstQuestions(after).length);
		});
		const saved = await withWriter((engine) => savedAnswers(engine, after));
		const expected = await computed(after);
		for (const [key, rows] of expected) expect(saved.get(key)).toEqual(rows);
	});
});

async function withReadOnly<T>(work: (engine: Awaited<ReturnType<typeof openStore>>['engine']) => Promise<T>): Promise<T> {
	const reader = await openStore(store, { readOnly: true });
	try {
		return await work(reader.engine);
	} finally {
		reader.close();
	}
}
