import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompress } from '$lib/server/precompress';
import { startStaticServer, type StaticServer } from '$lib/server/static-server';
import { serveStatic } from '$lib/server/static';
import { SERVER_COOKIE } from '$lib/query/remote-views';

let dir: string;
let root: string;
let server: StaticServer;

// Repetitive text, so that each compressed twin is much smaller than its file.
const PAGE = `<!doctype html><title>holdline</title>${'<p>服务水平 service level</p>\n'.repeat(200)}`;
const SCRIPT = `export const rows = [${Array.from({ length: 500 }, (_, i) => `{ id: ${i % 7}, queue: "座席一部" }`).join(', ')}];\n`;
// A minimal module (magic and version) padded with a custom section of zeros: valid wasm, compressible.
const WASM = Buffer.concat([Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x00, 0x83, 0x40, 0x01, 0x78]), Buffer.alloc(8192 - 5)]);
const SECRET = 'outside the root';

interface Answer {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: Buffer;
}

/** A raw HTTP request (fetch would decompress and hide Content-Encoding's bytes). */
function get(path: string, headers: Record<string, string> = {}, method = 'GET', base = server.url): Promise<Answer> {
	return new Promise((done, fail) => {
		const url = new URL(base);
		const req = request({ host: url.hostname, port: url.port, path, method, headers }, (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () => done({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
		});
		req.on('error', fail);
		req.end();
	});
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'holdline-static-'));
	root = join(dir, 'build');
	mkdirSync(join(root, '_app/immutable/assets'), { recursive: true });
	mkdirSync(join(root, 'snapshot'));
	writeFileSync(join(root, 'index.html'), PAGE);
	writeFileSync(join(root, 'service.html'), PAGE.replace('holdline', 'service'));
	writeFileSync(join(root, '_app/immutable/assets/start.Ab12Cd.js'), SCRIPT);
	writeFileSync(join(root, '_app/immutable/assets/duckdb-eh.Xy9.wasm'), WASM);
	writeFileSync(join(root, 'snapshot/story-filters.json'), JSON.stringify({ rows: SCRIPT }));
	writeFileSync(join(root, 'tiny.txt'), 'small');
	writeFileSync(join(root, '_app/version.json'), '{"version":"1"}');
	writeFileSync(join(dir, 'secret.txt'), SECRET);
	await precompress(root);
	server = await startStaticServer({ root });
});

afterAll(async () => {
	await server?.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('precompress', () => {
	it('writes a brotli and a gzip twin of the same bytes beside each compressible file, none for tiny ones', () => {
		for (const [file, text] of [
			['index.html', Buffer.from(PAGE)],
			['_app/immutable/assets/start.Ab12Cd.js', Buffer.from(SCRIPT)],
			['_app/immutable/assets/duckdb-eh.Xy9.wasm', WASM]
		] as const) {
			expect(brotliDecompressSync(readFileSync(join(root, `${file}.br`)))).toEqual(text);
			expect(gunzipSync(readFileSync(join(root, `${file}.gz`)))).toEqual(text);
		}
		expect(() => readFileSync(join(root, 'tiny.txt.br'))).toThrow();
	});
});

describe('static server', () => {
	it('listens on 127.0.0.1 by default', () => {
		expect(new URL(server.url).hostname).toBe('127.0.0.1');
	});

	it('sends brotli to a browser that accepts it, gzip to one that accepts only gzip, the file to one that accepts neither', async () => {
		const path = '/_app/immutable/assets/start.Ab12Cd.js';
		const br = await get(path, { 'Accept-Encoding': 'gzip, deflate, br, zstd' });
		expect(br.headers['content-encoding']).toBe('br');
		expect(brotliDecompressSync(br.body).toString()).toBe(SCRIPT);
		expect(Number(br.headers['content-length'])).toBe(br.body.length);
		expect(br.body.length).toBeLessThan(SCRIPT.length / 4);

		const gzip = await get(path, { 'Accept-Encoding': 'gzip' });
		expect(gzip.headers['content-encoding']).toBe('gzip');
		expect(gunzipSync(gzip.body).toString()).toBe(SCRIPT);

		// br refused by q=0: gzip.
		expect((await get(path, { 'Accept-Encoding': 'br;q=0, gzip;q=0.5' })).headers['content-encoding']).toBe('gzip');

		for (const headers of [{}, { 'Accept-Encoding': 'identity' }] as Record<string, string>[]) {
			const plain = await get(path, headers);
			expect(plain.headers['content-encoding']).toBeUndefined();
			expect(plain.body.toString()).toBe(SCRIPT);
		}
		for (const answer of [br, gzip]) {
			expect(answer.headers['vary']).toBe('Accept-Encoding');
			expect(answer.headers['content-type']).toBe('text/javascript; charset=utf-8');
		}
		expect(br.headers['etag']).not.toBe(gzip.headers['etag']);
	});

	it('serves wasm as application/wasm, compressed', async () => {
		const answer = await get('/_app/immutable/assets/duckdb-eh.Xy9.wasm', { 'Accept-Encoding': 'br' });
		expect(answer.headers['content-type']).toBe('application/wasm');
		expect(answer.headers['content-encoding']).toBe('br');
		expect(brotliDecompressSync(answer.body)).toEqual(WASM);
	});

	it('caches hashed build assets for a year; pages and other unhashed files are revalidated', async () => {
		for (const path of ['/_app/immutable/assets/start.Ab12Cd.js', '/_app/immutable/assets/duckdb-eh.Xy9.wasm'])
			expect((await get(path)).headers['cache-control']).toBe('public, max-age=31536000, immutable');
		for (const path of ['/', '/service', '/snapshot/story-filters.json', '/tiny.txt', '/_app/version.json']) {
			const answer = await get(path);
			expect(answer.status, path).toBe(200);
			expect(answer.headers['cache-control'], path).toBe('no-cache');
			expect(answer.headers['etag'], path).toBeTruthy();
			expect(answer.headers['last-modified'], path).toBeTruthy();
		}
	});

	it('answers 304 when the browser has the same version, 200 with the bytes when it has another', async () => {
		const first = await get('/snapshot/story-filters.json', { 'Accept-Encoding': 'br' });
		expect(first.status).toBe(200);
		const etag = String(first.headers['etag']);
		const again = await get('/snapshot/story-filters.json', { 'Accept-Encoding': 'br', 'If-None-Match': etag });
		expect(again.status).toBe(304);
		expect(again.body.length).toBe(0);
		expect(again.headers['etag']).toBe(etag);
		// The gzip representation is another one: its bytes are sent.
		expect((await get('/snapshot/story-filters.json', { 'Accept-Encoding': 'gzip', 'If-None-Match': etag })).status).toBe(200);
		expect((await get('/snapshot/story-filters.json', { 'Accept-Encoding': 'br', 'If-None-Match': '"other"' })).status).toBe(200);
		const since = String(first.headers['last-modified']);
		expect((await get('/snapshot/story-filters.json', { 'If-Modified-Since': since })).status).toBe(304);
		expect((await get('/snapshot/story-filters.json', { 'If-Modified-Since': new Date(Date.parse(since) - 60_000).toUTCString() })).status).toBe(200);
	});

	it('resolves pages: / to index.html, /service to service.html, an unknown route to the app', async () => {
		expect(brotliDecompressSync((await get('/', { 'Accept-Encoding': 'br' })).body).toString()).toBe(PAGE);
		const service = await get('/service');
		expect(service.body.toString()).toContain('<title>service</title>');
		expect(service.headers['content-type']).toBe('text/html; charset=utf-8');
		// Only the API server tells the page it has an API.
		expect(service.headers['set-cookie']).toBeUndefined();
		expect((await get('/calls')).body.toString()).toBe(PAGE);
		expect((await get('/missing.js')).status).toBe(404);
		const head = await get('/service', {}, 'HEAD');
		expect(head.status).toBe(200);
		expect(head.body.length).toBe(0);
	});

	it('with the API beside it (npm run serve), tells the pages so, and only the pages', async () => {
		const withApi = createServer((request, response) => void serveStatic(root, request, response, { announceApi: true }));
		await new Promise<void>((done) => withApi.listen(0, '127.0.0.1', done));
		try {
			const base = `http://127.0.0.1:${(withApi.address() as AddressInfo).port}`;
			expect(String((await get('/service', {}, 'GET', base)).headers['set-cookie'])).toContain(`${SERVER_COOKIE}=1`);
			expect((await get('/_app/immutable/assets/start.Ab12Cd.js', {}, 'GET', base)).headers['set-cookie']).toBeUndefined();
		} finally {
			withApi.closeAllConnections();
			await new Promise((done) => withApi.close(done));
		}
	});

	it('ignores a compressed twin older than its file (left over from an earlier build)', async () => {
		const file = join(root, 'tiny-stale.txt');
		writeFileSync(file, SCRIPT);
		writeFileSync(`${file}.br`, 'stale bytes');
		const past = new Date(Date.now() - 3_600_000);
		utimesSync(`${file}.br`, past, past);
		const answer = await get('/tiny-stale.txt', { 'Accept-Encoding': 'br' });
		expect(answer.headers['content-encoding']).toBeUndefined();
		expect(answer.body.toString()).toBe(SCRIPT);
	});

	it('never serves a file outside its root', async () => {
		for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/_app/%2e%2e/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%00', '/%E0%A4%A'])
			expect((await get(path)).body.toString(), path).not.toContain(SECRET);
		expect((await get('/%2e%2e/secret.txt')).status).toBe(404);
		expect((await get('/%E0%A4%A')).status).toBe(400);
	});

	it("serves / as index.html, never the root folder's .html sibling", async () => {
		writeFileSync(`${root}.html`, SECRET);
		for (const path of ['/', '//', '/.']) expect((await get(path)).body.toString(), path).not.toContain(SECRET);
		expect((await get('/')).body.toString()).toBe(PAGE);
	});

	it('never gives the app page a year of caching: a missing hashed asset is 404, not the page', async () => {
		for (const path of ['/_app/immutable/', '/_app/immutable/chunks/missing']) {
			const answer = await get(path);
			expect(answer.status, path).toBe(404);
			expect(String(answer.headers['cache-control'] ?? ''), path).not.toContain('immutable');
		}
	});
});
