import type { SavedDataset } from '$lib/datasets/library.svelte';
import { SERVER_COOKIE, type NamedViewRequest } from './remote-views';
import type { Row } from './types';

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

export function findServer(): Promise<ServerInfo | null> {
	if (typeof document !== 'undefined' && !document.cookie.split('; ').some((c) => c.startsWith(`${SERVER_COOKIE}=`))) {
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
		.then((info) => (server.info = info));
	return probe;
}

const answers = new Map<string, Promise<Row[]>>();
const ANSWER_LIMIT = 200;

/** A named view's rows from the server; identical questions share one answer. */
export function askServer<T extends Row>(request: NamedViewRequest): Promise<T[]> {
	const key = JSON.stringify(request);
	let answer = answers.get(key);
	if (!answer) {
		answer = fetch('/api/view', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: key }).then(async (response) => {
			const body = (await response.json().catch(() => null)) as { rows?: Row[]; error?: { message: string } } | null;
			if (!response.ok || !body?.rows) throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
			return body.rows;
		});
		answer.catch(() => answers.delete(key));
		if (answers.size >= ANSWER_LIMIT) answers.delete(answers.keys().next().value!);
		answers.set(key, answer);
	}
	return answer as Promise<T[]>;
}
