import { RequestError } from './request';

/**
 * A few database connections shared by requests: a request takes a free one, or waits in a
 * short queue; when the queue is full it is refused at once (429), so a burst cannot pile
 * up unbounded work. A request holds its connection for at most `timeoutMs`: then its
 * statement is interrupted and it gets 503.
 */
export interface Pooled {
	interrupt(): void;
}

export class Pool<C extends Pooled> {
	private free: C[];
	private waiting: ((connection: C) => void)[] = [];
	private size: number;
	private whenIdle: (() => void)[] = [];

	constructor(
		connections: C[],
		private queueLimit: number,
		private timeoutMs: number
	) {
		this.free = [...connections];
		this.size = connections.length;
	}

	/** Resolves once no request runs or waits: background work (cube builds) yields to requests. */
	idle(): Promise<void> {
		if (this.free.length === this.size && !this.waiting.length) return Promise.resolve();
		return new Promise((resolve) => this.whenIdle.push(resolve));
	}

	/** Requests holding a connection, and waiting for one (diagnostics: a test sees a request queued). */
	get load(): { running: number; waiting: number } {
		return { running: this.size - this.free.length, waiting: this.waiting.length };
	}

	/** Runs `work` on a connection within the time limit. */
	async run<T>(work: (connection: C) => Promise<T>): Promise<T> {
		const connection = await this.acquire();
		let timer: ReturnType<typeof setTimeout> | undefined;
		const deadline = new Promise<never>((_, reject) => {
			timer = setTimeout(() => {
				// Refused first: the interrupted statement's own error must not answer instead.
				reject(new RequestError(503, 'timeout', `the query took longer than ${this.timeoutMs} ms and was stopped; narrow the filter or try again`));
				connection.interrupt();
			}, this.timeoutMs);
		});
		const running = work(connection);
		try {
			return await Promise.race([running, deadline]);
		} finally {
			clearTimeout(timer);
			// The connection is handed on only once its statement has really stopped.
			void running.catch(() => {}).finally(() => this.release(connection));
		}
	}

	private acquire(): Promise<C> {
		const connection = this.free.pop();
		if (connection) return Promise.resolve(connection);
		if (this.waiting.length >= this.queueLimit)
			return Promise.reject(
				new RequestError(429, 'busy', `the server is answering as many questions as it takes (${this.waiting.length} waiting); try again shortly`)
			);
		return new Promise((resolve) => this.waiting.push(resolve));
	}

	private release(connection: C) {
		const next = this.waiting.shift();
		if (next) next(connection);
		else this.free.push(connection);
		if (this.free.length === this.size) for (const resolve of this.whenIdle.splice(0)) resolve();
	}
}
