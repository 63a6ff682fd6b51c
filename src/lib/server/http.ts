import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:https';
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApi, DEFAULT_LIMITS, type Api, type ApiLimits } from './api';
import { openServedEngine } from './engines';
import { serveStatic } from './static';
import { createSignIn, type SignInOptions } from './auth/sign-in';
import { isLoopback } from './auth/loopback';

export interface ServeOptions {
	/** What `npm run load` loaded into: `duckdb:STORE.duckdb` or `clickhouse:http://…/DB`. */
	engine: string;
	/** Where a ClickHouse user and password may come from (HOLDLINE_CLICKHOUSE_USER/_PASSWORD). */
	env?: Record<string, string | undefined>;
	/** The built app (`build/`); without it only the API is served. */
	app: string | null;
	host: string;
	port: number;
	limits?: Partial<ApiLimits>;
	beforeView?: () => Promise<void>;
	/** Sign-in (`serve --users FILE`): who may sign in and see which datasets; without it, no sign-in. */
	signIn?: SignInOptions;
	/**
	 * Without `signIn`, only a loopback `host` is served, unless this says that an open server
	 * is meant (`serve --no-auth`).
	 */
	noAuth?: boolean;
	/** HTTPS (`--tls-cert`, `--tls-key`): the certificate chain and private key, PEM. */
	tls?: { cert: string | Buffer; key: string | Buffer };
	/** Believe X-Forwarded-For / X-Forwarded-Proto (`--trust-proxy`: behind a reverse proxy). */
	trustProxy?: boolean;
}

/** Refused before listening: a server others could reach, with every dataset open to them. */
export class OpenServerError extends Error {}

export interface Running {
	url: string;
	server: Server | TlsServer;
	/** The API behind it: when its background preparation is done, what answered (tests, bench). */
	api: Pick<Api, 'prepared' | 'diagnostics'>;
	close(): Promise<void>;
}

/**
 * Serves the app and the API over one store (read-only); 127.0.0.1 unless told otherwise. The
 * app's files are the same for everyone (they hold no calls); with sign-in, every answer of the
 * API but the sign-in itself needs a session.
 */
export async function startServer(options: ServeOptions): Promise<Running> {
	if (!options.signIn && !options.noAuth && !isLoopback(options.host))
		throw new OpenServerError(
			`${options.host} may be reached from other machines: give --users FILE (npm run users -- add NAME makes one), or --no-auth to serve every dataset to anyone who reaches it`
		);
	const limits = { ...DEFAULT_LIMITS, ...options.limits };
	const trust = { tls: !!options.tls, trustProxy: !!options.trustProxy };
	const signIn = options.signIn ? createSignIn(options.signIn, trust) : null;
	const api = createApi(await openServedEngine(options.engine, limits.concurrency, options.env), limits, options.beforeView, signIn?.access);
	const root = options.app ? resolve(options.app) : null;
	const answer = (request: IncomingMessage, response: ServerResponse) => {
		const path = (request.url ?? '/').split('?')[0]!;
		if (signIn && path === '/api/session') void signIn.handle(request, response);
		else if (path === '/api' || path.startsWith('/api/')) void api.handle(request, response);
		else if (root && (request.method === 'GET' || request.method === 'HEAD'))
			void serveStatic(root, request, response, { announceApi: true, signIn: !!signIn });
		else response.writeHead(404).end();
	};
	const server = options.tls ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }, answer) : createServer(answer);
	await new Promise<void>((done, fail) => {
		server.once('error', fail);
		server.listen(options.port, options.host, () => done());
	}).catch(async (error) => {
		await api.close();
		throw error;
	});
	const { address, port } = server.address() as AddressInfo;
	return {
		url: `${options.tls ? 'https' : 'http'}://${address.includes(':') ? `[${address}]` : address}:${port}`,
		server,
		api,
		async close() {
			server.closeAllConnections();
			await new Promise<void>((done) => server.close(() => done()));
			await api.close();
		}
	};
}
