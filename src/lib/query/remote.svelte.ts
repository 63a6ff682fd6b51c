import type { SavedDataset } from '$lib/imports/saved-dataset';
import { Coordinator, type Priority } from './coordinator';
import { httpViewServer, NAMED_VIEWS, SERVER_COOKIE, ServerRefusal, SIGNS_IN } from './remote-views';
import { asViewRows, type NamedViewRequest, type ViewName, type ViewRows } from '$lib/metrics/views/registry';
import { locale } from '$lib/i18n/locale.svelte';
import type { MessageKey } from '$lib/i18n';

/**
 * The holdline server (`npm run serve`), when it served this page: `GET /api/datasets`
 * answers, and the pages ask it views by name instead of running DuckDB-WASM. A static build
 * (no API: 404, or a page instead of JSON) keeps the browser's engine.
 */
export interface ServerInfo {
	engine: 'duckdb' | 'clickhouse';
	datasets: SavedDataset[];
	/** Whether the signed-in user may see callers' numbers in full (absent: no). */
	mayUnmask?: boolean;
}

/** `undefined` while asking, `null` when there is no server. */
export const server = $state<{ info: ServerInfo | null | undefined }>({ info: undefined });

/** Who is signed in, on a server that signs users in (`serve --users`); `session.svelte.ts` signs in and out. */
export interface SessionUser {
	name: string;
	datasets: '*' | string[];
	unmask: boolean;
}

/**
 * `offered`: the server signs users in; `needed`: it answered 401 (no session, or one that
 * ended), so the layout shows the sign-in form instead of the page.
 */
export const session = $state<{ offered: boolean; needed: boolean; user: SessionUser | null }>({ offered: false, needed: false, user: null });

/** The server answered 401: the page waits for a sign-in. */
export function signInNeeded() {
	session.offered = true;
	session.needed = true;
	session.user = null;
}

let probe: Promise<ServerInfo | null> | undefined;

/** Whether `npm run serve` served this page (it sets a cookie on the page): there may be an API to ask. */
export function announcedServer(): boolean {
	return typeof document === 'undefined' || document.cookie.split('; ').some((c) => c.startsWith(`${SERVER_COOKIE}=`));
}

/** Whether that server signs users in (`serve --users`): only then is there a session to ask about. */
export function serverSignsIn(): boolean {
	return typeof document !== 'undefined' && document.cookie.split('; ').includes(`${SERVER_COOKIE}=${SIGNS_IN}`);
}

export function findServer(): Promise<ServerInfo | null> {
	if (!announcedServer()) {
		server.info = null;
		return Promise.resolve(null);
	}
	probe ??= fetch('/api/datasets', { headers: { Accept: 'application/json' } })
		.then(async (response) => {
			// A server that signs users in, without a session: still unknown until someone signs in.
			if (response.status === 401) return undefined;
			if (!response.ok || !/json/.test(response.headers.get('content-type') ?? '')) return null;
			const body = (await response.json()) as Partial<ServerInfo>;
			return (body.engine === 'duckdb' || body.engine === 'clickhouse') && Array.isArray(body.datasets) ? (body as ServerInfo) : null;
		})
		.catch(() => null)
		.then((info) => {
			if (info === undefined) {
				probe = undefined;
				signInNeeded();
			}
			if (info?.engine === 'clickhouse') serverViews.setConcurrency(CLICKHOUSE_AT_ONCE);
			server.info = info;
			return info ?? null;
		});
	return probe;
}

/** After a sign-in or sign-out: the datasets are asked again, and no answer of the last user is kept. */
export function forgetServer() {
	for (const dataset of server.info?.datasets ?? []) serverViews.invalidate(dataset.id);
	probe = undefined;
	server.info = undefined;
}

/** The refusals the app words itself (never the server's text); the others keep the server's words. */
const REFUSALS: Record<string, MessageKey> = {
	signin_required: 'auth.refused.signinRequired',
	forbidden_dataset: 'auth.refused.forbiddenDataset'
};

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
	try {
		return asViewRows<N>(await serverViews.query(request, { priority }));
	} catch (error) {
		if (!(error instanceof ServerRefusal)) throw error;
		// The session ended while the page was open: the sign-in form replaces it.
		if (error.status === 401) signInNeeded();
		const words = REFUSALS[error.code];
		throw words ? new Error(locale.t(words)) : error;
	}
}
