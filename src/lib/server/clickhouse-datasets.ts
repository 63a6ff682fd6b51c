import { createHash } from 'node:crypto';
import type { ClickHouseEngine } from '$lib/engine/clickhouse';
import { CALLS_TABLE, LEGACY_LOAD, LOAD_COLUMN, LOADS_TABLE } from '$lib/imports/clickhouse-load';
import { intervalTableSummary } from '$lib/imports/clickhouse-intervals';
import type { FormatId } from '$lib/imports/formats';
import type { QualityReport } from '$lib/imports/quality';
import { CLICKHOUSE } from '$lib/sql/dialect-clickhouse';
import { mergeReports, type StoredDataset } from './store';

/**
 * A ClickHouse database loaded by `npm run load --into clickhouse:…` as the one dataset it
 * holds, in the shape the app lists datasets: its calls, first and last arrival counted from
 * the calls themselves (through the Distributed table on a cluster), its files from
 * `holdline_files` and its loads' format and quality reports from `holdline_loads`.
 */
export function clickhouseDatasetId(database: string): string {
	// Stable across restarts, so a page's ?ds= link keeps working.
	return `ds_${createHash('sha256').update(database).digest('hex').slice(0, 12)}`;
}

const q = <T extends object>(ch: ClickHouseEngine, sql: string) => ch.query<T>({ sql, params: [] });

export async function listClickHouseDatasets(ch: ClickHouseEngine): Promise<StoredDataset[]> {
	const { database } = ch.target;
	const [calls] = await q<{ rows: number; first: string | null; last: string | null }>(
		ch,
		`SELECT count() AS rows, ${CLICKHOUSE.timeText('min(arrival)')} AS first, ${CLICKHOUSE.timeText('max(arrival)')} AS last FROM ${CALLS_TABLE}`
	).catch((error: Error) => {
		throw new Error(`${error.message} — load calls first: npm run load -- FILES… --into clickhouse:${ch.target.url}/${database}`);
	});
	// The files of committed loads (a load's files are written just before its record); a
	// database not yet brought to loads with ids has no load_id: all its files count.
	const files = await q<{ name: string; size: number }>(
		ch,
		`SELECT name, size FROM holdline_files WHERE ${LOAD_COLUMN} = ${LEGACY_LOAD} OR ${LOAD_COLUMN} IN (SELECT ${LOAD_COLUMN} FROM ${LOADS_TABLE}) ORDER BY loaded, name`
	).catch(() => q<{ name: string; size: number }>(ch, `SELECT name, size FROM holdline_files ORDER BY loaded, name`));
	const loads = await q<{ format: string; synthetic: number; skipped: number; quality: string; loaded: string }>(
		ch,
		`SELECT format, synthetic, skipped, quality, toString(loaded) AS loaded FROM ${LOADS_TABLE} ORDER BY loaded`
	).catch(() => []); // loaded before loads were recorded: the calls and files still tell most
	const quality = mergeReports(loads.map((l) => JSON.parse(l.quality) as QualityReport));
	// An interval report's database: its rows and range are its intervals'.
	const intervals = await intervalTableSummary(ch);
	const last = loads.at(-1);
	return [
		{
			id: clickhouseDatasetId(database),
			name: database,
			format: (last?.format ?? 'mapped') as FormatId,
			files: files.map((f) => f.name),
			fileSizes: files.map((f) => f.size),
			rows: intervals?.rows ?? calls!.rows,
			bytes: files.reduce((sum, f) => sum + f.size, 0),
			from: intervals ? intervals.from : calls!.rows ? calls!.first : null,
			to: intervals ? intervals.to : calls!.rows ? calls!.last : null,
			...(intervals ? { kind: 'intervals' as const, intervalMinutes: intervals.minutes } : {}),
			// `loaded` was written as UTC wall-clock text and reads back as written.
			importedAt: last ? `${last.loaded.replace(' ', 'T')}.000Z` : new Date(0).toISOString(),
			skipped: loads.reduce((sum, l) => sum + l.skipped, 0),
			synthetic: loads.some((l) => l.synthetic === 1),
			...(quality ? { quality } : {}),
			loads: loads.length
		}
	];
}
