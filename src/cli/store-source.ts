/** A dataset of a store or cluster loaded by `npm run load`, as the `metrics` command asks it. */
import { pickDataset } from '$lib/server/store';
import { openServedEngine } from '$lib/server/engines';
import { emptyReport } from '$lib/imports/quality';
import { DUCKDB } from '$lib/sql/dialect-duckdb';
import { asViewRows } from '$lib/metrics/views/registry';
import type { AskView } from '$lib/query/named-views';
import type { StoredDataset } from '$lib/server/store';
import { UsageError } from './shared';

/** What the commands print and report of a dataset, from its listing (the same for a store and a server). */
const described = (dataset: StoredDataset) => ({
	files: dataset.files,
	format: dataset.format,
	rows: dataset.rows,
	from: dataset.from,
	to: dataset.to,
	skipped: dataset.skipped,
	quality: dataset.quality ?? emptyReport(),
	kind: dataset.kind,
	intervalMinutes: dataset.intervalMinutes
});

/**
 * `http://HOST:PORT` (a running `npm run serve`): its dataset asked by name over its API, as the
 * page asks it. What the server holds in memory only, a followed log's calls of today
 * (`serve --follow`), is seen this way: the store file does not hold them.
 */
export async function openServerDataset(url: string, name: string | undefined) {
	const base = url.replace(/\/+$/, '');
	const listed = await fetch(`${base}/api/datasets`)
		.then((r) => (r.ok ? (r.json() as Promise<{ datasets: StoredDataset[] }>) : Promise.reject(new Error(`HTTP ${r.status}`))))
		.catch((error: Error) => {
			throw new UsageError(`--engine ${url}: no holdline server answers there (${error.message})`);
		});
	const dataset = pickDataset(listed.datasets, name);
	const ask: AskView = async (request) => {
		const response = await fetch(`${base}/api/view`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ dataset: dataset.id, view: request.view, filter: request.filter, settings: request.settings })
		});
		const body = (await response.json().catch(() => null)) as { rows?: object[]; error?: { message: string } } | null;
		if (!response.ok || !body?.rows) throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
		return asViewRows(body.rows);
	};
	return {
		engine: { query: () => Promise.reject(new Error('a server is asked views by name, never SQL')) },
		ask,
		dialect: DUCKDB,
		table: dataset.id,
		...described(dataset),
		close: () => {}
	};
}

/** `duckdb:PATH` or `clickhouse:URL`: opened as `serve` opens it (read-only queries), one connection. */
export async function openStoreDataset(spec: string, name: string | undefined) {
	const served = await openServedEngine(spec, 1, process.env).catch((error: Error) => {
		throw new UsageError(`--engine: ${error.message}`);
	});
	try {
		const dataset = pickDataset(served.datasets, name);
		return {
			engine: served.connections[0]!,
			dialect: served.dialect,
			table: served.tableOf(dataset),
			...described(dataset),
			close: () => void served.close()
		};
	} catch (error) {
		await served.close();
		throw error;
	}
}
