import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Running } from '$lib/server/http';
import { loadIntoStore } from '$lib/server/load';
import { openStore } from '$lib/server/store';
import { CANONICAL_COLUMNS, LATER_COLUMNS } from '$lib/imports/canonical';
import { importFromDisk, importSettings } from '../../src/cli/shared';

// Callers' numbers over `npm run serve`: masked unless the server lets the user unmask, and a
// store loaded before the caller columns existed served as before, its calls without numbers.
const SLOW = 300_000;
const QUEUE_LOG = [
	'1709542800|c1|sales|NONE|ENTERQUEUE||13812345678|1',
	'1709542860|c1|sales|NONE|ABANDON|1|1|60',
	'1709546400|c3|support|NONE|ENTERQUEUE||13900001111|1',
	'1709546500|c3|support|NONE|ABANDON|1|1|100',
	''
].join('\n');

let dir: string;
const servers: Running[] = [];

async function storeWith(name: string, old = false): Promise<{ path: string; id: string }> {
	const path = join(dir, `${name}.duckdb`);
	const file = join(dir, `${name}.log`);
	writeFileSync(file, QUEUE_LOG);
	const writer = await openStore(path, { readOnly: false });
	const importer = (files: string[], table: string) => importFromDisk(writer.engine, importSettings({ 'utc-offset': '0' }, files), table);
	const { dataset } = await loadIntoStore(writer.engine, [file], name, importer);
	if (old) {
		// As the previous version left it: no caller columns, the dataset's view without them.
		const before = CANONICAL_COLUMNS.filter((c) => !LATER_COLUMNS.some(([later]) => later === c));
		await writer.engine.exec(`CREATE OR REPLACE VIEW ${dataset.id} AS SELECT ${before.join(', ')} FROM calls WHERE dataset = '${dataset.id}'`);
		for (const [column] of LATER_COLUMNS) await writer.engine.exec(`ALTER TABLE calls DROP COLUMN ${column}`);
	}
	writer.close();
	return { path, id: dataset.id };
}

async function serve(path: string, mayUnmask = false): Promise<Running> {
	const running = await startServer({
		engine: `duckdb:${path}`,
		app: null,
		host: '127.0.0.1',
		port: 0,
		access: { check: () => ({ user: null, may: () => true, unmask: mayUnmask }) }
	});
	servers.push(running);
	return running;
}

async function view(server: Running, body: unknown) {
	const response = await fetch(`${server.url}/api/view`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
	return { status: response.status, json: (await response.json()) as { rows?: Record<string, unknown>[]; error?: { code: string } } };
}

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'holdline-serve-callers-'));
});
afterAll(async () => {
	for (const s of servers) await s.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('callers’ numbers on a server', () => {
	it(
		'are masked; unmasking is refused unless the server’s access allows the user, which the dataset list tells the page',
		async () => {
			const { path, id } = await storeWith('masked');
			for (const allowed of [false, true]) {
				const server = await serve(path, allowed);
				const listed = (await (await fetch(`${server.url}/api/datasets`)).json()) as { mayUnmask: boolean };
				expect(listed.mayUnmask).toBe(allowed);
				const masked = await view(server, { dataset: id, view: 'callbacks' });
				expect(masked.status).toBe(200);
				expect(masked.json.rows!.map((r) => r.caller)).toEqual(['138****5678', '139****1111']);
				const whole = await view(server, { dataset: id, view: 'callbacks', settings: { unmask: true, callbackHours: 2 } });
				if (allowed) expect(whole.json.rows!.map((r) => r.caller)).toEqual(['13812345678', '13900001111']);
				else expect([whole.status, whole.json.error?.code]).toEqual([403, 'unmask_not_allowed']);
			}
			const bad = await view(await serve(path), { dataset: id, view: 'callbacks', settings: { unmask: 'yes' } });
			expect(bad.status).toBe(400);
		},
		SLOW
	);

	it(
		'a store made before the caller columns gains them when served: its views answer as before, and the callers’ views say there are no numbers',
		async () => {
			const { path, id } = await storeWith('old', true);
			const server = await serve(path);
			const summary = await view(server, { dataset: id, view: 'summary' });
			expect(summary.status).toBe(200);
			expect(summary.json.rows![0]).toMatchObject({ volume: 2, abandoned: 2 });
			const repeat = await view(server, { dataset: id, view: 'repeatCallers' });
			expect(repeat.json.rows![0]).toMatchObject({ calls: 2, with_number: 0, repeat_rate_24h: null });
			expect((await view(server, { dataset: id, view: 'callbacks' })).json.rows).toEqual([]);
		},
		SLOW
	);
});
