import { createServer, type Server } from 'node:http';
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApi, DEFAULT_LIMITS, NO_UNMASK, type Api, type ApiAccess, type ApiLimits } from './api';
import { openServedEngine } from './engines';
import { serveStatic } from './static';

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
	/** Who may see callers' numbers in full (a signed-in user's permission); nobody unless said. */
	access?: ApiAccess;
}

export interface Running {
	url: string;
	server: Server;
	/** The API behind it: when its background preparation is done, what answered (tests, bench). */
	api: Pick<Api, 'prepared' | 'diagnostics'>;
	close(): Promise<void>;
}

/** Serves the app and the API over one store (read-only); 127.0.0.1 unless told otherwise. */
export async function startServer(options: ServeOptions): Promise<Running> {
	const limits = { ...DEFAULT_LIMITS, ...options.limits };
	const api = createApi(await openServedEngine(options.engine, limits.concurrency, options.env), limits, options.beforeView, options.access ?? NO_UNMASK);
	const root = options.app ? resolve(options.app) : null;
	const server = createServer((request, response) => {
		const path = (request.url ?? '/').split('?')[0]!;
		if (path === '/api' || path.startsWith('/api/')) void api.handle(request, response);
		else if (root && (request.method === 'GET' || request.method === 'HEAD')) void serveStatic(root, request, response, { announceApi: true });
		else response.writeHead(404).end();
	});
	await new Promise<void>((done, fail) => {
		server.once('error', fail);
		server.listen(options.port, options.host, () => done());
	}).catch(async (error) => {
		await api.close();
		throw error;
	});
	const { address, port } = server.address() as AddressInfo;
	return {
		url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
		server,
		api,
		async close() {
			server.closeAllConnections();
			await new Promise<void>((done) => server.close(() => done()));
			await api.close();
		}
	};
}
