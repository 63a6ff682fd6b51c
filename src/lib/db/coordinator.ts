import type { Engine, Query, Row } from './types';

/**
 * The one path from the pages to an engine: every question goes through here, so that
 *   - identical questions share one answer (cached, and shared while in flight),
 *   - a user's question goes before prefetching and cube builds that were waiting,
 *   - answers from a table are forgotten when the table changes or is deleted.
 * An engine answers one question at a time (DuckDB-WASM has one worker; the native engine
 * one connection per page), so ordering the queue here is what decides who waits.
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

/** Oldest answers are forgotten beyond this many, pinned ones not counted (they never are). */
const CACHE_LIMIT = 200;

export class Coordinator {
	private cache = new Map<string, Promise<Row[]>>();
	private pinned = new Map<string, Row[]>();
	private queue: Waiting[] = [];
	/** Cached questions not yet started, so a user asking one a prefetch queued moves it up. */
	private queuedByKey = new Map<string, Waiting>();
	private running = 0;
	private order = 0;
	private userWaiting = 0;
	private idleWaiters: (() => void)[] = [];

	constructor(
		private engine: () => Promise<Engine>,
		private readonly concurrency = 1
	) {}

	static key(query: Query): string {
		return JSON.stringify([query.sql, query.params]);
	}

	/** Answers known before any engine starts (built with the app): kept for good. */
	pin(key: string, rows: Row[]) {
		this.pinned.set(key, rows);
		this.cache.set(key, Promise.resolve(rows));
	}

	/** A pinned answer, synchronously (the first render uses it before any await). */
	known<T extends Row>(query: Query): T[] | undefined {
		return this.pinned.get(Coordinator.key(query)) as T[] | undefined;
	}

	query<T extends Row>(query: Query, { priority = 'user', cache = true }: Ask = {}): Promise<T[]> {
		if (!cache) return this.schedule(priority, (engine) => engine.query<T>(query));
		const key = Coordinator.key(query);
		const known = this.cache.get(key);
		if (known) {
			// Used again: now the most recent; and asked by the user, it no longer waits behind builds.
			this.cache.delete(key);
			this.cache.set(key, known);
			const waiting = this.queuedByKey.get(key);
			if (waiting && RANK[priority] < waiting.rank) this.raise(waiting, priority);
			return known as Promise<T[]>;
		}
		const answer = this.schedule(priority, (engine) => engine.query<Row>(query), key);
		this.cache.set(key, answer);
		answer.catch(() => {
			if (this.cache.get(key) === answer) this.cache.delete(key); // a failure is asked again next time
		});
		this.trim();
		return answer as Promise<T[]>;
	}

	/** A statement (DDL, inserts): queued like a question, never cached. */
	exec(sql: string, priority: Priority = 'user'): Promise<void> {
		return this.schedule(priority, (engine) => engine.exec(sql));
	}

	/**
	 * Forgets every answer that read `table` (after it changed or was deleted). Table names
	 * are generated identifiers (`ds_…`, `calls_story`), matched as whole words in the SQL.
	 */
	invalidate(table: string) {
		const word = new RegExp(`(^|[^A-Za-z0-9_])${table.replace(/[^A-Za-z0-9_]/g, '')}([^A-Za-z0-9_]|$)`);
		for (const key of [...this.cache.keys()]) if (!this.pinned.has(key) && word.test(JSON.parse(key)[0])) this.cache.delete(key);
	}

	/** Resolves when no user question is waiting or running: background work waits for it. */
	idle(): Promise<void> {
		return this.userWaiting === 0 ? Promise.resolve() : new Promise((wake) => this.idleWaiters.push(wake));
	}

	/** Answers held (for tests and diagnostics). */
	get size() {
		return this.cache.size;
	}

	private schedule<T>(priority: Priority, work: (engine: Engine) => Promise<T>, key?: string): Promise<T> {
		return new Promise<T>((resolve, reject) => {
			const waiting: Waiting = {
				rank: RANK[priority],
				order: this.order++,
				user: priority === 'user',
				run: () => {
					if (key !== undefined) this.queuedByKey.delete(key);
					this.running++;
					this.engine()
						.then(work)
						.then(resolve, reject)
						.finally(() => {
							this.running--;
							if (waiting.user && --this.userWaiting === 0) this.wakeIdle();
							this.next();
						});
				}
			};
			if (waiting.user) this.userWaiting++;
			if (key !== undefined) this.queuedByKey.set(key, waiting);
			this.queue.push(waiting);
			this.next();
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

	/** Pinned answers do not count: the story's build-time answers (~450) must not crowd out the live ones. */
	private trim() {
		while (this.cache.size - this.pinned.size > CACHE_LIMIT) {
			const oldest = [...this.cache.keys()].find((k) => !this.pinned.has(k));
			if (!oldest) return;
			this.cache.delete(oldest);
		}
	}
}
