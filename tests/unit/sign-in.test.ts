import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFile } from '$lib/synthetic/generate';
import { OpenServerError, startServer, type Running } from '$lib/server/http';
import { loadIntoStore } from '$lib/server/load';
import { openStore } from '$lib/server/store';
import { clientAddress, overHttps } from '$lib/server/auth/client';
import { isLoopback } from '$lib/server/auth/loopback';
import { DEFAULT_SCRYPT, deriveKey, hashPassword, passwordMatches, type Derive, type ScryptParameters } from '$lib/server/auth/password-hash';
import { emptyUsersFile, readUsersFile, withUser, type DatasetGrant, type UsersFile } from '$lib/server/auth/users-file';
import { importFromDisk, importSettings } from '../../src/cli/shared';

/**
 * `serve --users FILE`: sign-in, sessions, who sees which dataset, the limit on failed tries,
 * HTTPS, the refusal to serve the network without sign-in, and `npm run users`.
 */
const run = promisify(execFile);
/** Cheap parameters for the test's own users file (the file says which; the CLI's default is tested below). */
const CHEAP: ScryptParameters = { N: 1024, r: 8, p: 1, keylen: 64 };
const PASSWORDS = { ana: 'ana-password-1', bo: 'bo-password-22' };
const HOUR = 3_600_000;

let dir: string;
let store: string;
let users: UsersFile;
let server: Running;
let north: { id: string; name: string };
let south: { id: string; name: string };
/** The server's clock: tests move it on instead of waiting. */
let now = Date.parse('2026-03-02T08:00:00Z');
/** Every key the server derived, with the salt length and parameters it was derived with. */
const derived: { saltBytes: number; parameters: ScryptParameters }[] = [];
const counting: Derive = (password, salt, parameters) => {
	derived.push({ saltBytes: salt.length, parameters });
	return deriveKey(password, salt, parameters);
};

async function userRecord(name: string, password: string, datasets: DatasetGrant, parameters = CHEAP) {
	return { name, ...(await hashPassword(password, parameters)), datasets, unmask: false };
}

interface Answer {
	status: number;
	headers: Headers;
	json: {
		error?: { code: string; message: string };
		user?: { name: string; datasets: DatasetGrant };
		datasets?: { id: string; name: string }[];
		rows?: unknown[];
	};
}

/** A request from a client at `address` (the server trusts X-Forwarded-For: each test is its own client). */
async function call(
	path: string,
	{
		method = 'GET',
		body,
		cookie,
		address = '10.0.0.1',
		headers = {}
	}: Partial<{ method: string; body: unknown; cookie: string; address: string; headers: Record<string, string> }> = {}
): Promise<Answer> {
	const response = await fetch(`${server.url}${path}`, {
		method,
		headers: { 'X-Forwarded-For': address, ...(body ? { 'Content-Type': 'application/json' } : {}), ...(cookie ? { Cookie: cookie } : {}), ...headers },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	const text = await response.text();
	return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : {} };
}

const signIn = (name: string, password: string, address = '10.0.0.1', headers: Record<string, string> = {}) =>
	call('/api/session', { method: 'POST', body: { name, password }, address, headers });

/** The `name=value` part of the answer's session cookie. */
const cookieOf = (answer: Answer) => answer.headers.get('set-cookie')!.split(';')[0]!;

async function signedIn(name: keyof typeof PASSWORDS, address = '10.0.0.1') {
	const answer = await signIn(name, PASSWORDS[name], address);
	expect(answer.status).toBe(200);
	return cookieOf(answer);
}

const view = (dataset: string, cookie?: string) => call('/api/view', { method: 'POST', body: { dataset, view: 'summary' }, cookie });

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'holdline-sign-in-'));
	store = join(dir, 'store.duckdb');
	const writer = await openStore(store, { readOnly: false });
	const options = (files: string[]) => importSettings({ 'utc-offset': '0' }, files);
	const loaded = [];
	for (const [name, seed] of [
		['north', 3],
		['south', 4]
	] as const) {
		const file = join(dir, `${name}.csv`);
		writeFileSync(file, generateFile({ rows: 300, seed, start: '2024-03-04', incident: null, completeShare: 0.6 }, 'csv').text);
		loaded.push((await loadIntoStore(writer.engine, [file], name, (files, table) => importFromDisk(writer.engine, options(files), table))).dataset);
	}
	writer.close();
	[north, south] = loaded.map((d) => ({ id: d.id, name: d.name })) as [typeof north, typeof south];
	users = emptyUsersFile(CHEAP);
	// Ana may see north (by name); Bo every dataset.
	users = withUser(users, await userRecord('ana', PASSWORDS.ana, ['north']));
	users = withUser(users, await userRecord('bo', PASSWORDS.bo, '*'));
	server = await startServer({
		engine: `duckdb:${store}`,
		app: null,
		host: '127.0.0.1',
		port: 0,
		trustProxy: true,
		signIn: { users, clock: () => now, derive: counting }
	});
}, 120_000);

afterAll(async () => {
	await server?.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('sign-in', () => {
	it('signs a user in with a session cookie no script reads and no other site sends', async () => {
		const answer = await signIn('ana', PASSWORDS.ana);
		expect(answer.status).toBe(200);
		expect(answer.json.user).toEqual({ name: 'ana', datasets: ['north'], unmask: false });
		const cookie = answer.headers.get('set-cookie')!;
		const [pair, ...attributes] = cookie.split('; ');
		expect(pair).toMatch(/^holdline-session=[A-Za-z0-9_-]{43}$/);
		expect(Buffer.from(pair!.split('=')[1]!, 'base64url')).toHaveLength(32);
		expect(attributes.sort()).toEqual(['HttpOnly', 'Max-Age=43200', 'Path=/', 'SameSite=Strict']);
		const who = await call('/api/session', { cookie: pair });
		expect([who.status, who.json.user?.name, who.json.user?.datasets]).toEqual([200, 'ana', ['north']]);
	});

	it('answers an unknown user and a wrong password alike, after hashing either with the file’s parameters', async () => {
		derived.length = 0;
		const unknown = await signIn('nobody', 'whatever-password', '10.0.1.1');
		const wrong = await signIn('ana', 'not-her-password', '10.0.1.2');
		for (const answer of [unknown, wrong]) {
			expect(answer.status).toBe(401);
			expect(answer.headers.get('set-cookie')).toBeNull();
		}
		expect(unknown.json).toEqual(wrong.json);
		expect(unknown.json.error!.code).toBe('signin_failed');
		// One scrypt each, the same work: the file's parameters and a salt of the users' length.
		expect(derived).toEqual([
			{ saltBytes: 16, parameters: CHEAP },
			{ saltBytes: 16, parameters: CHEAP }
		]);
	});

	it('refuses a malformed sign-in without hashing', async () => {
		derived.length = 0;
		expect((await call('/api/session', { method: 'POST', body: { name: 'ana' }, address: '10.0.1.3' })).status).toBe(400);
		const form = await call('/api/session', { method: 'POST', address: '10.0.1.3', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
		expect([form.status, form.json.error?.code]).toEqual([415, 'unsupported_media_type']);
		expect(derived).toEqual([]);
	});

	it('answers 401 to every API request without a session, and to a forged or altered cookie', async () => {
		const real = await signedIn('bo');
		const token = real.split('=')[1]!;
		const altered = `holdline-session=${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
		const forged = `holdline-session=${randomBytes(32).toString('base64url')}`;
		for (const cookie of [undefined, forged, altered, 'holdline-session=', 'other=1']) {
			for (const answer of [
				await call('/api/datasets', { cookie }),
				await view(north.id, cookie),
				await call('/api/session', { cookie }),
				await call('/api/nothing', { cookie })
			]) {
				expect([answer.status, answer.json.error?.code], String(cookie)).toEqual([401, 'signin_required']);
			}
		}
		expect((await call('/api/datasets', { cookie: real })).status).toBe(200);
	});
});

describe('permissions', () => {
	it('lists only the user’s datasets and refuses a view of another with 403', async () => {
		const ana = await signedIn('ana');
		const bo = await signedIn('bo');
		const listed = async (cookie: string) => (await call('/api/datasets', { cookie })).json.datasets!.map((d) => d.name).sort();
		expect(await listed(ana)).toEqual(['north']);
		expect(await listed(bo)).toEqual(['north', 'south']);
		const own = await view(north.id, ana);
		expect(own.status).toBe(200);
		expect(own.json.rows).toHaveLength(1);
		const other = await view(south.id, ana);
		expect([other.status, other.json.error?.code]).toEqual([403, 'forbidden_dataset']);
		expect((await view(south.id, bo)).status).toBe(200);
		// A dataset no one has is still unknown.
		expect((await view('ds_nosuchone', bo)).status).toBe(404);
	});

	it('grants a dataset named by its id as by its name', async () => {
		const byId = withUser(users, await userRecord('cy', 'cy-password-3', [south.id]));
		const other = await startServer({ engine: `duckdb:${store}`, app: null, host: '127.0.0.1', port: 0, signIn: { users: byId } });
		try {
			const signed = await fetch(`${other.url}/api/session`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ name: 'cy', password: 'cy-password-3' })
			});
			const cookie = signed.headers.get('set-cookie')!.split(';')[0]!;
			const listed = (await (await fetch(`${other.url}/api/datasets`, { headers: { Cookie: cookie } })).json()) as { datasets: { name: string }[] };
			expect(listed.datasets.map((d) => d.name)).toEqual(['south']);
		} finally {
			await other.close();
		}
	});
});

describe('sessions', () => {
	it('end after two hours without a request', async () => {
		const cookie = await signedIn('ana');
		now += 2 * HOUR - 1000;
		expect((await call('/api/datasets', { cookie })).status).toBe(200);
		now += 2 * HOUR - 1000;
		expect((await call('/api/datasets', { cookie })).status).toBe(200);
		now += 2 * HOUR;
		expect((await call('/api/datasets', { cookie })).json.error?.code).toBe('signin_required');
	});

	it('end twelve hours after sign-in however busy', async () => {
		const cookie = await signedIn('ana');
		for (let hour = 1; hour < 12; hour++) {
			now += HOUR;
			expect((await call('/api/datasets', { cookie })).status, `hour ${hour}`).toBe(200);
		}
		now += HOUR;
		expect((await call('/api/session', { cookie })).status).toBe(401);
	});

	it('end at sign-out, which clears the cookie', async () => {
		const cookie = await signedIn('bo');
		const out = await call('/api/session', { method: 'DELETE', cookie });
		expect(out.status).toBe(204);
		expect(out.headers.get('set-cookie')).toBe('holdline-session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0');
		expect((await call('/api/datasets', { cookie })).status).toBe(401);
	});

	it('are marked Secure when the trusted proxy says the browser came over HTTPS', async () => {
		const answer = await signIn('bo', PASSWORDS.bo, '10.0.2.1', { 'X-Forwarded-Proto': 'https' });
		expect(answer.headers.get('set-cookie')!.split('; ')).toContain('Secure');
	});
});

describe('failed sign-ins', () => {
	it('allow five tries per user name in 15 minutes, then 429 with Retry-After, from any address', async () => {
		for (let i = 0; i < 5; i++) expect((await signIn('ana', `guess-${i}`, `10.0.3.${i}`)).status).toBe(401);
		// Even the right password waits: the limit is not a way to learn it.
		const refused = await signIn('ana', PASSWORDS.ana, '10.0.3.9');
		expect([refused.status, refused.json.error?.code]).toEqual([429, 'too_many_tries']);
		expect(Number(refused.headers.get('retry-after'))).toBe(15 * 60);
		// An unknown name is limited the same way.
		for (let i = 0; i < 5; i++) await signIn('nobody-here', `guess-${i}`, `10.0.4.${i}`);
		expect((await signIn('nobody-here', 'guess', '10.0.4.9')).status).toBe(429);
		// Other users are not locked out.
		expect((await signIn('bo', PASSWORDS.bo, '10.0.3.9')).status).toBe(200);
		now += 10 * 60_000;
		expect(Number((await signIn('ana', PASSWORDS.ana, '10.0.3.9')).headers.get('retry-after'))).toBe(5 * 60);
		now += 5 * 60_000;
		expect((await signIn('ana', PASSWORDS.ana, '10.0.3.9')).status).toBe(200);
	});

	it('allow twenty tries per client address in 15 minutes, whatever the names', async () => {
		for (let i = 0; i < 20; i++) expect((await signIn(`name-${i}`, 'guess-password', '10.0.5.1')).status).toBe(401);
		expect((await signIn('bo', PASSWORDS.bo, '10.0.5.1')).status).toBe(429);
		expect((await signIn('bo', PASSWORDS.bo, '10.0.5.2')).status).toBe(200);
		now += 15 * 60_000;
		expect((await signIn('bo', PASSWORDS.bo, '10.0.5.1')).status).toBe(200);
	});

	it('believe X-Forwarded-For and -Proto only behind a trusted proxy', () => {
		const request = (headers: Record<string, string>) => ({ headers, socket: { remoteAddress: '192.0.2.7' } }) as unknown as IncomingMessage;
		const forwarded = request({ 'x-forwarded-for': '203.0.113.5, 10.1.1.1', 'x-forwarded-proto': 'https' });
		expect(clientAddress(forwarded, { tls: false, trustProxy: false })).toBe('192.0.2.7');
		expect(clientAddress(forwarded, { tls: false, trustProxy: true })).toBe('10.1.1.1');
		expect(overHttps(forwarded, { tls: false, trustProxy: false })).toBe(false);
		expect(overHttps(forwarded, { tls: false, trustProxy: true })).toBe(true);
		expect(overHttps(request({}), { tls: true, trustProxy: false })).toBe(true);
	});
});

describe('HTTPS', () => {
	it('serves over TLS with a certificate made here, and marks the cookie Secure', async () => {
		const cert = join(dir, 'cert.pem');
		const key = join(dir, 'key.pem');
		await run('openssl', [
			'req',
			'-x509',
			'-newkey',
			'rsa:2048',
			'-nodes',
			'-subj',
			'/CN=127.0.0.1',
			'-addext',
			'subjectAltName=IP:127.0.0.1',
			'-days',
			'1',
			'-keyout',
			key,
			'-out',
			cert
		]);
		const tls = await startServer({
			engine: `duckdb:${store}`,
			app: null,
			host: '127.0.0.1',
			port: 0,
			signIn: { users },
			tls: { cert: readFileSync(cert), key: readFileSync(key) }
		});
		try {
			expect(tls.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
			const answer = await new Promise<{ status: number; cookie: string }>((resolve, reject) => {
				const body = JSON.stringify({ name: 'bo', password: PASSWORDS.bo });
				const request = httpsRequest(
					`${tls.url}/api/session`,
					{ method: 'POST', ca: readFileSync(cert), headers: { 'Content-Type': 'application/json' } },
					(response) => {
						response.resume();
						response.on('end', () => resolve({ status: response.statusCode!, cookie: String(response.headers['set-cookie']) }));
					}
				);
				request.on('error', reject);
				request.end(body);
			});
			expect(answer.status).toBe(200);
			expect(answer.cookie.split('; ')).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/', 'Secure']));
		} finally {
			await tls.close();
		}
	});
});

describe('serving the network', () => {
	it('counts only loopback as this machine', () => {
		for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) expect(isLoopback(host), host).toBe(true);
		for (const host of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.org', '', '::ffff:10.0.0.1']) expect(isLoopback(host), host).toBe(false);
	});

	it('is refused without sign-in before the store is opened', async () => {
		await expect(startServer({ engine: `duckdb:${store}`, app: null, host: '0.0.0.0', port: 0 })).rejects.toBeInstanceOf(OpenServerError);
		const refused = await run(process.execPath, [
			'--import',
			'tsx',
			'src/cli/serve.ts',
			'--engine',
			`duckdb:${store}`,
			'--host',
			'0.0.0.0',
			'--port',
			'0'
		]).then(
			() => null,
			(error: { code: number; stderr: string }) => error
		);
		expect(refused?.code).toBe(2);
		expect(refused?.stderr).toMatch(/--host 0\.0\.0\.0 may be reached from other machines: give --users FILE, or --no-auth/);
		const both = await run(process.execPath, ['--import', 'tsx', 'src/cli/serve.ts', '--engine', `duckdb:${store}`, '--users', 'x.json', '--no-auth']).then(
			() => ({ code: 0, stderr: '' }),
			(error: { code: number; stderr: string }) => error
		);
		expect([both.code, both.stderr]).toEqual([2, expect.stringMatching(/--users and --no-auth: one or the other/)]);
	}, 60_000);

	it('with --no-auth, warns at start and answers as without sign-in', async () => {
		const child = spawn(process.execPath, [
			'--import',
			'tsx',
			'src/cli/serve.ts',
			'--engine',
			`duckdb:${store}`,
			'--no-auth',
			'--port',
			'0',
			'--app',
			join(dir, 'no-app')
		]);
		let stdout = '';
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
		try {
			const url = await new Promise<string>((resolve, reject) => {
				child.stdout.on('data', (chunk: Buffer) => {
					stdout += chunk;
					const found = /holdline serve: (http:\/\/\S+)/.exec(stdout);
					if (found) resolve(found[1]!);
				});
				child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
			});
			expect(stderr).toMatch(/WARNING: --no-auth: no sign-in; anyone who reaches http:\/\/127\.0\.0\.1:\d+ sees every dataset/);
			const listed = (await (await fetch(`${url}/api/datasets`)).json()) as { datasets: { name: string }[] };
			expect(listed.datasets.map((d) => d.name).sort()).toEqual(['north', 'south']);
			// No sign-in: /api/session is no API, as before sign-in existed.
			expect((await fetch(`${url}/api/session`)).status).toBe(404);
		} finally {
			child.kill('SIGTERM');
		}
	}, 60_000);
});

/** `npm run users` with the password on standard input (not a terminal). */
function usersCli(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/users.ts', ...args]);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
		child.on('close', (code) => resolve({ code, stdout, stderr }));
		child.stdin.end(input);
	});
}

describe('npm run users', () => {
	it('adds a user whose stored hash verifies the password given, lists and removes them', async () => {
		const file = join(dir, 'users.json');
		const added = await usersCli(['add', 'dana', '--datasets', 'north, south', '--file', file], 'correct horse battery\n');
		expect([added.code, added.stderr]).toEqual([0, '']);
		const written = await readUsersFile(file);
		expect(written.scrypt).toEqual(DEFAULT_SCRYPT);
		const dana = written.users.find((u) => u.name === 'dana')!;
		expect(dana).toMatchObject({ datasets: ['north', 'south'], unmask: false });
		expect(Buffer.from(dana.salt, 'base64')).toHaveLength(16);
		const hash = Buffer.from(dana.hash, 'base64');
		expect(await passwordMatches('correct horse battery', Buffer.from(dana.salt, 'base64'), hash, written.scrypt)).toBe(true);
		expect(await passwordMatches('correct horse batterY', Buffer.from(dana.salt, 'base64'), hash, written.scrypt)).toBe(false);
		// The file is its owner's only, and holds no password.
		expect(readFileSync(file, 'utf8')).not.toContain('correct horse');
		const { statSync } = await import('node:fs');
		expect(statSync(file).mode & 0o777).toBe(0o600);

		await usersCli(['add', 'eve', '--datasets', '*', '--file', file], 'another password\n');
		const listed = await usersCli(['list', '--file', file], '');
		expect(listed.stdout).toBe('dana\tnorth, south\neve\t* (every dataset)\n');
		const removed = await usersCli(['remove', 'dana', '--file', file], '');
		expect(removed.code).toBe(0);
		expect((await readUsersFile(file)).users.map((u) => u.name)).toEqual(['eve']);
	}, 60_000);

	it('refuses a short password and a new user without datasets, writing nothing', async () => {
		const file = join(dir, 'refused.json');
		const short = await usersCli(['add', 'fay', '--datasets', '*', '--file', file], 'short\n');
		expect([short.code, short.stderr]).toEqual([1, expect.stringMatching(/at least 8 characters/)]);
		const none = await usersCli(['add', 'fay', '--file', file], 'long enough password\n');
		expect([none.code, none.stderr]).toEqual([2, expect.stringMatching(/--datasets is needed/)]);
		expect(existsSync(file)).toBe(false);
	}, 60_000);
});
