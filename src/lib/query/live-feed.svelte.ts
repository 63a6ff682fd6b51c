import type { WallboardSnapshot } from '$lib/metrics/wallboard';

/**
 * The wallboard's snapshot from the server that follows the log (`GET /api/live/events`,
 * Server-Sent Events; `server/live.ts`). Only the newest snapshot is kept: a page left open for
 * days holds one snapshot, whatever came before. EventSource reconnects by itself after a lost
 * connection and sends the last id it saw, so the server sends what was missed; meanwhile the
 * page says it is reconnecting. A server that refuses the stream (a static build: no API) is
 * asked again every `retryMs`.
 */
export type LiveConnection = 'connecting' | 'open' | 'reconnecting' | 'unavailable';

export class LiveFeed {
	snapshot = $state<WallboardSnapshot | null>(null);
	connection = $state<LiveConnection>('connecting');
	/** The server's clock minus this page's, ms: the ticking waits count from the server's time. */
	skewMs = $state(0);
	/** Snapshots received (the page's tests wait for a change). */
	received = $state(0);
	private source: EventSource | null = null;
	private retry: ReturnType<typeof setTimeout> | null = null;

	constructor(
		private url = '/api/live/events',
		private retryMs = 5000
	) {}

	start(): void {
		this.stop();
		const source = (this.source = new EventSource(this.url));
		source.onopen = () => (this.connection = 'open');
		source.onerror = () => {
			if (source.readyState === EventSource.CLOSED) {
				// Refused outright (no server, or not following): asked again later.
				this.connection = this.snapshot ? 'reconnecting' : 'unavailable';
				this.retry = setTimeout(() => this.start(), this.retryMs);
			} else this.connection = 'reconnecting';
		};
		source.addEventListener('snapshot', (event) => {
			const snapshot = JSON.parse((event as MessageEvent<string>).data) as WallboardSnapshot;
			this.skewMs = snapshot.now - Date.now();
			this.snapshot = snapshot;
			this.connection = 'open';
			this.received++;
		});
	}

	stop(): void {
		if (this.retry) clearTimeout(this.retry);
		this.retry = null;
		this.source?.close();
		this.source = null;
	}
}

/** The time now (epoch ms), ticking each second while a component uses it. */
export class Ticker {
	now = $state(Date.now());
	private timer: ReturnType<typeof setInterval> | null = null;
	start(): () => void {
		this.timer = setInterval(() => (this.now = Date.now()), 1000);
		return () => {
			if (this.timer) clearInterval(this.timer);
		};
	}
}
