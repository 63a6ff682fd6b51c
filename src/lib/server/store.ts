import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { CANONICAL_COLUMNS, CANONICAL_TABLE_DDL, LATER_COLUMNS } from '$lib/imports/canonical';
import { addToReport, emptyReport, type QualityReport } from '$lib/imports/quality';
import { quoteLiteral, tableName } from '$lib/sql/identifiers';
import { DuckDBInstance } from '@duckdb/node-api';
import { nativeEngine, type NativeEngine } from '$lib/engine/native';
import type { SavedDataset } from '$lib/datasets/library.svelte';
import type { FormatId } from '$lib/imports/formats';
import type { DatasetKind } from '$lib/imports/saved-dataset';
import { INTERVAL_TABLE_COLUMNS } from '$lib/metrics/interval-measures';

/**
 * A persistent DuckDB file of loaded datasets (`npm run load`, read by `serve` and
 * `metrics --engine`). Tables:
 *
 * calls     every dataset's canonical calls, with the dataset's id in `dataset`; each load's
 *           rows are inserted ordered by dataset, queue and arrival, so DuckDB's per-row-group
 *           min/max skip most of the table for a department or time filter
 * datasets  id (ds_…, also the name of a view of its calls), name, format, synthetic mark,
 *           and its calls, first and last arrival (kept up to date by each load)
 * loads     one row per load: its data-quality report (JSON), rows skipped, import time
 * files     one row per file loaded: name, size, SHA-256 of its bytes, the calls it gave,
 *           its load; a file whose hash is already in the dataset is not loaded again
 * intervals every interval dataset's rows (an ACD's interval report: one row per queue per
 *           interval, `metrics/interval-measures.ts`), with the dataset's id in `dataset`; such a
 *           dataset's `kind` is 'intervals' (NULL: calls), with its interval length
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS calls (dataset VARCHAR NOT NULL, ${CANONICAL_TABLE_DDL.trim().slice(1, -1)});
CREATE TABLE IF NOT EXISTS datasets (
  id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL UNIQUE, format VARCHAR NOT NULL, synthetic BOOLEAN NOT NULL,
  rows BIGINT NOT NULL DEFAULT 0, first_arrival TIMESTAMP, last_arrival TIMESTAMP, created_at TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS loads (
  id VARCHAR PRIMARY KEY, dataset VARCHAR NOT NULL, quality JSON NOT NULL, skipped BIGINT NOT NULL, imported_at TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS files (
  dataset VARCHAR NOT NULL, load VARCHAR NOT NULL, name VARCHAR NOT NULL, bytes BIGINT NOT NULL, sha256 VARCHAR NOT NULL,
  calls BIGINT NOT NULL, imported_at TIMESTAMP NOT NULL);
CREATE TABLE IF NOT EXISTS intervals (dataset VARCHAR NOT NULL, ${INTERVAL_TABLE_COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ')});
ALTER TABLE datasets ADD COLUMN IF NOT EXISTS kind VARCHAR;
ALTER TABLE datasets ADD COLUMN IF NOT EXISTS interval_minutes INTEGER;
ALTER TABLE datasets ADD COLUMN IF NOT EXISTS relative_time BOOLEAN;
${LATER_COLUMNS.map(([name, type]) => `ALTER TABLE calls ADD COLUMN IF NOT EXISTS ${name} ${type};`).join('\n')}`;

export async function ensureSchema(engine: NativeEngine): Promise<void> {
	const missing = await lacksLaterColumns(engine);
	await engine.exec(SCHEMA);
	if (!missing) return;
	// A store made before the later columns: its datasets' views are made again to show them.
	const calls = await engine.query<{ id: string }>({ sql: `SELECT id FROM datasets WHERE kind IS NULL OR kind = 'calls'`, params: [] });
	for (const { id } of calls) await datasetView(engine, id);
}

/** Whether the store's calls table exists without one of the columns added to the canonical calls later. */
export async function lacksLaterColumns(engine: NativeEngine, catalog?: string): Promise<boolean> {
	const rows = await engine.query<{ name: string }>({
		sql: `SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'calls'${catalog ? ` AND table_catalog = ${quoteLiteral(catalog)}` : ''}`,
		params: []
	});
	return rows.length > 0 && LATER_COLUMNS.some(([name]) => !rows.some((r) => r.name === name));
}

/**
 * Adds the later columns to a store made before them (opened for writing for that moment only),
 * so a served store's datasets have them; a store another process is writing is left as it is.
 */
export async function upgradeStore(path: string): Promise<void> {
	const instance = await DuckDBInstance.create(path);
	const engine = await nativeEngine(instance);
	try {
		await ensureSchema(engine);
	} finally {
		engine.close();
		instance.closeSync();
	}
}

/** `duckdb:PATH` (the form the commands take) → PATH. */
export function storePath(spec: string): string {
	const m = /^duckdb:(.+)$/.exec(spec);
	if (!m) throw new Error(`expected duckdb:PATH, not ${JSON.stringify(spec)}`);
	return m[1]!;
}

export async function sha256File(path: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

export interface FileFingerprint {
	path: string;
	name: string;
	bytes: number;
	sha256: string;
}

export async function fingerprint(path: string): Promise<FileFingerprint> {
	return { path, name: basename(path), bytes: (await stat(path)).size, sha256: await sha256File(path) };
}

/** A dataset's view of `calls` (or of `intervals`): the metric SQL reads it as it reads any calls (or interval) table. */
export async function datasetView(engine: NativeEngine, id: string, kind: DatasetKind = 'calls'): Promise<void> {
	const [columns, from] = kind === 'intervals' ? [INTERVAL_TABLE_COLUMNS.map(([name]) => name), 'intervals'] : [CANONICAL_COLUMNS, 'calls'];
	await engine.exec(`CREATE OR REPLACE VIEW ${tableName(id)} AS SELECT ${columns.join(', ')} FROM ${from} WHERE dataset = ${quoteLiteral(id)}`);
}

export interface StoredDataset extends SavedDataset {
	/** Loads into this dataset (each with its own quality report, merged in `quality`). */
	loads: number;
	/** A followed log (`serve --follow`, `live.ts`): its calls change while it is served. */
	live?: boolean;
}

/** Each load's report summed: counts add up, examples are kept up to the usual number, flags joined. */
export function mergeReports(reports: QualityReport[]): QualityReport | undefined {
	if (!reports.length) return undefined;
	if (reports.length === 1) return reports[0];
	const merged = emptyReport(reports[0]!.settings.clockSkewS);
	for (const r of reports) {
		merged.rowsRead += r.rowsRead;
		merged.calls += r.calls;
		for (const e of r.entries) addToReport(merged, e.kind, e.code, e.count, e.examples);
		for (const flag of r.flags) if (!merged.flags.includes(flag)) merged.flags.push(flag);
	}
	return merged;
}

const iso = (value: unknown) => (value == null ? null : new Date(Number(value)).toISOString().replace('T', ' ').slice(0, 19));

/** Every dataset in the store, newest first, in the shape the app lists datasets. */
export async function listDatasets(engine: NativeEngine): Promise<StoredDataset[]> {
	const datasets = await engine.query<{
		id: string;
		name: string;
		format: string;
		synthetic: boolean;
		rows: number;
		first_arrival: unknown;
		last_arrival: unknown;
		kind?: string | null;
		interval_minutes?: number | null;
		relative_time?: boolean | null;
	}>({
		// Every column: a store made before interval datasets has no kind (it is read-only while served).
		sql: `SELECT * FROM datasets ORDER BY created_at DESC, id`,
		params: []
	});
	const files = await engine.query<{ dataset: string; name: string; bytes: number }>({
		sql: `SELECT dataset, name, bytes FROM files ORDER BY imported_at, name`,
		params: []
	});
	const loads = await engine.query<{ dataset: string; quality: string; skipped: number; imported_at: unknown }>({
		sql: `SELECT dataset, CAST(quality AS VARCHAR) AS quality, skipped, imported_at FROM loads ORDER BY imported_at`,
		params: []
	});
	return datasets.map((d) => {
		const own = files.filter((f) => f.dataset === d.id);
		const its = loads.filter((l) => l.dataset === d.id);
		const quality = mergeReports(its.map((l) => JSON.parse(l.quality) as QualityReport));
		return {
			id: d.id,
			name: d.name,
			format: d.format as FormatId,
			files: own.map((f) => f.name),
			fileSizes: own.map((f) => f.bytes),
			rows: d.rows,
			bytes: own.reduce((sum, f) => sum + f.bytes, 0),
			from: iso(d.first_arrival),
			to: iso(d.last_arrival),
			importedAt: new Date(Number(its.at(-1)?.imported_at ?? 0)).toISOString(),
			skipped: its.reduce((sum, l) => sum + l.skipped, 0),
			synthetic: d.synthetic,
			...(quality ? { quality } : {}),
			...(d.kind === 'intervals' ? { kind: 'intervals' as const, intervalMinutes: Number(d.interval_minutes), relativeTime: !!d.relative_time } : {}),
			loads: its.length
		};
	});
}

export interface OpenStore {
	engine: NativeEngine;
	close(): void;
}

/**
 * Opens the store at `path`: read-only for asking (several readers may share the file; DuckDB
 * lets one process write at a time), read-write for loading (the file is made if missing).
 */
export async function openStore(path: string, { readOnly }: { readOnly: boolean }): Promise<OpenStore> {
	if (readOnly) await stat(path).catch(() => Promise.reject(new Error(`no store at ${path}: make one with npm run load -- FILES… --into duckdb:${path}`)));
	const instance = await DuckDBInstance.create(path, readOnly ? { access_mode: 'READ_ONLY' } : {});
	const engine = await nativeEngine(instance);
	if (!readOnly) await ensureSchema(engine);
	return {
		engine,
		close() {
			engine.close();
			instance.closeSync();
		}
	};
}

/** The dataset named `name` (or with that id); without a name, the store's only dataset. */
export function pickDataset(datasets: StoredDataset[], name: string | undefined): StoredDataset {
	const names = datasets.map((d) => JSON.stringify(d.name)).join(', ') || 'none';
	if (name === undefined) {
		if (datasets.length === 1) return datasets[0]!;
		throw new Error(`the store holds ${datasets.length} datasets (${names}): choose one with --dataset NAME`);
	}
	const found = datasets.find((d) => d.name === name || d.id === name);
	if (!found) throw new Error(`no dataset ${JSON.stringify(name)} in the store; it holds ${names}`);
	return found;
}
