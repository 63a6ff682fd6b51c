import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestError } from './request';

/** A JSON answer that is never cached or sniffed as another type. */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}) {
	const text = JSON.stringify(body);
	response.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Cache-Control': 'no-store',
		'X-Content-Type-Options': 'nosniff',
		...headers
	});
	response.end(text);
}

/** The body as text, refused past `limit` bytes without reading the rest. */
export function readBody(request: IncomingMessage, limit: number): Promise<string> {
	const tooLarge = () => new RequestError(413, 'too_large', `the request body is over ${limit} bytes`);
	if (Number(request.headers['content-length'] ?? 0) > limit) return Promise.reject(tooLarge());
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		request.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > limit) {
				request.removeAllListeners('data');
				request.resume();
				reject(tooLarge());
			} else chunks.push(chunk);
		});
		request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		request.on('error', reject);
	});
}

/**
 * A JSON request body: sent as `Content-Type: application/json` (which a page of another site
 * cannot send without the browser asking first), at most `limit` bytes, parsed.
 */
export async function readJson(request: IncomingMessage, limit: number, what: string): Promise<unknown> {
	if (!/^application\/json\b/i.test(request.headers['content-type'] ?? ''))
		throw new RequestError(415, 'unsupported_media_type', `send the ${what} as Content-Type: application/json`);
	const text = await readBody(request, limit);
	try {
		return JSON.parse(text);
	} catch {
		throw new RequestError(400, 'invalid_json', 'the request body is not JSON');
	}
}
