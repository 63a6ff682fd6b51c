import { createHash } from 'node:crypto';
import { basename, resolve } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NativeEngine } from '$lib/engine/native';
import type { Query, Row } from '$lib/engine/types';
import { EMPTY_FILTER } from '$lib/filters/filter';
import { DEFAULT_SETTINGS } from '$lib/metrics/service';
import { viewSettings } from '$lib/metrics/views/spec';
import { asViewRows } from '$lib/metrics/views/registry';
import type { KeyedRow } from '$lib/metrics/views/rows';
import { runNamedView } from '$lib/query/named-views';
import { DUCKDB } from '$lib/sql/dialect-duckdb';
import {
	DEFAULT_TARGET,
	targetOf,
	WINDOW_MINUTES,
	WINDOWS,
	type QueueTargets,
	type WallboardSnapshot,
	type WindowMeasures,
	type WindowName
} from '$lib/metrics/wallboard';
import { EventStream } from './event-stream';
import { followLog, type Follower } from './follow';
import { LIVE_CALLS, LiveCalls, parseLogLine, type LiveEngine, type LogEvent } from './live-calls';
import { LiveState } from '$lib/live/live-state';
import { liveBoards, type Measured } from '$lib/live/boards';
import type { StoredDataset } from './store';

/**
 * `serve --follow PATH`: a followed queue_log as a dataset of the server (its calls in the
 * served database, `live-calls.ts`), the state now (`$lib/live/live-state.ts`), and the wallboard's
 * snapshot sent to pages over Server-Sent Events (`event-stream.ts`):
 *
 *   GET /api/live/events    text/event-stream of `snapshot` events (JSON `WallboardSnapshot`)
 *   GET /api/live/snapshot  the newest snapshot as JSON
 *
 * After each batch of lines the calls are assembled, the dataset's totals updated, `onChange`
 * told (the API stops remembering answers of the dataset), and a snapshot made and sent when
 * it differs from the last. The windows slide with the clock, so a snapshot is also made every
 * `refreshMs` without new lines.
 */
export interface FollowSettings {
	path: string;
	targets?: QueueTargets;
	/** Added to the log's epoch seconds for local wall-clock time (the day, the windows). */
	utcOffsetSeconds: number;
	pollMs?: number;
	heartbeatMs?: number;
	refreshMs?: number;
	/** The wallboard's clock, epoch ms (tests give the log's own time). */
	clock?: () => number;
}

export interface Live {
	dataset: StoredDataset;
	/** Resolves once the log as it was at start is read and the first snapshot made. */
	ready: Promise<void>;
	/** Answers `/api/live/…`. */
	handle(request: IncomingMessage, response: ServerResponse): void;
	snapshot(): WallboardSnapshot | null;
	/** Reads what is new now and resolves once it is in the calls and the snapshot (tests). */
	settled(): Promise<void>;
	readonly stream: EventStream;
	readonly follower: Follower;
	readonly state: LiveState;
	readonly calls: LiveCalls;
	close(): Promise<void>;
}

/** A connection's statements one at a time (lines and snapshots share it). */
function serial(engine: NativeEngine): LiveEngine {
	let last: Promise<unknown> = Promise.resolve();
	const queued = <T>(work: () => Promise<T>): Promise<T> => {
		const next = last.then(work);
		last = next.catch(() => {});
		return next;
	};
	return { ...engine, exec: (sql) => queued(() => engine.exec(sql)), query: (q) => queued(() => engine.query(q)), alone: queued } as LiveEngine;
}

/** Epoch seconds → local wall-clock text, as the calls' times are stored. */
const wallClock = (epochS: number, offsetS: number) => new Date((Math.floor(epochS) + offsetS) * 1000).toISOString().slice(0, 19).replace('T', ' ');

const datasetId = (path: string) => `ds_live${createHash('sha256').update(resolve(path)).digest('hex').slice(0, 8)}`;

export async function startLive(connection: NativeEngine, settings: FollowSettings, onChange: () => void = () => {}): Promise<Live> {
	const engine = serial(connection);
	const targets = settings.targets ?? { default: DEFAULT_TARGET, queues: {} };
	const offset = settings.utcOffsetSeconds;
	const clock = settings.clock ?? Date.now;
	const name = basename(resolve(settings.path));
	const id = datasetId(settings.path);
	const calls = new LiveCalls(engine, `live: ${name}`, offset);
	await calls.init(id);
	const state = new LiveState(offset, Object.keys(targets.queues), (queue) => targetOf(targets, queue).wrapUpS);
	const stream = new EventStream({ heartbeatMs: settings.heartbeatMs });
	const dataset: StoredDataset = {
		id,
		name: `live: ${name}`,
		format: 'queue_log',
		files: [name],
		fileSizes: [0],
		rows: 0,
		bytes: 0,
		from: null,
		to: null,
		importedAt: new Date(clock()).toISOString(),
		skipped: 0,
		synthetic: false,
		loads: 0,
		live: true
	};
	let lines = 0;
	let latest: WallboardSnapshot | null = null;
	let published = '';
	let started = false;

	/**
	 * The database's share of each batch, in order, behind the reading: the lines' effect on the
	 * state now is sent at once, and the follower reads on while calls are assembled. Steps that
	 * wait are merged (one append of every waiting event), so a burst cannot pile up work.
	 */
	type Step = { add: LogEvent[] } | { rollOver: Set<string> };
	const steps: Step[] = [];
	let working: Promise<void> | null = null;
	function schedule(step: Step) {
		const last = steps.at(-1);
		if (last && 'add' in last && 'add' in step) for (const e of step.add) last.add.push(e);
		else steps.push(step);
		working ??= work().finally(() => (working = null));
	}
	async function work() {
		while (steps.length) {
			while (steps.length) {
				const step = steps.shift()!;
				try {
					if ('add' in step) await calls.add(step.add);
					else await calls.rollOver(step.rollOver);
				} catch (error) {
					console.warn(`serve --follow: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
				}
			}
			const summary = await calls.summary();
			Object.assign(dataset, { rows: summary.rows, from: summary.from, to: summary.to, bytes: follower.progress.bytes, fileSizes: [follower.progress.bytes] });
			onChange();
			if (started) void refresh();
		}
	}
	/** Resolves once every line read so far is in the calls. */
	async function drained() {
		while (working) await working;
	}

	function onLines(batch: string[]) {
		lines += batch.length;
		let run: LogEvent[] = [];
		for (const line of batch) {
			const e = parseLogLine(line);
			if (!e) {
				dataset.skipped++;
				continue;
			}
			if (state.startsNewDay(e)) {
				if (run.length) schedule({ add: run });
				run = [];
				schedule({ rollOver: state.rollOver(e.time) });
			}
			state.push(e);
			run.push(e);
		}
		// Who waits and the agents' states are known now: sent before the calls are assembled and measured.
		if (started) publish(snapshotNow(clock()));
		if (run.length) schedule({ add: run });
	}

	const ask = (query: Query): Promise<Row[]> => engine.query(query);

	/** The service views per queue for arrivals since `from`, at threshold T (asked by name, as every page asks them). */
	async function measures(from: string, thresholdS: number): Promise<Map<string, KeyedRow>> {
		const request = {
			dataset: dataset.id,
			view: 'reportQueues' as const,
			filter: { ...EMPTY_FILTER, from },
			settings: viewSettings({ ...DEFAULT_SETTINGS, thresholdS, variant: 'count' })
		};
		const rows = asViewRows<'reportQueues'>(await runNamedView(request, LIVE_CALLS, ask, DUCKDB));
		return new Map(rows.filter((r) => r.key != null).map((r) => [String(r.key), r]));
	}

	/** Each queue's measures as last asked of the calls (a queue new since then has none yet). */
	let measured = new Map<string, Measured>();
	const nowSeconds = (nowMs: number) => Math.max(nowMs / 1000, state.lastEvent ?? 0);

	/** Asks each window's service views (per T among the queues' targets) of today's calls. */
	async function measure(nowS: number): Promise<void> {
		const dayStart = state.dayNumber === null ? state.dayStartOf(nowS) : state.dayNumber * 86_400 - offset;
		const queues = [...state.queues];
		const from: Record<WindowName, string> = {
			today: wallClock(dayStart, offset),
			last60: wallClock(Math.max(dayStart, nowS - WINDOW_MINUTES.last60 * 60), offset),
			last15: wallClock(Math.max(dayStart, nowS - WINDOW_MINUTES.last15 * 60), offset)
		};
		const byThreshold = new Map<number, Record<WindowName, Map<string, KeyedRow>>>();
		for (const t of new Set(queues.map((q) => targetOf(targets, q).thresholdS))) {
			const windows = {} as Record<WindowName, Map<string, KeyedRow>>;
			for (const w of WINDOWS) windows[w] = await measures(from[w], t);
			byThreshold.set(t, windows);
		}
		const next = new Map<string, Measured>();
		for (const queue of queues) {
			const rows = byThreshold.get(targetOf(targets, queue).thresholdS)!;
			const windowOf = (w: WindowName): WindowMeasures => {
				const r = rows[w].get(queue);
				const num = (v: unknown) => (v == null ? null : Number(v));
				return {
					offered: Number(r?.offered ?? 0),
					answered: Number(r?.answered ?? 0),
					abandoned: Number(r?.abandoned ?? 0),
					serviceLevel: num(r?.service_level),
					abandonRate: num(r?.abandon_rate)
				};
			};
			const today = rows.today.get(queue);
			next.set(queue, {
				windows: { today: windowOf('today'), last60: windowOf('last60'), last15: windowOf('last15') },
				asaS: today?.asa_s == null ? null : Number(today.asa_s),
				ahtS: today?.aht_s == null ? null : Number(today.aht_s)
			});
		}
		measured = next;
	}

	/** The state now (waiting calls, agents: plain memory) with the measures last asked: made at once, no query. */
	function snapshotNow(nowMs: number): WallboardSnapshot {
		const { queues, agents } = liveBoards(state, targets, nowSeconds(nowMs), (queue) => measured.get(queue));
		return {
			now: nowMs,
			day: state.day,
			lastEvent: state.lastEvent,
			lines,
			dataset: { id: dataset.id, name: dataset.name, calls: dataset.rows },
			queues,
			agents,
			agentsTracked: state.agentEvents
		};
	}

	/** Sends a snapshot when it differs from the last one sent (its clock aside). */
	function publish(snapshot: WallboardSnapshot) {
		latest = snapshot;
		const text = JSON.stringify({ ...snapshot, now: 0 });
		if (text === published) return;
		published = text;
		stream.publish('snapshot', JSON.stringify(snapshot));
	}

	// One snapshot at a time; asked while making one, another follows it.
	let making: Promise<void> | null = null;
	let again = false;
	function refresh(): Promise<void> {
		if (making) {
			again = true;
			return making;
		}
		making = (async () => {
			try {
				do {
					again = false;
					const nowMs = clock();
					await measure(nowSeconds(nowMs));
					publish(snapshotNow(nowMs));
				} while (again);
			} finally {
				making = null;
			}
		})();
		return making;
	}

	const follower = followLog(settings.path, {
		pollMs: settings.pollMs,
		onLines: ({ lines: batch }) => onLines(batch),
		onError: (error) => console.warn(`serve --follow: ${error instanceof Error ? error.message : String(error)}`)
	});
	const ready = follower.ready.then(async () => {
		await drained();
		started = true;
		await refresh();
	});
	const timer = setInterval(() => void refresh().catch(() => {}), settings.refreshMs ?? 15_000);
	timer.unref?.();

	const json = (response: ServerResponse, status: number, body: unknown) => {
		response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
		response.end(JSON.stringify(body));
	};

	return {
		dataset,
		ready,
		stream,
		follower,
		state,
		calls,
		snapshot: () => latest,
		async settled() {
			await ready;
			await follower.check();
			await drained();
			await refresh();
		},
		handle(request, response) {
			const path = new URL(request.url ?? '/', 'http://local').pathname;
			if (request.method !== 'GET' && request.method !== 'HEAD') return json(response, 405, { error: { code: 'method_not_allowed', message: `GET ${path}` } });
			if (path === '/api/live/events') return stream.attach(request, response);
			if (path === '/api/live/snapshot') return json(response, 200, latest ?? { pending: true });
			json(response, 404, { error: { code: 'not_found', message: `no API at ${path}; there are GET /api/live/events and GET /api/live/snapshot` } });
		},
		async close() {
			clearInterval(timer);
			stream.close();
			await follower.close();
			await drained().catch(() => {});
			await making?.catch(() => {});
		}
	};
}
