import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Server-Sent Events to any number of pages: each event has an `id:`, the last `keep` events
 * are kept, and a page that reconnects with `Last-Event-ID` (EventSource sends it by itself) gets
 * the kept events after that id; an id the server no longer holds (too old, or from before a
 * restart) gets the newest event only, which holds the whole state. A comment line every
 * `heartbeatMs` keeps proxies from closing a quiet connection.
 */
export interface StreamEvent {
	id: number;
	event: string;
	data: string;
}

export interface EventStreamOptions {
	keep?: number;
	heartbeatMs?: number;
	/** How long a page waits before reconnecting (the `retry:` field), ms. */
	retryMs?: number;
}

const frame = (e: StreamEvent) => `id: ${e.id}\nevent: ${e.event}\ndata: ${e.data.replace(/\n/g, '\ndata: ')}\n\n`;

export class EventStream {
	private kept: StreamEvent[] = [];
	private clients = new Set<ServerResponse>();
	private next = 1;
	private timer: ReturnType<typeof setInterval>;
	private keep: number;
	private retryMs: number;

	constructor(options: EventStreamOptions = {}) {
		this.keep = options.keep ?? 16;
		this.retryMs = options.retryMs ?? 2000;
		this.timer = setInterval(() => {
			for (const client of this.clients) client.write(': heartbeat\n\n');
		}, options.heartbeatMs ?? 15_000);
		this.timer.unref?.();
	}

	/** Sends an event to every page connected, and keeps it for the ones that reconnect. */
	publish(event: string, data: string): StreamEvent {
		const e = { id: this.next++, event, data };
		this.kept.push(e);
		if (this.kept.length > this.keep) this.kept.splice(0, this.kept.length - this.keep);
		const text = frame(e);
		for (const client of this.clients) client.write(text);
		return e;
	}

	/** The kept events a page that last saw `lastId` still needs. */
	since(lastId: number | null): StreamEvent[] {
		const newest = this.kept.at(-1);
		if (!newest) return [];
		if (lastId === null) return [newest];
		if (lastId >= newest.id) return lastId > newest.id ? [newest] : [];
		const first = this.kept[0]!;
		// The page missed events no longer kept: the newest one is the whole state.
		if (lastId < first.id - 1) return [newest];
		return this.kept.filter((e) => e.id > lastId);
	}

	/** Answers `GET` with the stream: the events missed since `Last-Event-ID` (or the newest), then each new one. */
	attach(request: IncomingMessage, response: ServerResponse): void {
		const header = request.headers['last-event-id'];
		const asked = new URL(request.url ?? '/', 'http://local').searchParams.get('lastEventId');
		const raw = (Array.isArray(header) ? header[0] : header) ?? asked;
		const lastId = raw && /^\d{1,15}$/.test(raw.trim()) ? Number(raw.trim()) : null;
		response.writeHead(200, {
			'Content-Type': 'text/event-stream; charset=utf-8',
			'Cache-Control': 'no-store',
			Connection: 'keep-alive',
			// nginx buffers a proxied response unless told not to.
			'X-Accel-Buffering': 'no',
			'X-Content-Type-Options': 'nosniff'
		});
		response.write(`retry: ${this.retryMs}\n\n`);
		for (const e of this.since(lastId)) response.write(frame(e));
		this.clients.add(response);
		const drop = () => this.clients.delete(response);
		request.on('close', drop);
		response.on('close', drop);
	}

	/** Pages connected now, and events kept (diagnostics, tests). */
	get size() {
		return { clients: this.clients.size, kept: this.kept.length };
	}

	close(): void {
		clearInterval(this.timer);
		for (const client of this.clients) client.end();
		this.clients.clear();
	}
}
