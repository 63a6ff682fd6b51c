/** A dataset of a store or cluster loaded by `npm run load`, as the `metrics` command asks it. */
import { pickDataset } from '$lib/server/store';
import { openServedEngine } from '$lib/server/engines';
import { emptyReport } from '$lib/imports/quality';
import { DUCKDB } from '$lib/sql/dialect-duckdb';
import { asViewRows } from '$lib/metrics/views/registry';
import type { AskView } from '$lib/query/named-views';
import type { StoredDataset } from '$lib/server/store';
import { UsageError } from './shared';
import { serverSession, type ServerSession } from './server-session';

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
 * page asks it, signed in when the server asks for it (`server-session.ts`). What the server
 * holds in memory only, a followed log's calls of today (`serve --follow`), is seen this way:
 * the store file does not hold them.
 */
export async function openServerDataset(url: string, name: string | undefined, session: ServerSession = serverSession(url)) {
	let dataset: StoredDataset;
	try {
		const response = await session.fetch('/api/datasets').catch((error: Error) => {
			throw new UsageError(`--engine ${session.base}: no holdline server answers there (${error.message})`);
		});
		if (!response.ok) throw new UsageError(`--engine ${session.base}: no holdline server answers there (HTTP ${response.status})`);
		dataset = pickDataset(((await response.json()) as { datasets: StoredDataset[] }).datasets, name);
	} catch (error) {
		await session.close();
		throw error;
	}
	const ask: AskView = async (request) => {
		const response = await session.fetch('/api/view', {
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
		close: () => session.close()
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
