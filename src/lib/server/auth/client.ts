import type { IncomingMessage } from 'node:http';

/**
 * Who asks, and over what: the socket's own address and protocol, unless `serve --trust-proxy`
 * says a reverse proxy in front of it tells the truth in X-Forwarded-For / X-Forwarded-Proto.
 * Without it these headers are ignored: any client could write them.
 */
export interface ClientTrust {
	/** The server itself speaks TLS (`--tls-cert`/`--tls-key`). */
	tls: boolean;
	trustProxy: boolean;
}

const header = (request: IncomingMessage, name: string) => {
	const value = request.headers[name];
	return (Array.isArray(value) ? value.join(',') : (value ?? '')).trim();
};

/** The client's address: with a trusted proxy, the last of X-Forwarded-For (the one that proxy added). */
export function clientAddress(request: IncomingMessage, trust: ClientTrust): string {
	const forwarded = trust.trustProxy ? header(request, 'x-forwarded-for').split(',').pop()?.trim() : '';
	return forwarded || request.socket.remoteAddress || 'unknown';
}

/** Whether the browser reached us over HTTPS (so the session cookie is marked Secure). */
export function overHttps(request: IncomingMessage, trust: ClientTrust): boolean {
	if (trust.tls) return true;
	return trust.trustProxy && header(request, 'x-forwarded-proto').split(',')[0]!.trim().toLowerCase() === 'https';
}
