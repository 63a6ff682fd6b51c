import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateFile } from '$lib/synthetic/generate';
import { startServer, type Running } from '$lib/server/http';
import { loadIntoStore } from '$lib/server/load';
import { openStore } from '$lib/server/store';
import { hashPassword, type ScryptParameters } from '$lib/server/auth/password-hash';
import { emptyUsersFile, withUser } from '$lib/server/auth/users-file';
import { EMPTY_FILTER } from '$lib/filters/filter';
import { DEFAULT_SETTINGS } from '$lib/metrics/service';
import { viewSettings } from '$lib/metrics/views/spec';
import { importFromDisk, importSettings } from '../../src/cli/shared';
import { openServerDataset, openStoreDataset } from '../../src/cli/store-source';
import { serverSession } from '../../src/cli/server-session';
import { localViews } from '$lib/query/named-views';

/**
 * `metrics --engine http://…` over a server started with `--users`: the command signs in as the
 * page does (name in the URL or HOLDLINE_USER, password in HOLDLINE_PASSWORD or typed), sees only
 * the user's datasets, says why when it cannot, and signs out when done.
 */
/** The network's own fetch: one test watches the cookies the command sends. */
const realFetch = globalThis.fetch.bind(globalThis);
const CHEAP: ScryptParameters = { N: 1024, r: 8, p: 1, keylen: 64 };
const PASSWORD = 'ana-password-1';

let dir: string;
let store: string;
let server: Running;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'holdline-metrics-sign-in-'));
	store = join(dir, 'store.duckdb');
	const writer = await openStore(store, { readOnly: false });
	for (const [name, seed] of [
		['north', 3],
		['south', 4]
	] as const) {
		const file = join(dir, `${name}.csv`);
		writeFileSync(file, generateFile({ rows: 200, seed, start: '2024-03-04', incident: null, completeShare: 0.6 }, 'csv').text);
		await loadIntoStore(writer.engine, [file], name, (files, table) => importFromDisk(writer.engine, importSettings({ 'utc-offset': '0' }, files), table));
	}
	writer.close();
	const users = withUser(emptyUsersFile(CHEAP), { name: 'ana', ...(await hashPassword(PASSWORD, CHEAP)), datasets: ['north'], unmask: false });
	server = await startServer({ engine: `duckdb:${store}`, app: null, host: '127.0.0.1', port: 0, signIn: { users } });
}, 120_000);

afterAll(async () => {
	await server?.close();
	rmSync(dir, { recursive: true, force: true });
});

const withName = () => server.url.replace('http://', 'http://ana@');
const summary = { view: 'summary', filter: EMPTY_FILTER, settings: viewSettings(DEFAULT_SETTINGS, { interval: 'day' }) } as const;

describe('metrics over a server with sign-in', () => {
	it('says how to sign in when no name is given', async () => {
		await expect(openServerDataset(server.url, 'north', serverSession(server.url, {}, null))).rejects.toThrow(
			/asks for sign-in: give the name in the URL \(http:\/\/NAME@HOST:PORT\) or HOLDLINE_USER, and the password in HOLDLINE_PASSWORD/
		);
		await expect(openServerDataset(withName(), 'north', serverSession(withName(), {}, null))).rejects.toThrow(/asks for ana's password: set HOLDLINE_PASSWORD/);
	});

	it("passes on the server's refusal of a wrong password", async () => {
		await expect(openServerDataset(withName(), 'north', serverSession(withName(), { HOLDLINE_PASSWORD: 'not-it-at-all' }, null))).rejects.toThrow(
			/sign-in to http:\/\/127\.0\.0\.1:\d+ as ana refused: .+/
		);
	});

	it("answers the user's dataset as the store does, sees no other, and signs out when done", async () => {
		const cookies = new Set<string>();
		const fetchSpy = vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
			const cookie = new Headers(init?.headers).get('cookie');
			if (cookie) cookies.add(cookie);
			return realFetch(input, init);
		});
		try {
			const typed: string[] = [];
			const remote = await openServerDataset(
				withName(),
				'north',
				serverSession(withName(), {}, async (prompt) => {
					typed.push(prompt);
					return PASSWORD;
				})
			);
			expect(typed).toEqual([`Password for ana at ${server.url}: `]);
			const local = await openStoreDataset(`duckdb:${store}`, 'north');
			try {
				expect(remote.rows).toBe(local.rows);
				const fromStore = localViews((query) => local.engine.query(query), local.table, local.dialect);
				expect(await remote.ask({ dataset: remote.table, ...summary })).toEqual(await fromStore({ dataset: local.table, ...summary }));
			} finally {
				local.close();
			}
			await remote.close();
			expect(cookies.size).toBe(1);
			const after = await realFetch(`${server.url}/api/session`, { headers: { Cookie: [...cookies][0]! } });
			expect(after.status).toBe(401);
		} finally {
			fetchSpy.mockRestore();
		}
		await expect(openServerDataset(withName(), 'south', serverSession(withName(), { HOLDLINE_PASSWORD: PASSWORD }, null))).rejects.toThrow(
			/no dataset "south" in the store; it holds "north"/
		);
	});
});
