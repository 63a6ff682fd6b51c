import { createServer, type Server } from 'node:http';
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApi, DEFAULT_LIMITS, type Api, type ApiLimits } from './api';
import { openServedEngine, type ServedEngine } from './engines';
import { serveStatic } from './static';
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
	/** `--follow`: a queue_log followed as a dataset, and the wallboard's events (`live.ts`). DuckDB stores only. */
	follow?: FollowSettings;
}

export interface Running {
	url: string;
	server: Server;
	/** The API behind it: when its background preparation is done, what answered (tests, bench). */
	api: Pick<Api, 'prepared' | 'diagnostics'>;
	/** The followed log, with `--follow`. */
	live: Live | null;
	close(): Promise<void>;
}

/** Serves the app and the API over one store (read-only); 127.0.0.1 unless told otherwise. */
export async function startServer(options: ServeOptions): Promise<Running> {
	const limits = { ...DEFAULT_LIMITS, ...options.limits };
	const served = await openServedEngine(options.engine, limits.concurrency, options.env);
	// Lines may be read before the API exists: nothing is remembered yet then.
	const created: { api?: Api } = {};
	const followed = options.follow ? await follow(served, options.follow, (id) => created.api?.changed(id)) : null;
	const api = (created.api = createApi(served, limits, options.beforeView));
	const live = followed?.live ?? null;
	const root = options.app ? resolve(options.app) : null;
	const server = createServer((request, response) => {
		const path = (request.url ?? '/').split('?')[0]!;
		if (live && path.startsWith('/api/live/')) live.handle(request, response);
		else if (path === '/api' || path.startsWith('/api/')) void api.handle(request, response);
		else if (root && (request.method === 'GET' || request.method === 'HEAD')) void serveStatic(root, request, response, { announceApi: true });
		else response.writeHead(404).end();
	});
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
		url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
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
