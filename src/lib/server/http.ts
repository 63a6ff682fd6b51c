import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:https';
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApi, DEFAULT_LIMITS, type Api, type ApiLimits } from './api';
import { openServedEngine, type ServedEngine } from './engines';
import { serveStatic } from './static';
import { createSignIn, type SignInOptions } from './auth/sign-in';
import { isLoopback } from './auth/loopback';
import { OPEN_ACCESS, type Access } from './auth/access';
import { sendJson } from './json-io';
import { RequestError } from './request';
import { startLive, type FollowSettings, type Live } from './live';

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
	/** `--follow`: a queue_log followed as a dataset, and the wallboard's events (`live.ts`). DuckDB stores only. */
	follow?: FollowSettings;
	/** Who may read what when no one signs in (tests); without it, every dataset and numbers masked. */
	access?: Access;
}

/** Refused before listening: a server others could reach, with every dataset open to them. */
export class OpenServerError extends Error {}

export interface Running {
	url: string;
	server: Server | TlsServer;
	/** The API behind it: when its background preparation is done, what answered (tests, bench). */
	api: Pick<Api, 'prepared' | 'diagnostics'>;
	/** The followed log, with `--follow`. */
	live: Live | null;
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
	const served = await openServedEngine(options.engine, limits.concurrency, options.env);
	// Lines may be read before the API exists: nothing is remembered yet then.
	const created: { api?: Api } = {};
	const followed = options.follow ? await follow(served, options.follow, (id) => created.api?.changed(id)) : null;
	const api = (created.api = createApi(served, limits, options.beforeView, signIn?.access ?? options.access ?? OPEN_ACCESS));
	const live = followed?.live ?? null;
	const root = options.app ? resolve(options.app) : null;
	const answer = (request: IncomingMessage, response: ServerResponse) => {
		const path = (request.url ?? '/').split('?')[0]!;
		if (signIn && path === '/api/session') void signIn.handle(request, response);
		else if (live && path.startsWith('/api/live/')) {
			// The wallboard shows the followed dataset: the same session and dataset check as a view.
			if (signIn && !liveAllowed(signIn.access, live, request, response)) return;
			live.handle(request, response);
		} else if (path === '/api' || path.startsWith('/api/')) void api.handle(request, response);
		else if (root && (request.method === 'GET' || request.method === 'HEAD'))
			void serveStatic(root, request, response, { announceApi: true, signIn: !!signIn });
		else response.writeHead(404).end();
	};
	const server = options.tls ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }, answer) : createServer(answer);
	await new Promise<void>((done, fail) => {
		server.once('error', fail);
		server.listen(options.port, options.host, () => done());
	}).catch(async (error) => {
		await followed?.close();
		await api.close();
		throw error;
	});
	const { address, port } = server.address() as AddressInfo;
	return {
		url: `${options.tls ? 'https' : 'http'}://${address.includes(':') ? `[${address}]` : address}:${port}`,
		server,
		api,
		live,
		async close() {
			live?.stream.close();
			server.closeAllConnections();
			await new Promise<void>((done) => server.close(() => done()));
			await followed?.close();
			await api.close();
		}
	};
}

/** Starts following a log on a connection of its own, its dataset listed first among the store's. */
async function follow(served: ServedEngine, settings: FollowSettings, changed: (id: string) => void): Promise<{ live: Live; close(): Promise<void> }> {
	if (!served.connect) {
		await served.close();
		throw new Error('--follow needs a DuckDB store (--engine duckdb:STORE.duckdb)');
	}
	const connection = await served.connect();
	let live: Live;
	try {
		live = await startLive(connection, settings, () => changed(live.dataset.id));
	} catch (error) {
		connection.close();
		await served.close();
		throw error;
	}
	served.datasets.unshift(live.dataset);
	return {
		live,
		async close() {
			await live.close();
			connection.close();
		}
	};
}

/** Whether the signed-in user may see the followed dataset; answers 401/403 itself when not. */
function liveAllowed(access: Access, live: Live, request: IncomingMessage, response: ServerResponse): boolean {
	try {
		const { user, may } = access.check(request);
		if (may(live.dataset)) return true;
		sendJson(response, 403, {
			error: { code: 'forbidden_dataset', message: `dataset: ${user ?? 'this user'} may not see dataset ${JSON.stringify(live.dataset.id)}` }
		});
	} catch (error) {
		if (!(error instanceof RequestError)) throw error;
		sendJson(response, error.status, { error: { code: error.code, message: error.message } });
	}
	return false;
}
