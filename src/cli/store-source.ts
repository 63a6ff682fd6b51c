/** A dataset of a store made by `npm run load`, as the `metrics` command asks it. */
import { openStore, listDatasets, pickDataset, storePath } from '$lib/server/store';
import { emptyReport } from '$lib/imports/quality';
import { UsageError } from './shared';

export async function openStoreDataset(spec: string, name: string | undefined) {
	let path: string;
	try {
		path = storePath(spec);
	} catch (error) {
		throw new UsageError(`--engine: ${(error as Error).message}`);
	}
	const store = await openStore(path, { readOnly: true });
	try {
		const dataset = pickDataset(await listDatasets(store.engine), name);
		return {
			engine: store.engine,
			table: dataset.id,
			files: dataset.files,
			format: dataset.format,
			rows: dataset.rows,
			from: dataset.from,
			to: dataset.to,
			skipped: dataset.skipped,
			quality: dataset.quality ?? emptyReport(),
			close: store.close
		};
	} catch (error) {
		store.close();
		throw error;
	}
}
