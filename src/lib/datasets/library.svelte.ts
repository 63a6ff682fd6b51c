import { DATASET_ID } from '$lib/imports/dataset-id';
import { tableChanged, useStoredTables, write } from '$lib/query/client';
import { readsTable } from '$lib/query/coordinator';
import { tableName } from '$lib/sql/identifiers';
import { QUALITY_EXAMPLES, type QualityReport } from '$lib/imports/quality';
import type { SavedDataset } from '$lib/imports/saved-dataset';
import { addLaterColumns, attachStoredCopy, deleteStoredCopy, legacyFileName, writeStoredCopy } from './stored-table';
import { remembered } from './remembered';

export type { SavedDataset };

/**
 * Imported datasets, kept in this browser: each one's calls table as a DuckDB database file in
 * the origin-private file system (OPFS, see `stored-table.ts`), and a small manifest in
 * localStorage. A stored file is attached (and read in place) the first time a page asks for it. The story dataset is not
 * listed here: it ships with the app and is always there.
 */

const MANIFEST_KEY = 'holdline.datasets';

function readManifest(): SavedDataset[] {
	try {
		const parsed = JSON.parse(localStorage.getItem(MANIFEST_KEY) ?? '[]');
		if (!Array.isArray(parsed)) return [];
		return parsed
			.filter((d) => typeof d?.id === 'string' && DATASET_ID.test(d.id))
			.map((d: SavedDataset) => {
				// A report that is not of the shape the pages read is dropped, not shown half.
				if (d.quality === undefined || isReport(d.quality)) return d;
				const { quality: _, ...rest } = d;
				return rest;
			});
	} catch {
		return [];
	}
}

function isReport(value: unknown): value is QualityReport {
	const r = value as QualityReport | null;
	return (
		!!r &&
		typeof r === 'object' &&
		typeof r.rowsRead === 'number' &&
		typeof r.calls === 'number' &&
		Array.isArray(r.flags) &&
		Array.isArray(r.entries) &&
		r.entries.every((e) => e && typeof e.kind === 'string' && typeof e.code === 'string' && typeof e.count === 'number' && Array.isArray(e.examples))
	);
}

/** Longest example text kept in the manifest: a rejected row's text can be a whole (long) line. */
const MAX_EXAMPLE_TEXT = 500;
const clip = (text: string | undefined) => (text !== undefined && text.length > MAX_EXAMPLE_TEXT ? text.slice(0, MAX_EXAMPLE_TEXT) + '…' : text);

/** The report as the manifest keeps it: at most QUALITY_EXAMPLES examples per entry, each text clipped. */
function storedReport(report: QualityReport): QualityReport {
	return {
		...report,
		entries: report.entries.map((e) => ({
			...e,
			examples: e.examples.slice(0, QUALITY_EXAMPLES).map((x) => ({ ...x, value: clip(x.value), detail: clip(x.detail) }))
		}))
	};
}

class Library {
	list = $state<SavedDataset[]>(typeof localStorage === 'undefined' ? [] : readManifest());
	private loaded = new Map<string, Promise<string>>();

	constructor() {
		// A question about a stored dataset first looks among its remembered answers, and goes to
		// the engine only once the dataset's file is attached (opened here if it is not yet).
		useStoredTables({
			recall: (sql) => this.forTablesIn(sql, (table) => remembered.recall(table)),
			open: (sql) => this.forTablesIn(sql, (_, id) => this.open(id))
		});
		// Another tab of this site saved or deleted a dataset: list what the manifest now says, and
		// forget the tables of datasets gone (their files are deleted; answers kept would be stale).
		if (typeof window !== 'undefined')
			window.addEventListener('storage', (event) => {
				if (event.key !== MANIFEST_KEY && event.key !== null) return;
				const next = readManifest();
				for (const gone of this.list.filter((d) => !next.some((n) => n.id === d.id))) {
					this.loaded.delete(tableName(gone.id));
					tableChanged(tableName(gone.id));
					void remembered.forget(tableName(gone.id));
				}
				this.list = next;
			});
	}

	get(id: string | null): SavedDataset | undefined {
		return this.list.find((d) => d.id === id);
	}

	/** `work` for each stored dataset whose table `sql` reads, all awaited; undefined when none. */
	private forTablesIn(sql: string, work: (table: string, id: string) => Promise<unknown>): Promise<unknown> | undefined {
		const read = this.list.filter((d) => readsTable(sql, tableName(d.id)));
		return read.length ? Promise.all(read.map((d) => work(tableName(d.id), d.id))) : undefined;
	}

	/** Keeps the dataset's answers for its next opening (once the page is idle). */
	remember(id: string): void {
		if (this.get(id)) remembered.later(tableName(id));
	}

	/** A fresh table name for an import. */
	newId(): string {
		return tableName(`ds_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`);
	}

	/** Stores an imported table (already in DuckDB) and lists it. The list changes only once the file is written. */
	async save(meta: Omit<SavedDataset, 'bytes' | 'importedAt'>): Promise<SavedDataset> {
		const table = tableName(meta.id);
		const dir = await navigator.storage.getDirectory();
		const bytes = await writeStoredCopy(write, table, dir);
		let saved: SavedDataset;
		try {
			// From now on the dataset is read from its file: the table's memory is given back
			// (about 180 MB per million calls), which is what lets a large dataset stay open.
			// The rows are the same, so its cubes stay (marking it changed would stop its indexing);
			// the swap forgets its cached answers (they were read from memory).
			// Should the swap fail, the table stays in memory and answers as before.
			await attachStoredCopy(write, table, dir, true).catch(() => {});
			void navigator.storage.persist?.();
			saved = {
				...meta,
				...(meta.quality ? { quality: storedReport(meta.quality) } : {}),
				bytes,
				importedAt: new Date().toISOString()
			};
			// From the manifest as stored: another tab may have changed it since this one read it.
			const list = [saved, ...readManifest().filter((d) => d.id !== saved.id)];
			// The manifest first (it may be full): the page lists only what a reload will find.
			localStorage.setItem(MANIFEST_KEY, JSON.stringify(list));
			this.list = list;
		} catch (error) {
			// Unlisted, the stored file could never be opened or deleted from the page: remove it.
			await deleteStoredCopy(write, table, dir).catch(() => {});
			throw error;
		}
		this.loaded.set(table, Promise.resolve(table));
		return saved;
	}

	/** Makes the dataset's table queryable; resolves to its table name. */
	open(id: string): Promise<string> {
		const table = tableName(id);
		let ready = this.loaded.get(table);
		if (!ready) {
			ready = (async () => {
				if (!this.get(id)) throw new Error('missing');
				const dir = await navigator.storage.getDirectory();
				if (await attachStoredCopy(write, table, dir)) return table;
				const file = await (await dir.getFileHandle(legacyFileName(table))).getFile();
				const bytes = new Uint8Array(await file.arrayBuffer());
				await write(async (engine) => {
					await engine.exec(`DROP TABLE IF EXISTS ${table}`);
					await engine.importTable(table, bytes);
					await addLaterColumns(engine, table);
				});
				return table;
			})();
			ready.catch(() => this.loaded.delete(table));
			this.loaded.set(table, ready);
		}
		return ready;
	}

	async remove(id: string): Promise<void> {
		const table = tableName(id);
		this.list = readManifest().filter((d) => d.id !== id);
		localStorage.setItem(MANIFEST_KEY, JSON.stringify(this.list));
		const opening = this.loaded.get(table);
		this.loaded.delete(table);
		tableChanged(table);
		await remembered.forget(table);
		// An open under way would attach the file again after it is deleted: let it finish first.
		await opening?.catch(() => {});
		await deleteStoredCopy(write, table, await navigator.storage.getDirectory());
	}
}

export const library = new Library();
