import { describe, expect, it } from 'vitest';
import { SqlCoordinator } from '$lib/query/coordinator';
import type { Engine } from '$lib/engine/types';
import { ImportSession, type EarlierImport, type ImportedDataset, type SessionLibrary } from '$lib/imports/session.svelte';
import { fromBytes } from '$lib/imports/source';
import type { TabLimits } from '$lib/imports/tab-fit';
import { engine, fixture } from './import-helpers';

/**
 * The Import page's state machine without a browser: real files through the real pipeline on
 * the Node engine (behind the coordinator's write path, as the page runs it), a library that
 * keeps what it is given in memory.
 */
const NO_LIMITS: TabLimits = { deviceMemoryGiB: null, jsHeapLimit: null, storageFree: null };

class MemoryLibrary implements SessionLibrary {
	list: EarlierImport[] = [];
	saved: ImportedDataset[] = [];
	failSave = false;
	private next = 0;
	newId() {
		return `t_session_${Date.now().toString(36)}_${++this.next}`;
	}
	async save(dataset: ImportedDataset) {
		if (this.failSave) throw new Error('storage full');
		this.saved.push(dataset);
		this.list.unshift({ ...dataset, importedAt: '2024-01-01T00:00:00Z' });
	}
}

async function setup() {
	const db = await engine();
	const client = new SqlCoordinator(async () => db);
	const library = new MemoryLibrary();
	const made = new ImportSession({ engine: (table) => client.writer([table]), library, limits: async () => NO_LIMITS });
	return { session: made, library, db };
}

const file = (name: string) => fromBytes(name, fixture(name));
const bytes = (text: string) => new TextEncoder().encode(text);
const tableExists = async (db: Engine, table: string) =>
	Number((await db.query<{ n: number }>({ sql: `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = ?`, params: [table] }))[0]!.n) > 0;

describe('the import session', () => {
	it('inspecting chosen files opens the review: the name from the first file, the detected format and its mapping', async () => {
		const { session } = await setup();
		expect(session.step).toBe('choose');
		const inspected = session.inspect([file('mapped-utf8.csv'), file('mapped.tsv')]);
		expect(session.step).toBe('inspecting');
		await inspected;
		expect(session.step).toBe('review');
		expect(session.name).toBe('mapped-utf8 (+1)');
		expect(session.inspections.map((i) => i.file.name)).toEqual(['mapped-utf8.csv', 'mapped.tsv']);
		expect(session.needsMapping).toBe(true);
		expect(session.mapping).toEqual(session.first!.suggested);
		expect(session.fit).not.toBeNull();
		expect(session.plan).toMatchObject({ format: 'mapped', onBadRows: 'skip', clockSkewS: 5 });
	});

	it('choosing no file changes nothing', async () => {
		const { session } = await setup();
		await session.inspect([]);
		expect(session.step).toBe('choose');
	});

	it('imports and saves: importing with progress, then done with the result and the dataset saved as imported', async () => {
		const { session, library, db } = await setup();
		await session.inspect([file('Master.csv')]);
		session.name = '  March  ';
		const started = session.start();
		expect(session.step).toBe('importing');
		expect(session.running).toBe(true);
		expect(session.progress).toMatchObject({ file: 'Master.csv', bytesRead: 0, rows: 0 });
		await started;
		expect(session.step).toBe('done');
		expect(session.running).toBe(false);
		expect(session.reportShown).toBe(true);
		const result = session.result!;
		expect(result.name).toBe('March');
		expect(library.saved).toEqual([
			{
				id: result.id,
				name: 'March',
				format: 'asterisk-cdr',
				files: ['Master.csv'],
				fileSizes: [fixture('Master.csv').byteLength],
				rows: result.rows,
				from: result.from,
				to: result.to,
				skipped: 0,
				quality: result.quality,
				synthetic: false
			}
		]);
		const [row] = await db.query<{ n: number }>({ sql: `SELECT count(*) AS n FROM ${result.id}`, params: [] });
		expect(Number(row!.n)).toBe(result.rows);
		expect(result.rows).toBeGreaterThan(0);
	});

	it('files imported before (same names and sizes) are asked about first; confirmed, they import again', async () => {
		const { session, library } = await setup();
		await session.inspect([file('Master.csv')]);
		await session.start();
		const first = session.result!;
		session.reset();
		expect(session.step).toBe('choose');
		expect(session.inspections).toEqual([]);
		await session.inspect([file('Master.csv')]);
		await session.start();
		expect(session.step).toBe('review');
		expect(session.duplicateOf?.id).toBe(first.id);
		expect(library.saved).toHaveLength(1);
		await session.start(session.onBadRows, true);
		expect(session.step).toBe('done');
		expect(session.duplicateOf).toBeNull();
		expect(library.saved).toHaveLength(2);
		expect(session.result!.id).not.toBe(first.id);
	});

	it('stopping at the first bad row fails naming it; skipping from there imports the rest', async () => {
		const { session } = await setup();
		await session.inspect([file('bad-time.csv')]);
		session.onBadRows = 'abort';
		await session.start();
		expect(session.step).toBe('failed');
		expect(session.failure).toMatchObject({ problem: 'time', file: 'bad-time.csv', line: 3, column: 'arrival' });
		await session.start('skip');
		expect(session.step).toBe('done');
		expect(session.onBadRows).toBe('skip');
		expect(session.failure).toBeNull();
		expect(session.result!.skipped.count).toBe(1);
	});

	it('cancelled, the import fails as cancelled, nothing is saved and no table is left', async () => {
		const { session, library, db } = await setup();
		await session.inspect([file('Master.csv')]);
		let table = '';
		const newId = library.newId.bind(library);
		library.newId = () => (table = newId());
		const started = session.start();
		session.cancel();
		await started;
		expect(session.step).toBe('failed');
		expect(session.failure).toMatchObject({ problem: 'cancelled' });
		expect(library.saved).toEqual([]);
		expect(await tableExists(db, table)).toBe(false);
		session.review();
		expect(session.step).toBe('review');
	});

	it('a save that fails is the failure, and the imported table is dropped', async () => {
		const { session, library, db } = await setup();
		await session.inspect([file('Master.csv')]);
		library.failSave = true;
		let table = '';
		const newId = library.newId.bind(library);
		library.newId = () => (table = newId());
		await session.start();
		expect(session.step).toBe('failed');
		expect(session.failure).toMatchObject({ problem: 'unreadable', detail: 'storage full' });
		expect(await tableExists(db, table)).toBe(false);
	});

	it('outcome values without a meaning go back to the review with the values listed; assigned, the import runs', async () => {
		const { session } = await setup();
		await session.inspect([fromBytes('r.csv', bytes('When,Result\n2024-01-01 09:00:00,Sale\n2024-01-01 09:01:00,Dropped\n'))]);
		session.mapping = { arrival: 'When', outcome: 'Result' };
		await session.start();
		expect(session.step).toBe('review');
		expect(session.failure).toBeNull();
		expect(session.listed.outcome?.values.map((v) => v.value).sort()).toEqual(['Dropped', 'Sale']);
		const table = session.tables.find((t) => t.kind === 'outcome')!;
		expect(table.whole).toBe(true);
		session.chooseValue('outcome', 'Sale', 'answered');
		session.chooseValue('outcome', 'Dropped', 'abandoned');
		expect(session.plan?.outcomeValues).toEqual({ Sale: 'answered', Dropped: 'abandoned' });
		await session.start();
		expect(session.step).toBe('done');
		expect(session.result!.rows).toBe(2);
	});

	it('a clock skew that is not a whole number of seconds from 0 to 600 holds the import', async () => {
		const { session, library } = await setup();
		await session.inspect([file('Master.csv')]);
		for (const bad of [601, -1, 2.5, null]) {
			session.clockSkew = bad;
			expect(session.skewValid).toBe(false);
			expect(session.canStart).toBe(false);
			await session.start();
			expect(session.step).toBe('review');
		}
		expect(library.saved).toEqual([]);
		session.clockSkew = 600;
		expect(session.canStart).toBe(true);
		expect(session.plan?.clockSkewS).toBe(600);
	});

	it('a file that cannot be read fails at inspection, with no review to go back to', async () => {
		const { session } = await setup();
		await session.inspect([fromBytes('empty.csv', bytes(''))]);
		expect(session.step).toBe('failed');
		expect(session.failure?.problem).toBeTruthy();
		expect(session.inspections).toEqual([]);
	});
});
