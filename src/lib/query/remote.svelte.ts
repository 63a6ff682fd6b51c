import type { SavedDataset } from '$lib/imports/saved-dataset';
import { Coordinator, type Priority } from './coordinator';
import { httpViewServer, NAMED_VIEWS, SERVER_COOKIE } from './remote-views';
import { asViewRows, type NamedViewRequest, type ViewName, type ViewRows } from '$lib/metrics/views/registry';

/**
 * The holdline server (`npm run serve`), when it served this page: `GET /api/datasets`
 * answers, and the pages ask it views by name instead of running DuckDB-WASM. A static build
 * (no API: 404, or a page instead of JSON) keeps the browser's engine.
 */
export interface ServerInfo {
	engine: 'duckdb' | 'clickhouse';
	datasets: SavedDataset[];
}

/** `undefined` while asking, `null` when there is no server. */
export const server = $state<{ info: ServerInfo | null | undefined }>({ info: undefined });

let probe: Promise<ServerInfo | null> | undefined;

/** Whether `npm run serve` served this page (it sets a cookie on the page): there may be an API to ask. */
export function announcedServer(): boolean {
	return typeof document === 'undefined' || document.cookie.split('; ').some((c) => c.startsWith(`${SERVER_COOKIE}=`));
}

export function findServer(): Promise<ServerInfo | null> {
	if (!announcedServer()) {
		server.info = null;
		return Promise.resolve(null);
	}
	probe ??= fetch('/api/datasets', { headers: { Accept: 'application/json' } })
		.then(async (response) => {
			if (!response.ok || !/json/.test(response.headers.get('content-type') ?? '')) return null;
			const body = (await response.json()) as Partial<ServerInfo>;
			return (body.engine === 'duckdb' || body.engine === 'clickhouse') && Array.isArray(body.datasets) ? (body as ServerInfo) : null;
		})
		.catch(() => null)
		.then((info) => {
			if (info?.engine === 'clickhouse') serverViews.setConcurrency(CLICKHOUSE_AT_ONCE);
			return (server.info = info);
		});
	return probe;
}

/**
 * The server's answers go through a coordinator of their own, as the browser engine's do:
 * shared while in flight, kept (least recently used dropped), user questions first. Two at a
 * time, as many as the server runs at once (`DEFAULT_LIMITS`): more would only wait in its
 * queue, where a user's question cannot pass a prefetch.
 */
export const serverViews = new Coordinator(async () => httpViewServer(), NAMED_VIEWS, 2);

/**
 * A ClickHouse server answers a filter change's views side by side (its connections only wait
 * on the cluster: `CLICKHOUSE_AT_ONCE` in server/engines.ts): all of them are sent at once.
 */
const CLICKHOUSE_AT_ONCE = 6;

/** A named view's rows from the server, typed by its name; identical questions share one answer. */
export async function askServer<N extends ViewName>(request: NamedViewRequest<N>, priority: Priority = 'user'): Promise<ViewRows[N][]> {
	return asViewRows<N>(await serverViews.query(request, { priority }));
}
