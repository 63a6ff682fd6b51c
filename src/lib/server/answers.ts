/**
 * Answers remembered by the question that asked them, least recently used dropped first past
 * `entries` answers or `bytes` of them. Only for an engine whose data cannot change while it is
 * served (a DuckDB store, opened read-only): an answer to the same question is then exact for
 * good. A question asked while the same one is being answered shares that answer; a failure is
 * not remembered (the next asker tries again).
 */
export interface MemoryLimits {
	entries: number;
	/** Answers' size as their JSON text. */
	bytes: number;
}

export class AnswerMemory<T> {
	/** In order of use, least recent first (a Map keeps insertion order). */
	private kept = new Map<string, { value: T; bytes: number }>();
	private asked = new Map<string, Promise<T>>();
	private held = 0;

	constructor(private limits: MemoryLimits) {}

	/** The remembered answer to `key`, the one being computed, or `compute`'s (then remembered). */
	get(key: string, compute: () => Promise<T>): Promise<T> {
		const found = this.kept.get(key);
		if (found) {
			this.kept.delete(key);
			this.kept.set(key, found);
			return Promise.resolve(found.value);
		}
		const flying = this.asked.get(key);
		if (flying) return flying;
		const answer = compute().then((value) => {
			this.keep(key, value);
			return value;
		});
		this.asked.set(key, answer);
		void answer.then(
			() => this.asked.delete(key),
			() => this.asked.delete(key)
		);
		return answer;
	}

	/** Whether `key`'s answer is being computed (for diagnostics). */
	computing(key: string): boolean {
		return this.asked.has(key);
	}

	/** Whether `key`'s answer is remembered (for tests and diagnostics). */
	has(key: string): boolean {
		return this.kept.has(key);
	}

	get size(): number {
		return this.kept.size;
	}

	private keep(key: string, value: T) {
		const bytes = JSON.stringify(value)?.length ?? 0;
		// An answer larger than the whole memory would only push every other answer out.
		if (bytes > this.limits.bytes) return;
		this.kept.set(key, { value, bytes });
		this.held += bytes;
		for (const [oldest, entry] of this.kept) {
			if (this.kept.size <= this.limits.entries && this.held <= this.limits.bytes) break;
			this.kept.delete(oldest);
			this.held -= entry.bytes;
		}
	}
}
