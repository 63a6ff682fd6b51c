import { createServer, type Server } from 'node:http';
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { DuckDBInstance } from '@duckdb/node-api';
import { createApi, DEFAULT_LIMITS, type ApiLimits } from './api';
import { serveStatic } from './static';

export interface ServeOptions {
	/** The store file made by `npm run load`. */
	store: string;
	/** The built app (`build/`); without it only the API is served. */
	app: string | null;
	host: string;
	port: number;
	limits?: Partial<ApiLimits>;
	beforeView?: () => Promise<void>;
}

export interface Running {
	url: string;
	server: Server;
	close(): Promise<void>;
}

/** Serves the app and the API over one store (opened read-only); 127.0.0.1 unless told otherwise. */
export async function startServer(options: ServeOptions): Promise<Running> {
	const instance = await DuckDBInstance.create(options.store, { access_mode: 'READ_ONLY' });
	const api = await createApi(instance, { ...DEFAULT_LIMITS, ...options.limits }, options.beforeView);
	const root = options.app ? resolve(options.app) : null;
	const server = createServer((request, response) => {
		const path = (request.url ?? '/').split('?')[0]!;
		if (path === '/api' || path.startsWith('/api/')) void api.handle(request, response);
		else if (root && (request.method === 'GET' || request.method === 'HEAD')) void serveStatic(root, request, response);
		else response.writeHead(404).end();
	});
	await new Promise<void>((done, fail) => {
		server.once('error', fail);
		server.listen(options.port, options.host, () => done());
	});
	const { address, port } = server.address() as AddressInfo;
	return {
		url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
		server,
		async close() {
			server.closeAllConnections();
			await new Promise<void>((done) => server.close(() => done()));
			api.close();
			instance.closeSync();
		}
	};
}
