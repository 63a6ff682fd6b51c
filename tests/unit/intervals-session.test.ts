import { describe, expect, it } from 'vitest';
import { SqlCoordinator } from '$lib/query/coordinator';
import { ImportSession, type EarlierImport, type ImportedDataset, type SessionLibrary } from '$lib/imports/session.svelte';
import { fromBytes } from '$lib/imports/source';
import type { TabLimits } from '$lib/imports/tab-fit';
import { engine } from './import-helpers';

/** The Import page with an interval report: no call mapping, the service level's denominator asked, the library entry marked. */
const NO_LIMITS: TabLimits = { deviceMemoryGiB: null, jsHeapLimit: null, storageFree: null };

class MemoryLibrary implements SessionLibrary {
	list: EarlierImport[] = [];
	saved: ImportedDataset[] = [];
	private next = 0;
	newId() {
		return `t_iv_session_${Date.now().toString(36)}_${++this.next}`;
	}
	async save(dataset: ImportedDataset) {
		this.saved.push(dataset);
	}
}

const REPORT = [
	'Date;Interval;Queue;Incoming Calls;Answered Calls;Answer Rate;Abandoned Calls;Answer Speed (AVG);Talk Duration (AVG);Waiting Time (AVG);Service Level (20 Seconds)',
	'2024-03-01;09:00;Sales;117;110;94.02%;7;0:00:12;0:02:14;0:00:14;94.01%',
	'2024-03-01;09:30;Sales;100;95;95.00%;5;0:00:10;0:02:00;0:00:11;90.00%'
].join('\n');

describe('the import session with an interval report', () => {
	it('needs no mapping, asks for the service level denominator, and saves the dataset as intervals', async () => {
		const db = await engine();
		const client = new SqlCoordinator(async () => db);
		const library = new MemoryLibrary();
		const session = new ImportSession({ engine: (table) => client.writer([table]), library, limits: async () => NO_LIMITS });
		await session.inspect([fromBytes('queues.csv', REPORT)]);
		expect(session.needsMapping).toBe(false);
		expect(session.asksSlBase).toBe(true);
		expect(session.canStart).toBe(false);
		session.slBase = 'offered';
		expect(session.canStart).toBe(true);
		await session.start();
		expect(session.failure).toBeNull();
		expect(library.saved[0]).toMatchObject({ kind: 'intervals', intervalMinutes: 30, relativeTime: false, rows: 2, from: '2024-03-01 09:00:00' });
	});

	it('an unrecognised report imports with its columns mapped to interval fields', async () => {
		const db = await engine();
		const client = new SqlCoordinator(async () => db);
		const library = new MemoryLibrary();
		const session = new ImportSession({ engine: (table) => client.writer([table]), library, limits: async () => NO_LIMITS });
		const text = ['Slot;Team;In;Got;Lost', '2024-03-01 09:00:00;A;10;9;1', '2024-03-01 09:15:00;A;12;12;0'].join('\n');
		await session.inspect([fromBytes('slots.csv', text)]);
		expect(session.needsMapping).toBe(true);
		expect(session.first?.intervals).toBeUndefined();
		session.intervalMode = true;
		expect(session.mappingIsReady).toBe(false);
		session.intervalMapping = { start: 'Slot', queue: 'Team', offered: 'In', answered: 'Got', abandoned: 'Lost' };
		expect(session.mappingIsReady).toBe(true);
		expect(session.canStart).toBe(true);
		await session.start();
		expect(session.failure).toBeNull();
		expect(library.saved[0]).toMatchObject({ kind: 'intervals', intervalMinutes: 15, rows: 2 });
	});
});
