import type { IncomingMessage, ServerResponse } from 'node:http';
import { ClickHouseError } from '$lib/engine/clickhouse';
import type { Connection, ServedEngine } from './engines';
import { Pool } from './pool';
import { parseViewRequest, RequestError } from './request';
import { answers } from '$lib/metrics/views/registry';
import { ServedViews, type AnswerTrace } from './served-views';
import { readJson, sendJson as send } from './json-io';
import { OPEN_ACCESS, type Access, type DatasetCheck } from './auth/access';

/**
 * The JSON API the app asks instead of its in-browser engine when `serve` serves it:
 *
 *   GET  /api/datasets   → { engine: 'duckdb' | 'clickhouse', datasets: [...] } (the store's datasets, as the app lists its own)
 *   POST /api/view       { dataset, view, filter, settings } → { dataset, view, rows }
 *
 * Named views only: the browser never sends SQL (`request.ts` checks each value,
 * `metrics/views/registry.ts` maps names to the views, `query/named-views.ts` asks them of an
 * engine, `served-views.ts` answers them, over a DuckDB store from memory and cubes where it
 * can). Errors are `{ error: { code, message } }`. With sign-in (`serve --users`), `access` answers
 * 401 without a session, lists only the user's datasets and refuses a view of another with 403.
 */
export interface ApiLimits {
	/** Largest request body, bytes. */
	maxBodyBytes: number;
	/** Most rows a view may return; more is refused (never cut short silently). */
	maxRows: number;
	/** Longest a view may run before it is interrupted. */
	timeoutMs: number;
	/** Views run at once (one connection each), and how many more may wait. */
	concurrency: number;
	queue: number;
	/** Answers remembered (DuckDB store only): at most this many, and this many bytes of JSON. */
	rememberedAnswers: number;
	rememberedBytes: number;
}

export const DEFAULT_LIMITS: ApiLimits = {
	maxBodyBytes: 16 * 1024,
	maxRows: 20_000,
	timeoutMs: 15_000,
	concurrency: 2,
	queue: 16,
	rememberedAnswers: 500,
	rememberedBytes: 32 * 1024 * 1024
};

export interface Api {
	handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
	/** Resolves once the background work of the start (first answers, cubes) is done. */
	prepared: Promise<void>;
	/** What answered so far, for tests and diagnostics (never sent to a client). */
	diagnostics(): ReturnType<ServedViews['diagnostics']>;
	/** A dataset's calls changed (a followed log): what was remembered of it is forgotten. */
	changed(datasetId: string): void;
	close(): Promise<void>;
}

// ClickHouse's own words (e.g. a shard that is down: "All connection tries failed") as a 502.
const failure = (error: unknown) =>
	error instanceof RequestError
		? { status: error.status, body: { error: { code: error.code, message: error.message } } }
		: error instanceof ClickHouseError
			? { status: 502, body: { error: { code: 'engine_error', message: error.message } } }
			: { status: 500, body: { error: { code: 'internal', message: error instanceof Error ? error.message.split('\n')[0] : String(error) } } };

/** `view;dur=…;desc=…`: the answer's time in ms and its source (memory, shared, cube, table). */
export const serverTiming = (ms: number, trace: AnswerTrace) => `view;dur=${ms.toFixed(1)}${trace.source ? `;desc=${trace.source}` : ''}`;

/** The API over an engine opened with `limits.concurrency` connections (engines.ts). */
export function createApi(
	served: ServedEngine,
	limits: ApiLimits = DEFAULT_LIMITS,
	/** Runs before each view with its connection held (tests hold it to fill the queue). */
	beforeView: () => Promise<void> = async () => {},
	/** Who may read which dataset (`auth/`): everyone every dataset unless `serve --users` signs users in. */
	access: Access = OPEN_ACCESS
): Api {
	const pool = new Pool<Connection>(served.connections, limits.queue, limits.timeoutMs);
	const { datasets } = served;
	const views = new ServedViews(served, pool, {
		maxRows: limits.maxRows,
		timeoutMs: limits.timeoutMs,
		memory: { entries: limits.rememberedAnswers, bytes: limits.rememberedBytes },
		beforeView
	});
	const prepared = views.prepare(datasets, (dataset, error) =>
		console.warn(`serve: preparing ${dataset.name}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`)
	);

	async function view(request: IncomingMessage, user: string | null, may: DatasetCheck, unmask: boolean, trace: AnswerTrace): Promise<unknown> {
		const asked = parseViewRequest(await readJson(request, limits.maxBodyBytes, 'view request'));
		if (asked.settings.unmask && !unmask) throw new RequestError(403, 'unmask_not_allowed', 'settings.unmask: callers’ numbers are shown masked to this user');
		const dataset = datasets.find((d) => d.id === asked.dataset);
		if (!dataset)
			throw new RequestError(404, 'unknown_dataset', `dataset: no dataset ${JSON.stringify(asked.dataset)} on this server (GET /api/datasets lists them)`);
		if (!may(dataset)) throw new RequestError(403, 'forbidden_dataset', `dataset: ${user ?? 'this user'} may not see dataset ${JSON.stringify(asked.dataset)}`);
		if (!answers(asked.view, dataset.kind))
			throw new RequestError(422, 'needs_calls', `the ${asked.view} view needs per-call data: dataset ${JSON.stringify(asked.dataset)} is an interval report`);
		return { dataset: asked.dataset, view: asked.view, rows: await views.rows(asked, dataset, trace) };
	}

	return {
		async handle(request, response) {
			const path = new URL(request.url ?? '/', 'http://local').pathname;
			try {
				// Before anything else: without a session (when sign-in is on) nothing else is said, not even a 404.
				const { user, may, unmask } = access.check(request);
				if (path === '/api/datasets') {
					if (request.method !== 'GET') throw new RequestError(405, 'method_not_allowed', 'GET /api/datasets');
					send(response, 200, { engine: served.id, datasets: datasets.filter(may), mayUnmask: unmask });
				} else if (path === '/api/view') {
					if (request.method !== 'POST') throw new RequestError(405, 'method_not_allowed', 'POST /api/view with a JSON view request');
					// Server-Timing: how long the answer took here and where it came from (the browser's network panel shows it).
					const started = performance.now();
					const trace: AnswerTrace = {};
					const body = await view(request, user, may, unmask, trace);
					send(response, 200, body, { 'Server-Timing': serverTiming(performance.now() - started, trace) });
				} else throw new RequestError(404, 'not_found', `no API at ${path}; there are GET /api/datasets and POST /api/view`);
			} catch (error) {
				const { status, body } = failure(error);
				send(response, status, body);
			}
		},
		prepared,
		diagnostics: () => views.diagnostics(),
		changed(id) {
			const dataset = datasets.find((d) => d.id === id);
			if (dataset) views.changed(dataset);
		},
		async close() {
			views.stop();
			await served.close();
		}
	};
}
