/**
 * Failed sign-ins counted per key (a user name, a client address) over a sliding window: past
 * `max` failures within `windowMs`, the key must wait until the oldest of them leaves the window.
 */
export interface FailureWindow {
	max: number;
	windowMs: number;
}

/** Keys beyond this many are dropped oldest first (guessed names never fill the memory). */
const MOST_KEYS = 50_000;

export class FailureLimit {
	private readonly failures = new Map<string, number[]>();

	constructor(
		readonly window: FailureWindow,
		private readonly clock: () => number = Date.now
	) {}

	/** Milliseconds `key` must wait before its next try; 0 when it may try now. */
	waitMs(key: string): number {
		const recent = this.recent(key);
		return recent.length < this.window.max ? 0 : recent[recent.length - this.window.max]! + this.window.windowMs - this.clock();
	}

	fail(key: string) {
		const recent = [...this.recent(key), this.clock()].slice(-this.window.max);
		this.failures.delete(key);
		if (this.failures.size >= MOST_KEYS) this.failures.delete(this.failures.keys().next().value!);
		this.failures.set(key, recent);
	}

	/** Takes back one failure (a try counted before it was known to succeed). */
	forgiveOne(key: string) {
		const recent = this.recent(key);
		if (recent.length > 1) this.failures.set(key, recent.slice(0, -1));
		else this.failures.delete(key);
	}

	clear(key: string) {
		this.failures.delete(key);
	}

	private recent(key: string): number[] {
		const since = this.clock() - this.window.windowMs;
		const recent = (this.failures.get(key) ?? []).filter((t) => t > since);
		if (recent.length) this.failures.set(key, recent);
		else this.failures.delete(key);
		return recent;
	}
}
