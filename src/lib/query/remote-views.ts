import type { NamedViewRequest } from '$lib/metrics/views/registry';
import type { Questions } from './coordinator';
import type { Row } from '$lib/engine/types';

/**
 * What the app may ask a holdline server (`npm run serve`): a view by name (the registry's,
 * `metrics/views/registry.ts`), with a filter and settings, never SQL. The server checks each
 * value and renders the SQL (`lib/server/`).
 */
export type { NamedViewRequest, ViewName } from '$lib/metrics/views/registry';
export type { ViewSettings } from '$lib/metrics/views/spec';

/** Set by the holdline server on the pages it serves; without it the page is a static build. */
export const SERVER_COOKIE = 'holdline-server';

/** A holdline server as the coordinator's engine: it answers named views, never SQL. */
export interface ViewServer {
	view(request: NamedViewRequest): Promise<Row[]>;
}

/**
 * Named-view questions for the coordinator: keyed by their JSON (the page builds each request
 * the same way, so equal questions are equal text), and from the dataset they name.
 */
export const NAMED_VIEWS: Questions<NamedViewRequest, ViewServer> = {
	key: (request) => JSON.stringify(request),
	ask: (server, request) => server.view(request),
	reads: (key, dataset) => (JSON.parse(key) as NamedViewRequest).dataset === dataset
};

/** `POST /api/view` on the server that served the page; its refusal's words become the error. */
export const httpViewServer = (post: typeof fetch = fetch): ViewServer => ({
	view: async (request) => {
		const response = await post('/api/view', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request) });
		const body = (await response.json().catch(() => null)) as { rows?: Row[]; error?: { message: string } } | null;
		if (!response.ok || !body?.rows) throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
		return body.rows;
	}
});
