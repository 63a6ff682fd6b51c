import { tableName } from '$lib/sql/identifiers';
import { findServer, server, type ServerInfo } from '$lib/query/remote.svelte';
import { library, type SavedDataset } from './library.svelte';

/**
 * The dataset a page shows, as the Service level and Report pages resolve it: the one the
 * address names, else the first of the list — the server's when a holdline server (`npm run
 * serve`) served the page, else the browser's library. Nothing is chosen until it is known
 * whether a server serves the page. Call during component initialisation.
 */
export interface PageDataset {
	/** The server that served the page, or null (a static build); undefined while that is asked. */
	readonly remote: ServerInfo | null;
	/** Known once the page knows whether a server serves it. */
	readonly known: boolean;
	readonly id: string | null;
	readonly dataset: SavedDataset | undefined;
}

export function pageDataset(requested: () => string | null | undefined): PageDataset {
	void findServer();
	const remote = $derived(server.info ?? null);
	const list = $derived(remote ? remote.datasets : library.list);
	const id = $derived(server.info === undefined ? null : (requested() ?? list[0]?.id ?? null));
	const dataset = $derived(list.find((d) => d.id === id));
	return {
		get remote() {
			return remote;
		},
		get known() {
			return server.info !== undefined;
		},
		get id() {
			return id;
		},
		get dataset() {
			return dataset;
		}
	};
}

/** The calls table a page's questions read, once named; why it cannot be opened, if it cannot. */
export interface OpenedTable {
	readonly table: string | null;
	readonly error: string | null;
}

/**
 * Opens the page's dataset for its questions. Under a server, the dataset's id names its table
 * there. In the browser the table's name is known from the list: its questions are formed at
 * once, and those with remembered answers are shown before the engine starts; the others wait
 * for the open (query/client.ts holds every question until the table it reads is attached).
 * `missing`: the words when the dataset is not there (or fails to open).
 */
export function openedTable(current: PageDataset, missing: () => string): OpenedTable {
	let table = $state<string | null>(null);
	let error = $state<string | null>(null);
	$effect(() => {
		const id = current.id;
		table = null;
		error = null;
		if (!id) return;
		if (current.remote) {
			if (current.dataset) table = id;
			else error = missing();
			return;
		}
		if (!library.get(id)) {
			error = missing();
			return;
		}
		table = tableName(id);
		let live = true;
		delete document.documentElement.dataset.datasetOpen;
		library.open(id).then(
			() => live && (document.documentElement.dataset.datasetOpen = id),
			() => live && (error = missing())
		);
		return () => (live = false);
	});
	return {
		get table() {
			return table;
		},
		get error() {
			return error;
		}
	};
}
