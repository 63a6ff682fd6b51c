import { CubeIndex } from '$lib/preagg/cubes';
import { dashboardViewSpec, DASHBOARD_VIEWS, runNamedView } from '$lib/query/named-views';
import { answers, neededView, type ViewName } from '$lib/metrics/views/registry';
import type { Query, Row } from '$lib/engine/types';
import type { Dialect } from '$lib/sql/dialect';
import { intervalFor } from '$lib/metrics/service-view';
import { DEFAULT_SETTINGS, type ViewSpec } from '$lib/metrics/service';
import { AnswerCache, type CacheLimits } from '$lib/query/cache';
import type { Connection, ServedEngine } from './engines';
import type { Pool } from './pool';
import { parseViewRequest, RequestError, type ViewRequest } from './request';
import type { StoredDataset } from './store';
import type { Filter } from '$lib/filters/filter';
import { savedAnswers } from './saved-answers';
import { savedCubes } from './saved-cubes';
import { EMPTY_FILTER } from '$lib/filters/filter';

/**
 * How the API answers a checked view request.
 *  - an answer is remembered by its question (`query/cache.ts`, the same cache as the browser's coordinator): the same question is answered
 *    from memory, and one asked while it is being answered shares that answer. A DuckDB store is
 *    read-only while served; a ClickHouse database may be loaded into meanwhile, so there an
 *    answer is remembered with the loads it was asked under (`ServedEngine.version`) and holds
 *    until they change. Over ClickHouse, the rest is the engine's (its pre-aggregate where it
 *    answers, `query/named-views.ts`). Over a DuckDB store:
 *  - the dashboard views are answered from cubes (`preagg/cubes.ts`) where one answers exactly,
 *    else from the calls table;
 *  - at start, in the background, each dataset's first questions (the Service level page
 *    opened unfiltered) are answered, then its cubes are built: on a connection of its own,
 *    each step once no request runs or waits. `load` saves both in the store (saved-answers.ts,
 *    saved-cubes.ts): the answers are remembered and the cubes copied instead.
 * Measured at 1,000,000 generated calls (2 cores): the start's 7 answers and 15 cubes took
 * 3.6 s; a department change (five views at once over HTTP) then took 98–394 ms from cubes with
 * the memory turned off, against 503 ms (p95 1,044 ms) from the calls table before.
 */
type Ask = (query: Query) => Promise<Row[]>;
/** Runs a view's work with a way to ask the engine: a pool connection, or the background one. */
type Runner = (work: (ask: Ask) => Promise<Row[]>) => Promise<Row[]>;

/** Where a request's answer came from (the API's `Server-Timing` header says it): remembered, shared with one under way, a cube, or the calls table. */
export type AnswerSource = 'memory' | 'shared' | 'cube' | 'table';
/** Filled in while a request is answered: the source of its own answer (not of the answers it reads). */
export interface AnswerTrace {
	source?: AnswerSource;
}

/**
 * The dashboard views' specs of a dataset's first questions (the cubes are built for these, at
 * `serve`'s start or by `load`); `reach` answers a question's wait-histogram reach.
 */
export async function firstSpecs(dataset: StoredDataset, reach: (question: ViewRequest) => Promise<Row[]>, d: Dialect): Promise<ViewSpec[]> {
	const specs = await Promise.all(firstQuestions(dataset).map((question) => dashboardViewSpec(question, () => reach(question), d)));
	return specs.filter((spec): spec is ViewSpec => !!spec);
}

/** Views whose answer reads neither the filter nor the settings: one answer per dataset. */
const WHOLE_DATASET: readonly ViewName[] = ['waitReach', 'options'];

/** Equal keys, equal answers: the request as checked (so defaults are filled in the same way). */
export function questionKey(r: ViewRequest): string {
	if (WHOLE_DATASET.includes(r.view)) return JSON.stringify([r.dataset, r.view]);
	const filter = { ...r.filter, queues: r.filter.queues?.length ? r.filter.queues : undefined };
	return JSON.stringify([r.dataset, r.view, filter, r.settings]);
}

/**
 * What the Service level page asks first of a dataset: its views unfiltered, its default settings
 * and interval, and the staffing section's load below them (asked as soon as the page shows, since
 * the section is near the screen: over the calls it held a connection for seconds, and the first
 * filter changes waited behind it).
 */
export function firstQuestions(dataset: StoredDataset): ViewRequest[] {
	const settings = { ...DEFAULT_SETTINGS, interval: intervalFor(dataset.from, dataset.to) };
	return (['options', 'waitReach', ...DASHBOARD_VIEWS, 'staffingLoad'] as const)
		.filter((view) => answers(view, dataset.kind))
		.map((view) => ({ ...parseViewRequest({ dataset: dataset.id, view, settings }), kind: dataset.kind }));
}

export interface ServedViewsOptions {
	maxRows: number;
	/** A request's answer within this many ms, or 503 `timeout`: also when it shares a background answer or waits for a cube. */
	timeoutMs: number;
	memory: CacheLimits;
	/** Runs before each view with its pool connection held (tests hold it to fill the queue). */
	beforeView: () => Promise<void>;
}

export class ServedViews {
	private memory: AnswerCache<Row[]> | null;
	/**
	 * One cube index per dataset: the browser indexes one dataset at a time (`prepare` drops
	 * other tables' cubes), but a server's users look at several datasets at once, and one
	 * index would drop one user's cubes each time another dataset is prepared. Each index keeps
	 * at most its own limit of cubes.
	 */
	private cubes = new Map<string, CubeIndex>();
	private stopped = false;
	/** Resolves once the first answers `load` saved in the store are remembered (prepare). */
	private seeded: Promise<void> = Promise.resolve();
	private counts = { fromMemory: 0, fromCubes: 0, shared: 0, savedInStore: 0, cubesSavedInStore: 0 };
	/** ClickHouse: the loads' version being read, shared by the requests that arrive meanwhile (a change asks five views at once). */
	private versionAsked: Promise<string> | null = null;

	constructor(
		private served: ServedEngine,
		private pool: Pool<Connection>,
		private options: ServedViewsOptions
	) {
		this.memory = served.background || served.version ? new AnswerCache(options.memory) : null;
	}

	private onPool: Runner = (work) =>
		this.pool.run(async (connection) => {
			await this.options.beforeView();
			return work((query) => connection.query(query));
		});

	/**
	 * The rows of a checked request over `dataset`, within the time limit. The pool stops a query
	 * that holds a connection too long; a request that shares an answer the server's start is
	 * computing, or waits for a cube being built, holds none, so it is given up here (the shared
	 * work goes on and is remembered).
	 */
	rows(request: ViewRequest, dataset: StoredDataset, trace: AnswerTrace = {}): Promise<Row[]> {
		const answer = this.answer(request, dataset, this.onPool, trace);
		let timer: ReturnType<typeof setTimeout> | undefined;
		const late = new Promise<never>((_, reject) => {
			timer = setTimeout(
				() => reject(new RequestError(503, 'timeout', `the answer took longer than ${this.options.timeoutMs} ms; narrow the filter or try again`)),
				this.options.timeoutMs
			);
		});
		return Promise.race([answer, late]).finally(() => clearTimeout(timer));
	}

	private async answer(request: ViewRequest, dataset: StoredDataset, run: Runner, trace: AnswerTrace = {}): Promise<Row[]> {
		if (!this.memory) return this.compute(request, dataset, run, trace);
		// The answers saved in the store are remembered before any is computed (a read of a few rows).
		await this.seeded;
		// ClickHouse: the loads' version is part of the key, so a load makes every answer new; the
		// answers of earlier loads are let go as the least recently used.
		const key = (this.served.version ? `${await this.loadsVersion()}\n` : '') + questionKey(request);
		if (this.memory.has(key)) {
			this.counts.fromMemory++;
			trace.source = 'memory';
		} else if (this.memory.computing(key)) {
			this.counts.shared++;
			trace.source = 'shared';
		}
		return this.memory.get(key, () => this.compute(request, dataset, run, trace));
	}

	private loadsVersion(): Promise<string> {
		return (this.versionAsked ??= this.served.version!().finally(() => (this.versionAsked = null)));
	}

	private async compute(asked: ViewRequest, dataset: StoredDataset, run: Runner, trace: AnswerTrace = {}): Promise<Row[]> {
		// What the table holds is the store's to say, never the request's.
		const request = { ...asked, kind: dataset.kind };
		const table = this.served.tableOf(dataset);
		// A followed log's calls change with every line: no cubes of them.
		const spec = this.served.background && !dataset.live ? await this.dashboardSpec(request, dataset, run) : null;
		// ClickHouse: the view this one reads (the histogram's reach) as its own, remembered, answer.
		const needs = !spec && this.served.version ? neededView(request.view, request.kind) : null;
		const needed = needs ? await this.answer({ ...request, view: needs }, dataset, run) : undefined;
		trace.source = 'table';
		const rows = spec
			? await this.fromCube(this.indexOf(table), table, spec, request.filter, run, trace)
			: await run((ask) => runNamedView(request, table, ask, this.served.dialect, this.served.aggregate, needed));
		// Refused, so never remembered.
		if (rows.length > this.options.maxRows)
			throw new RequestError(
				422,
				'too_many_rows',
				`the ${request.view} view has ${rows.length} rows, more than the ${this.options.maxRows} the server returns; choose a longer interval or a shorter time range`
			);
		return rows;
	}

	/** A dashboard view's question; the wait histogram's reach is asked (and remembered) as its own view. */
	private dashboardSpec(request: ViewRequest, dataset: StoredDataset, run: Runner): Promise<ViewSpec | null> {
		return dashboardViewSpec(request, () => this.answer({ ...request, view: 'waitReach' }, dataset, run), this.served.dialect);
	}

	/** From a cube where one answers (cubes.ts); refusals (busy, timeout) stand: asking the table again would only add load. */
	private fromCube(index: CubeIndex, table: string, spec: ViewSpec, filter: Filter, run: Runner, trace: AnswerTrace): Promise<Row[]> {
		return index.rows(table, spec, filter, (query) => run((ask) => ask(query)), {
			stands: (error) => error instanceof RequestError,
			onCube: () => {
				this.counts.fromCubes++;
				trace.source = 'cube';
			}
		});
	}

	private indexOf(table: string): CubeIndex {
		let index = this.cubes.get(table);
		if (!index) {
			const background = this.served.background!;
			index = new CubeIndex(
				async () => background.engine,
				() => this.pool.idle(),
				background.cubes
			);
			this.cubes.set(table, index);
		}
		return index;
	}

	/**
	 * Answers each dataset's first questions, then builds each dataset's cubes for the page's
	 * defaults, one dataset at a time, in the background (DuckDB only). Failures are reported
	 * through `failed` and cost nothing else: the questions are answered when asked.
	 */
	async prepare(datasets: StoredDataset[], failed: (dataset: StoredDataset, error: unknown) => void): Promise<void> {
		const background = this.served.background;
		if (!background) return this.prepareWholeDatasets(datasets, failed);
		const onBackground: Runner = async (work) => {
			await this.pool.idle();
			if (this.stopped) throw new Error('the server is closing');
			return work((query) => background.engine.query(query));
		};
		// The first answers `load` saved in the store (saved-answers.ts) are remembered at once; the rest are computed.
		this.seeded = (async () => {
			for (const dataset of datasets) {
				const saved = await savedAnswers(background.engine, dataset).catch((error) => {
					if (!this.stopped) failed(dataset, error);
					return new Map<string, Row[]>();
				});
				for (const [key, rows] of saved) {
					this.counts.savedInStore++;
					await this.memory!.get(key, async () => rows);
				}
			}
		})();
		await this.seeded;
		for (const dataset of datasets)
			for (const question of firstQuestions(dataset))
				await this.answer(question, dataset, onBackground).catch((error) => !this.stopped && failed(dataset, error));
		for (const dataset of datasets) {
			if (this.stopped) return;
			if (dataset.live) continue;
			try {
				const specs = await firstSpecs(dataset, (q) => this.answer({ ...q, view: 'waitReach' }, dataset, onBackground), this.served.dialect);
				// The cubes `load` saved in the store (saved-cubes.ts) are copied; the rest are built from the calls.
				const saved = await savedCubes(background.engine, dataset).catch(() => new Map());
				this.counts.cubesSavedInStore += saved.size;
				await this.indexOf(this.served.tableOf(dataset)).prepare(this.served.tableOf(dataset), specs, EMPTY_FILTER, (key) => saved.get(key));
			} catch (error) {
				if (!this.stopped) failed(dataset, error);
			}
		}
	}

	/**
	 * ClickHouse: each dataset's whole-dataset answers (the menus, the histogram's reach), asked
	 * at start so the page's first questions find them (at 100,000,000 calls each is a scan).
	 */
	private async prepareWholeDatasets(datasets: StoredDataset[], failed: (dataset: StoredDataset, error: unknown) => void): Promise<void> {
		for (const dataset of datasets)
			for (const question of firstQuestions(dataset).filter((q) => WHOLE_DATASET.includes(q.view)))
				await this.answer(question, dataset, this.onPool).catch((error) => !this.stopped && failed(dataset, error));
	}

	/** A dataset's calls changed (a followed log's new lines): its remembered answers are forgotten, answers under way not kept. */
	changed(dataset: StoredDataset) {
		this.memory?.invalidate((key) => (JSON.parse(key.slice(key.indexOf('\n') + 1)) as unknown[])[0] === dataset.id);
	}

	/** Stops background work: no more builds (a statement under way is stopped by closing the engine). */
	stop() {
		this.stopped = true;
		for (const [table, index] of this.cubes) index.invalidate(table);
	}

	/** What answered so far (for tests and diagnostics; not part of the API's answers). */
	diagnostics() {
		return {
			...this.counts,
			...this.pool.load,
			remembered: this.memory?.size ?? 0,
			cubes: [...this.cubes.values()].reduce((n, index) => n + index.size, 0),
			cubesCopied: [...this.cubes.values()].reduce((n, index) => n + index.copied, 0)
		};
	}
}
