/** A dataset of a store or cluster loaded by `npm run load`, as the `metrics` command asks it. */
import { pickDataset } from '$lib/server/store';
import { openServedEngine } from '$lib/server/engines';
import { emptyReport } from '$lib/imports/quality';
import { UsageError } from './shared';

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
			files: dataset.files,
			format: dataset.format,
			rows: dataset.rows,
			from: dataset.from,
			to: dataset.to,
			skipped: dataset.skipped,
			quality: dataset.quality ?? emptyReport(),
			kind: dataset.kind,
			intervalMinutes: dataset.intervalMinutes,
			close: () => void served.close()
		};
	} catch (error) {
		await served.close();
		throw error;
	}
}
