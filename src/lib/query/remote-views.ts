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
/** The cookie's value when that server signs users in (`serve --users`): the page asks who is signed in. */
export const SIGNS_IN = 'signin';

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

/** The server refused a question: its status and code (`{ error: { code, message } }`), its words as the message. */
export class ServerRefusal extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string
	) {
		super(message);
	}
}

/** `POST /api/view` on the server that served the page; a refusal is a `ServerRefusal`. */
export const httpViewServer = (post: typeof fetch = fetch): ViewServer => ({
	view: async (request) => {
		const response = await post('/api/view', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request) });
		const body = (await response.json().catch(() => null)) as { rows?: Row[]; error?: { code?: string; message: string } } | null;
		if (!response.ok || !body?.rows) throw new ServerRefusal(response.status, body?.error?.code ?? 'http', body?.error?.message ?? `HTTP ${response.status}`);
		return body.rows;
	}
});
