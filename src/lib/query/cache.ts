/**
 * Answers kept by the key of the question that asked them: the browser's coordinator
 * (`coordinator.ts`) and the server's answers (`server/served-views.ts`) both keep theirs here.
 *   - A question asked while the same one is being answered shares that answer.
 *   - A failure is not kept: the next asker tries again.
 *   - Past `entries` answers (or `bytes` of them, as JSON text), the least recently used is
 *     dropped. Pinned answers (known before any engine starts) are never dropped nor counted.
 *   - `invalidate` forgets the answers a change made stale (the coordinator's writes name the
 *     tables they change), including one still being answered: it is then not kept.
 */
export interface CacheLimits {
	entries: number;
	/** Answers' size as their JSON text; without it answers are not measured (no `JSON.stringify` per answer). */
	bytes?: number;
}

interface Kept<T> {
	value: T;
	bytes: number;
	pinned: boolean;
}

export class AnswerCache<T> {
	/** In order of use, least recent first (a Map keeps insertion order). */
	private kept = new Map<string, Kept<T>>();
	private asked = new Map<string, Promise<T>>();
	private held = 0;
	private pinnedCount = 0;

	constructor(private readonly limits: CacheLimits) {}

	/** The kept answer to `key`, the one being computed, or `compute`'s (then kept). */
	get(key: string, compute: () => Promise<T>): Promise<T> {
		const found = this.kept.get(key);
		if (found) {
			// Used again: now the most recent.
			this.kept.delete(key);
			this.kept.set(key, found);
			return Promise.resolve(found.value);
		}
		const flying = this.asked.get(key);
		if (flying) return flying;
		const answer: Promise<T> = compute().then(
			(value) => {
				// Invalidated meanwhile (or asked anew since): the answer is stale, not kept.
				if (this.asked.get(key) !== answer) return value;
				this.asked.delete(key);
				this.keep(key, value, false);
				return value;
			},
			(error: unknown) => {
				if (this.asked.get(key) === answer) this.asked.delete(key);
				throw error;
			}
		);
		this.asked.set(key, answer);
		// A failure reaches whoever awaits the answer; a prefetch nobody awaits fails quietly.
		answer.catch(() => {});
		return answer;
	}

	/** Keeps `value` for good under `key` (answers known before any engine starts). */
	pin(key: string, value: T) {
		this.asked.delete(key);
		this.keep(key, value, true);
	}

	/** A pinned answer, synchronously (a first render uses it before any await). */
	pinned(key: string): T | undefined {
		const found = this.kept.get(key);
		return found?.pinned ? found.value : undefined;
	}

	/** Whether `key`'s answer is kept (for diagnostics). */
	has(key: string): boolean {
		return this.kept.has(key);
	}

	/** Whether `key`'s answer is being computed (for diagnostics). */
	computing(key: string): boolean {
		return this.asked.has(key);
	}

	/** The kept answers whose key `match`es, least recently used first, pinned ones included. */
	entries(match: (key: string) => boolean): [key: string, value: T][] {
		const out: [string, T][] = [];
		for (const [key, { value }] of this.kept) if (match(key)) out.push([key, value]);
		return out;
	}

	/**
	 * Forgets the answers whose key `match`es, kept or being computed; pinned ones stay unless
	 * `pinned`. Pinned ones are skipped before `match` is asked: there may be thousands.
	 */
	invalidate(match: (key: string) => boolean, { pinned = false } = {}) {
		for (const [key, entry] of [...this.kept]) {
			if ((entry.pinned && !pinned) || !match(key)) continue;
			this.drop(key, entry);
		}
		for (const key of [...this.asked.keys()]) if (match(key)) this.asked.delete(key);
	}

	/** Answers kept. */
	get size(): number {
		return this.kept.size;
	}

	/** Answers being computed. */
	get inFlight(): number {
		return this.asked.size;
	}

	private keep(key: string, value: T, pinned: boolean) {
		const bytes = this.limits.bytes === undefined ? 0 : (JSON.stringify(value)?.length ?? 0);
		// An answer larger than the whole cache would only push every other answer out.
		if (!pinned && this.limits.bytes !== undefined && bytes > this.limits.bytes) return;
		const old = this.kept.get(key);
		if (old) this.drop(key, old);
		this.kept.set(key, { value, bytes, pinned });
		if (pinned) this.pinnedCount++;
		else this.held += bytes;
		this.trim();
	}

	private drop(key: string, entry: Kept<T>) {
		this.kept.delete(key);
		if (entry.pinned) this.pinnedCount--;
		else this.held -= entry.bytes;
	}

	private trim() {
		const over = () => this.kept.size - this.pinnedCount > this.limits.entries || (this.limits.bytes !== undefined && this.held > this.limits.bytes);
		if (!over()) return;
		for (const [key, entry] of this.kept) {
			if (entry.pinned) continue;
			this.drop(key, entry);
			if (!over()) return;
		}
	}
}
