import { SERVER_COOKIE } from '$lib/db/remote-views';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

/** The built app's files (`build/` from adapter-static), with the types browsers need (`.wasm`). */
const TYPES: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json; charset=utf-8',
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

async function isFile(path: string): Promise<boolean> {
	return stat(path).then(
		(s) => s.isFile(),
		() => false
	);
}

/**
 * Answers GET/HEAD for a file under `root`: `/service` is `service.html` (the prerendered
 * page), a folder its `index.html`, and any other path without an extension the app's
 * `index.html` (a single-page fallback). Paths never leave `root`.
 */
export async function serveStatic(root: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
	let pathname: string;
	try {
		pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://local').pathname);
	} catch {
		response.writeHead(400).end();
		return;
	}
	const path = normalize(join(root, pathname));
	if (path !== root && !path.startsWith(root.endsWith(sep) ? root : root + sep)) {
		response.writeHead(404).end();
		return;
	}
	const candidates = [path, `${path.replace(/[\\/]$/, '')}.html`, join(path, 'index.html')];
	if (!extname(pathname)) candidates.push(join(root, 'index.html'));
	for (const file of candidates) {
		if (!(await isFile(file))) continue;
		// Hashed build assets never change; pages do.
		const immutable = pathname.includes('/_app/immutable/');
		response.writeHead(200, {
			'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
			'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
			'X-Content-Type-Options': 'nosniff',
			// Tells the page a holdline server sent it, so a static build never probes for an API
			// (the probe's 404 would be an error in every console).
			...(extname(file) === '.html' ? { 'Set-Cookie': `${SERVER_COOKIE}=1; Path=/; SameSite=Strict` } : {})
		});
		if (request.method === 'HEAD') response.end();
		else createReadStream(file).pipe(response);
		return;
	}
	response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
}
