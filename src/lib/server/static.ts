import { SERVER_COOKIE, SIGNS_IN } from '$lib/query/remote-views';
import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { PRECOMPRESSED, type Encoding } from './precompress';

/** The built app's files (`build/` from adapter-static), with the types browsers need (`.wasm`). */
const TYPES: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json; charset=utf-8',
	// Without this type the browser neither compiles while downloading (instantiateStreaming)
	// nor keeps the compiled code for the next visit.
	'.wasm': 'application/wasm',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.woff': 'font/woff',
	'.woff2': 'font/woff2',
	'.csv': 'text/csv; charset=utf-8',
	'.txt': 'text/plain; charset=utf-8',
	'.ico': 'image/x-icon'
};

export interface StaticOptions {
	/** Tells the page a holdline server with the JSON API sent it (`npm run serve`), so a plain static server never has it probe for one. */
	announceApi?: boolean;
	/** …and that it signs users in (`serve --users`), so the page asks who is signed in. */
	signIn?: boolean;
}

async function fileStats(path: string): Promise<Stats | null> {
	return stat(path).then(
		(s) => (s.isFile() ? s : null),
		() => null
	);
}

/** The encodings the request accepts, best first (`br` before `gzip`), from its Accept-Encoding. */
export function acceptedEncodings(header: string | string[] | undefined): Encoding[] {
	const accepted = new Map<string, number>();
	for (const part of String(header ?? '').split(',')) {
		const [name, ...params] = part.trim().toLowerCase().split(';');
		const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
		accepted.set(name!, q ? Number(q.slice(2)) : 1);
	}
	const quality = (name: string) => accepted.get(name) ?? accepted.get('*') ?? 0;
	return PRECOMPRESSED.filter(({ encoding }) => quality(encoding) > 0).map(({ encoding }) => encoding);
}

/** Whether the browser's copy (If-None-Match, else If-Modified-Since) is the one we would send. */
function notModified(request: IncomingMessage, etag: string, modified: Date): boolean {
	const match = request.headers['if-none-match'];
	if (match) return match === '*' || match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
	const since = Date.parse(request.headers['if-modified-since'] ?? '');
	return Number.isFinite(since) && Math.floor(modified.getTime() / 1000) * 1000 <= since;
}

/** The file's precompressed twin (`.br`, `.gz`, written at build time) the request accepts, unless older than the file. */
async function precompressed(request: IncomingMessage, file: string, original: Stats) {
	for (const encoding of acceptedEncodings(request.headers['accept-encoding'])) {
		const twin = `${file}.${PRECOMPRESSED.find((p) => p.encoding === encoding)!.suffix}`;
		const found = await fileStats(twin);
		if (found && found.mtimeMs >= original.mtimeMs) return { encoding, path: twin, stats: found };
	}
	return null;
}

/**
 * Answers GET/HEAD for a file under `root`: `/service` is `service.html` (the prerendered
 * page), a folder its `index.html`, and any other path without an extension the app's
 * `index.html` (a single-page fallback). Paths never leave `root`. A file with a `.br`/`.gz`
 * twin is sent compressed to browsers that accept it; every answer carries an ETag and
 * Last-Modified, so a revisit costs a 304.
 */
export function serveStatic(root: string, request: IncomingMessage, response: ServerResponse, options: StaticOptions = {}): Promise<void> {
	// Never rejects: a failure (a file system error) answers 500, or ends a response under way.
	return sendFile(root, request, response, options).catch(() => {
		if (response.headersSent) response.destroy();
		else response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('server error');
	});
}

async function sendFile(root: string, request: IncomingMessage, response: ServerResponse, options: StaticOptions): Promise<void> {
	let pathname: string;
	try {
		pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://local').pathname);
	} catch {
		response.writeHead(400).end();
		return;
	}
	const path = normalize(join(root, pathname));
	if (pathname.includes('\0') || (path !== root && !path.startsWith(root.endsWith(sep) ? root : root + sep))) {
		response.writeHead(404).end();
		return;
	}
	// `/a` may be the page `a.html` or `a/index.html`; `/` is only `index.html` (its `.html`
	// twin would be the folder's sibling, outside the root).
	const candidates = path === root || path === root + sep ? [join(root, 'index.html')] : [path, `${path.replace(/[\\/]$/, '')}.html`, join(path, 'index.html')];
	// The app's own fallback page for client routes; hashed asset paths never fall back.
	const fallback = !extname(pathname) && !pathname.startsWith('/_app/');
	if (fallback) candidates.push(join(root, 'index.html'));
	for (const file of candidates) {
		const original = await fileStats(file);
		if (!original) continue;
		const compressed = await precompressed(request, file, original);
		const sent = compressed ?? { encoding: null, path: file, stats: original };
		// One tag per file version and encoding: the br and gzip bytes are different representations.
		const etag = `"${original.size.toString(36)}-${Math.floor(original.mtimeMs).toString(36)}${sent.encoding ? `-${sent.encoding}` : ''}"`;
		const headers: Record<string, string> = {
			'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
			// Hashed build assets never change (a new build gives them new names); pages and
			// other unhashed files are revalidated on each use.
			'Cache-Control': pathname.startsWith('/_app/immutable/') && file === path ? 'public, max-age=31536000, immutable' : 'no-cache',
			ETag: etag,
			'Last-Modified': original.mtime.toUTCString(),
			Vary: 'Accept-Encoding',
			'X-Content-Type-Options': 'nosniff',
			...(options.announceApi && extname(file) === '.html'
				? { 'Set-Cookie': `${SERVER_COOKIE}=${options.signIn ? SIGNS_IN : '1'}; Path=/; SameSite=Strict` }
				: {})
		};
		if (notModified(request, etag, original.mtime)) {
			response.writeHead(304, headers).end();
			return;
		}
		response.writeHead(200, {
			...headers,
			'Content-Length': String(sent.stats.size),
			...(sent.encoding ? { 'Content-Encoding': sent.encoding } : {})
		});
		if (request.method === 'HEAD') response.end();
		// A file removed meanwhile (a rebuild) or a browser that went away: end this response only.
		else pipeline(createReadStream(sent.path), response).catch(() => response.destroy());
		return;
	}
	response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
}
