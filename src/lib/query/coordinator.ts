import type { Engine, Query, Row } from '$lib/engine/types';
import { AnswerCache } from './cache';

/**
 * The one path from the pages to an engine: every question, and every change to a table
 * (`SqlCoordinator.write`: imports, stored datasets), goes through here, so that
 *   - identical questions share one answer (cached, and shared while in flight: `cache.ts`),
 *   - a user's question goes before prefetching and cube builds that were waiting,
 *   - answers from a table are forgotten when the table changes or is deleted.
 * An engine answers one question at a time (DuckDB-WASM has one worker; the native engine
 * one connection per page), so ordering the queue here is what decides who waits.
 *
 * A question is whatever its engine answers: SQL for the browser's DuckDB (`SqlCoordinator`),
 * a named view for a holdline server (`remote.svelte.ts`). `Questions` says how to key one,
 * ask it, and which table (or dataset) its answer came from.
 */
export type Priority = 'user' | 'prefetch' | 'build';
const RANK: Record<Priority, number> = { user: 0, prefetch: 1, build: 2 };

export interface Ask {
	priority?: Priority;
	/** Cache the answer (default for reads); statements that change tables are never cached. */
	cache?: boolean;
}

interface Waiting {
	rank: number;
	order: number;
	/** Counted among the user's questions (while waiting or running). */
	user: boolean;
	run: () => void;
}

/**
 * Oldest answers are forgotten beyond this many, pinned ones not counted (they never are): the
 * story's build-time answers (~450) must not crowd out the live ones.
 */
const CACHE_LIMIT = 200;

/**
 * Each question's time from its turn to its answer (the engine's start included for the first), as a User Timing measure (`holdline:ask`, its key's start
 * and priority as detail): what DevTools' Performance panel and the bench's profiles show
 * beside the page's own work, since the engine's time is spent in its worker (or server).
 * The oldest are cleared beyond this many, so a long session does not pile them up.
 */
const MEASURES_KEPT = 500;
let measures = 0;
function measureAsk(start: number, priority: Priority, key: string | undefined) {
	if (typeof performance?.measure !== 'function') return;
	if (++measures > MEASURES_KEPT) {
		performance.clearMeasures('holdline:ask');
		measures = 1;
	}
	performance.measure('holdline:ask', { start, detail: { priority, key: key?.slice(0, 300) ?? 'statement' } });
}

export interface Questions<Q, E> {
	/** Equal keys are one question: one answer. */
	key(question: Q): string;
	ask(engine: E, question: Q): Promise<Row[]>;
	/** Whether the answer kept under `key` was read from `table` (forgotten when it changes). */
	reads(key: string, table: string): boolean;
	/**
	 * What must be done before the question may reach the engine (its table attached), or
	 * undefined when nothing: awaited before it is queued, so it holds no other question up.
	 */
	before?(question: Q): Promise<unknown> | undefined;
}

export class Coordinator<Q, E> {
	private cache = new AnswerCache<Row[]>({ entries: CACHE_LIMIT });
	private queue: Waiting[] = [];
	/** Cached questions not yet started, so a user asking one a prefetch queued moves it up. */
	private queuedByKey = new Map<string, Waiting>();
	private running = 0;
	private order = 0;
	private userWaiting = 0;
	private idleWaiters: (() => void)[] = [];

	constructor(
		private engine: () => Promise<E>,
		private readonly questions: Questions<Q, E>,
		private concurrency = 1
	) {}

	/** How many questions may run at once from now on (a server found to answer more side by side). */
	setConcurrency(n: number) {
		this.concurrency = Math.max(1, Math.floor(n));
		this.next();
	}

	/** Answers known before any engine starts (built with the app): kept for good. */
	pin(key: string, rows: Row[]) {
		this.cache.pin(key, rows);
	}

	/** The answers held that read `table` and have arrived, least recently used first. */
	answered(table: string): [key: string, rows: Row[]][] {
		return this.cache.entries((key) => this.questions.reads(key, table));
	}

	/** A pinned answer, synchronously (the first render uses it before any await). */
	known<T extends object = Row>(question: Q): T[] | undefined {
		return this.cache.pinned(this.questions.key(question)) as T[] | undefined;
	}

	query<T extends object = Row>(question: Q, { priority = 'user', cache = true }: Ask = {}): Promise<T[]> {
		if (!cache) return this.schedule(priority, (engine) => this.questions.ask(engine, question) as Promise<T[]>, undefined, this.questions.before?.(question));
		const key = this.questions.key(question);
		// Asked by the user while a prefetch or build of it waits: it no longer waits behind builds.
		const waiting = this.queuedByKey.get(key);
		if (waiting && this.cache.computing(key) && RANK[priority] < waiting.rank) this.raise(waiting, priority);
		return this.cache.get(key, () =>
			this.schedule(priority, (engine) => this.questions.ask(engine, question), key, this.questions.before?.(question))
		) as Promise<T[]>;
	}

	/** Work that is not a question (statements): queued like one, never cached. */
	protected run<T>(priority: Priority, work: (engine: E) => Promise<T>, before?: Promise<unknown>): Promise<T> {
		return this.schedule(priority, work, undefined, before);
	}

	/**
	 * Forgets every answer that read `table` (after it changed or was deleted); pinned ones stay
	 * unless `pinned` (a deleted dataset's remembered answers).
	 */
	invalidate(table: string, { pinned = false } = {}) {
		this.cache.invalidate((key) => this.questions.reads(key, table), { pinned });
	}

	/** Resolves when no user question is waiting or running: background work waits for it. */
	idle(): Promise<void> {
		return this.userWaiting === 0 ? Promise.resolve() : new Promise((wake) => this.idleWaiters.push(wake));
	}

	/** Answers held, arrived or on their way (for tests and diagnostics). */
	get size() {
		return this.cache.size + this.cache.inFlight;
	}

	private schedule<T>(priority: Priority, work: (engine: E) => Promise<T>, key?: string, before?: Promise<unknown>): Promise<T> {
		return new Promise<T>((resolve, reject) => {
			const waiting: Waiting = {
				rank: RANK[priority],
				order: this.order++,
				user: priority === 'user',
				run: () => {
					// A newer question with the same key (asked after an invalidation) keeps its own entry.
					if (key !== undefined && this.queuedByKey.get(key) === waiting) this.queuedByKey.delete(key);
					this.running++;
					const start = performance.now();
					this.engine()
						.then(work)
						.then(resolve, reject)
						.finally(() => {
							measureAsk(start, priority, key);
							this.running--;
							if (waiting.user && --this.userWaiting === 0) this.wakeIdle();
							this.next();
						});
				}
			};
			if (waiting.user) this.userWaiting++;
			if (key !== undefined) this.queuedByKey.set(key, waiting);
			const enqueue = () => {
				this.queue.push(waiting);
				// Background work starts a task later, so the user's questions asked in the same moment
				// go first: a filter change asked the staffing load (prefetch, 200–420 ms at 1,000,000
				// calls) a few microtasks before its five views, and it held them all back (profiled).
				if (waiting.user) this.next();
				else setTimeout(() => this.next(), 0);
			};
			if (!before) return enqueue();
			// Counted as waiting meanwhile (cube builds keep behind it); a failed `before` is its answer.
			before.then(enqueue, (error: unknown) => {
				if (key !== undefined && this.queuedByKey.get(key) === waiting) this.queuedByKey.delete(key);
				if (waiting.user && --this.userWaiting === 0) this.wakeIdle();
				reject(error);
			});
		});
	}

	private raise(waiting: Waiting, priority: Priority) {
		waiting.rank = RANK[priority];
		if (priority === 'user' && !waiting.user) {
			waiting.user = true;
			this.userWaiting++;
		}
	}

	private next() {
		while (this.running < this.concurrency && this.queue.length) {
			// Highest priority first; first come, first served within one.
			let best = 0;
			for (let i = 1; i < this.queue.length; i++) {
				const a = this.queue[i]!;
				const b = this.queue[best]!;
				if (a.rank < b.rank || (a.rank === b.rank && a.order < b.order)) best = i;
			}
			this.queue.splice(best, 1)[0]!.run();
		}
	}

	private wakeIdle() {
		const waiters = this.idleWaiters;
		this.idleWaiters = [];
		waiters.forEach((wake) => wake());
	}
}

/**
 * SQL questions: keyed by text and values. Table names are generated identifiers (`ds_…`,
 * `calls_story`), matched as whole words in the SQL.
 */
export const readsTable = (sql: string, table: string) => new RegExp(`(^|[^A-Za-z0-9_])${table.replace(/[^A-Za-z0-9_]/g, '')}([^A-Za-z0-9_]|$)`).test(sql);

export const SQL_QUESTIONS: Questions<Query, Engine> = {
	key: (query) => JSON.stringify([query.sql, query.params]),
	ask: (engine, query) => engine.query(query),
	reads: (key, table) => readsTable(JSON.parse(key)[0], table)
};

/** What a statement must wait for before it reaches the engine (the tables it reads attached). */
export type SqlGate = (sql: string) => Promise<unknown> | undefined;

/** What a change to tables says about itself (`SqlCoordinator.write`). */
export interface Change {
	/** Tables whose cached answers are stale once it has run. */
	changes?: string[];
	priority?: Priority;
}

/**
 * The browser's (or Node's) DuckDB: SQL questions, and statements through the same queue.
 * `gate` holds each question and statement until what its SQL reads can be read.
 */
export class SqlCoordinator<E extends Engine = Engine> extends Coordinator<Query, E> {
	constructor(
		engine: () => Promise<E>,
		concurrency = 1,
		private readonly gate: SqlGate = () => undefined
	) {
		super(engine, { ...SQL_QUESTIONS, before: (query) => gate(query.sql) }, concurrency);
	}

	static key(query: Query): string {
		return SQL_QUESTIONS.key(query);
	}

	/** A statement (DDL, inserts): queued like a question, never cached. */
	exec(sql: string, priority: Priority = 'user'): Promise<void> {
		return this.run(priority, (engine) => engine.exec(sql), this.gate(sql));
	}

	/**
	 * A change to tables (an import, a dataset stored, attached or deleted): `work` has the
	 * engine to itself, in turn with the questions, and every cached answer read from one of
	 * `changes` is forgotten once it has run (failed too: a half-done change is a change), so
	 * the next question is asked again. Remembered (pinned) answers stay: a deleted dataset's
	 * are forgotten by its owner. Not held by the gate: a write names the tables it changes,
	 * and attaching a stored table (what the gate waits for) is itself a write.
	 */
	write<T>(work: (engine: E) => Promise<T>, { changes = [], priority = 'user' }: Change = {}): Promise<T> {
		const forget = () => changes.forEach((table) => this.invalidate(table));
		return this.run(priority, work).finally(forget);
	}

	/**
	 * The engine as a sequence of writes (the import pipeline's view of it): each statement,
	 * question and file registration is one `write`, so other questions may go between them
	 * as before, and nothing read through it is cached. A statement forgets the answers of the
	 * tables of `changes` that its SQL names (an import's staging tables are not its table), so
	 * the many statements of an import do not each look through the cache.
	 */
	writer(changes: string[] = []): Engine {
		const write = <T>(sql: string | null, work: (engine: E) => Promise<T>) =>
			this.write(work, { changes: sql === null ? [] : changes.filter((table) => readsTable(sql, table)) });
		return {
			dialect: 'duckdb',
			exec: (sql) => write(sql, (engine) => engine.exec(sql)),
			query: <T extends object = Row>(query: Query) => write(query.sql, (engine) => engine.query<T>(query)),
			registerText: (name, text) => write(null, (engine) => engine.registerText(name, text)),
			registerBuffer: (name, bytes) => write(null, (engine) => engine.registerBuffer(name, bytes)),
			exportTable: (table) => write(null, (engine) => engine.exportTable(table)),
			importTable: (table, bytes) => write(table, (engine) => engine.importTable(table, bytes)),
			dropFile: (name) => write(null, (engine) => engine.dropFile(name))
		};
	}
}
