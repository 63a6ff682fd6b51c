import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { nativeEngine } from '$lib/engine/native';
import { startLive, type Live } from '$lib/server/live';
import { startServer } from '$lib/server/http';
import { openStore } from '$lib/server/store';
import { parseQueueTargets, serviceStanding, abandonStanding, type WallboardSnapshot } from '$lib/metrics/wallboard';
import { refWallboard } from '../reference/wallboard';
import { logDays } from './live-day';
import { metrics } from './cli-run';

const dir = mkdtempSync(join(tmpdir(), 'holdline-live-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const day = logDays({ rows: 900, seed: 23, start: '2024-03-04' });
const texts = day.lines.map((l) => l.text);
const at = (hhmmss: string) => Date.parse(`2024-03-04T${hhmmss}Z`) / 1000;
const upTo = (t: number) => texts.filter((l) => Number(l.split('|')[0]) <= t);

async function withLive<T>(path: string, settings: { clock: () => number; targets?: unknown }, work: (live: Live) => Promise<T>): Promise<T> {
	const instance = await DuckDBInstance.create(':memory:');
	const connection = await nativeEngine(instance);
	const live = await startLive(connection, {
		path,
		utcOffsetSeconds: 0,
		pollMs: 3_600_000,
		refreshMs: 3_600_000,
		clock: settings.clock,
		targets: settings.targets ? parseQueueTargets(settings.targets) : undefined
	});
	try {
		await live.ready;
		return await work(live);
	} finally {
		await live.close();
		connection.close();
		instance.closeSync();
	}
}

describe('the wallboard’s numbers', () => {
	const targets = { default: { percent: 80, thresholdS: 20 }, queues: { q2: { percent: 90, thresholdS: 30 } } };
	const threshold = (q: string) => (q === 'q2' ? 30 : 20);

	it.each(['09:07:30', '12:10:00', '16:45:10'])('match the reference at %s', async (time) => {
		const now = at(time);
		const path = join(dir, `numbers-${time.replace(/:/g, '')}`);
		writeFileSync(path, upTo(now).join('\n') + '\n');
		const snapshot = await withLive(path, { clock: () => now * 1000, targets }, async (live) => live.snapshot()!);
		const reference = refWallboard(texts, now, threshold);
		expect(snapshot.queues.map((q) => q.queue)).toEqual([...reference.keys()]);
		for (const board of snapshot.queues) {
			const ref = reference.get(board.queue)!;
			expect(board.target.thresholdS).toBe(threshold(board.queue));
			expect({ waiting: board.waiting, longestSince: board.longestSince }).toEqual({ waiting: ref.waiting, longestSince: ref.longestSince });
			for (const w of ['today', 'last60', 'last15'] as const) {
				const got = board.windows[w];
				expect({ ...got, serviceLevel: null, abandonRate: null }).toEqual({ ...ref[w], serviceLevel: null, abandonRate: null });
				for (const key of ['serviceLevel', 'abandonRate'] as const) {
					if (ref[w][key] === null) expect(got[key]).toBeNull();
					else expect(got[key]).toBeCloseTo(ref[w][key]!, 9);
				}
			}
			for (const key of ['asaS', 'ahtS'] as const) {
				if (ref[key] === null) expect(board[key]).toBeNull();
				else expect(board[key]).toBeCloseTo(ref[key]!, 9);
			}
			expect({ available: board.agents.available, onCall: board.agents.onCall, paused: board.agents.paused }).toEqual(ref.agents);
			expect(board.agents.wrapUp).toBe(0);
		}
		// Something is being measured at each of these times.
		expect(snapshot.queues.some((q) => q.windows.last15.offered > 0)).toBe(true);
		expect(snapshot.agents.length).toBeGreaterThan(0);
		if (time === '12:10:00') expect(snapshot.agents.some((a) => a.state === 'paused' && a.reason === 'lunch')).toBe(true);
	});

	it('colours a service level and an abandon rate against the target, amber within 5 points', () => {
		const t = { percent: 80, thresholdS: 20, wrapUpS: 0 };
		expect([0.8, 0.76, 0.75, 0.7499, null].map((v) => serviceStanding(v, t))).toEqual(['green', 'amber', 'amber', 'red', 'none']);
		expect([0.2, 0.25, 0.2501, null].map((v) => abandonStanding(v, t))).toEqual(['green', 'amber', 'red', 'none']);
	});

	it('refuses a targets file with a field it does not know, naming it', () => {
		expect(() => parseQueueTargets({ queues: { q1: { percent: 120 } } })).toThrow(/queues\."q1"\.percent/);
		expect(() => parseQueueTargets({ deafult: {} })).toThrow(/deafult: unknown field/);
		expect(parseQueueTargets({ queues: { q1: { thresholdS: 10 } } }).queues.q1).toEqual({ percent: 80, thresholdS: 10, wrapUpS: 0 });
	});
});

describe('a simulated run of three days fed fast', () => {
	it('keeps one day: the events, calls, agent spans and events sent stay bounded', async () => {
		const days = logDays({ rows: 2400, seed: 5, start: '2024-03-04', callsPerDay: 800 });
		const path = join(dir, 'days');
		writeFileSync(path, '');
		const dayOf = (l: { time: number }) => Math.floor(l.time / 86_400);
		const byDay = new Map<number, typeof days.lines>();
		for (const l of days.lines) byDay.set(dayOf(l), [...(byDay.get(dayOf(l)) ?? []), l]);
		let now = 0;
		const sizes: { events: number; calls: number; spans: number; waiting: number; kept: number; dayEvents: number; dayCalls: number }[] = [];
		await withLive(path, { clock: () => now * 1000 }, async (live) => {
			for (const [d, lines] of byDay) {
				// Fed in runs of 400 lines, each one settled (read, assembled, sent).
				for (let i = 0; i < lines.length; i += 400) {
					const run = lines.slice(i, i + 400);
					now = run.at(-1)!.time;
					appendFileSync(path, run.map((l) => l.text).join('\n') + '\n');
					await live.settled();
				}
				const dayCalls = days.calls.filter((c) => Math.floor(c.arrival / 86_400) === d).length;
				sizes.push({
					events: live.calls.events,
					calls: live.dataset.rows,
					spans: live.state.sizes.agentSpans,
					waiting: live.state.sizes.waiting,
					kept: live.stream.size.kept,
					dayEvents: lines.filter((l) => l.text.split('|')[1] !== 'NONE').length,
					dayCalls
				});
			}
		});
		expect(sizes).toHaveLength(3);
		for (const s of sizes) {
			// Only the day's own calls and events (none of the day before), and at most 16 events kept to send.
			expect(s.calls).toBe(s.dayCalls);
			expect(s.events).toBe(s.dayEvents);
			expect(s.waiting).toBe(0);
			expect(s.kept).toBeLessThanOrEqual(16);
		}
		// The agents' spans of a day, not of every day so far.
		expect(sizes[2]!.spans).toBeLessThan(sizes[0]!.spans * 1.5);
	}, 120_000);
});

/** A Server-Sent Events connection read event by event (waits for the bytes, never sleeps). */
function openStream(url: string, lastEventId?: number) {
	const events: { id?: number; event?: string; data: string; comment?: string }[] = [];
	const waiters: (() => void)[] = [];
	let buffer = '';
	let response: IncomingMessage | null = null;
	const request = get(url, { headers: lastEventId === undefined ? {} : { 'Last-Event-ID': String(lastEventId) } }, (res) => {
		response = res;
		res.setEncoding('utf8');
		res.on('data', (chunk: string) => {
			buffer += chunk;
			let cut: number;
			while ((cut = buffer.indexOf('\n\n')) >= 0) {
				const block = buffer.slice(0, cut);
				buffer = buffer.slice(cut + 2);
				const e: (typeof events)[number] = { data: '' };
				for (const line of block.split('\n')) {
					if (line.startsWith(':')) e.comment = line.slice(1).trim();
					else if (line.startsWith('id: ')) e.id = Number(line.slice(4));
					else if (line.startsWith('event: ')) e.event = line.slice(7);
					else if (line.startsWith('data: ')) e.data += line.slice(6);
				}
				events.push(e);
				for (const w of waiters.splice(0)) w();
			}
		});
	});
	let read = 0;
	const next = async (match: (e: (typeof events)[number]) => boolean) => {
		for (;;) {
			while (read < events.length) {
				const e = events[read++]!;
				if (match(e)) return e;
			}
			await new Promise<void>((resolve) => waiters.push(resolve));
		}
	};
	return {
		nextSnapshot: async () => {
			const e = await next((e) => e.event === 'snapshot');
			return { id: e.id!, snapshot: JSON.parse(e.data) as WallboardSnapshot };
		},
		heartbeat: () => next((e) => e.comment === 'heartbeat'),
		headers: () => (response as IncomingMessage | null)?.headers,
		close: () => request.destroy()
	};
}

describe('the server’s live events', () => {
	it('streams snapshots with ids, catches up from Last-Event-ID, beats, and answers views of the changing dataset anew', async () => {
		const store = join(dir, 'store.duckdb');
		await openStore(store, { readOnly: false }).then((s) => s.close());
		mkdirSync(join(dir, 'sse'));
		const path = join(dir, 'sse', 'queue_log');
		const now = at('10:30:00');
		writeFileSync(path, upTo(now).join('\n') + '\n');
		const server = await startServer({
			engine: `duckdb:${store}`,
			app: null,
			host: '127.0.0.1',
			port: 0,
			follow: { path, utcOffsetSeconds: 0, pollMs: 3_600_000, refreshMs: 3_600_000, heartbeatMs: 25, clock: () => (now + 5) * 1000 }
		});
		try {
			const live = server.live!;
			await live.ready;
			const listed = (await (await fetch(`${server.url}/api/datasets`)).json()) as { datasets: { id: string; name: string; rows: number }[] };
			expect(listed.datasets[0]).toMatchObject({ id: live.dataset.id, name: 'live: queue_log', rows: live.dataset.rows });
			const summary = async () => {
				const response = await fetch(`${server.url}/api/view`, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json' },
					body: JSON.stringify({ dataset: live.dataset.id, view: 'summary', filter: {}, settings: {} })
				});
				return ((await response.json()) as { rows: { volume: number }[] }).rows[0]!.volume;
			};
			const before = await summary();
			expect(before).toBe(live.dataset.rows);
			expect(await summary()).toBe(before); // remembered

			const stream = openStream(`${server.url}/api/live/events`);
			const first = await stream.nextSnapshot();
			expect(stream.headers()?.['content-type']).toMatch(/^text\/event-stream/);
			const waitingAt = (s: WallboardSnapshot) => s.queues.find((q) => q.queue === 'q1')!.waiting;
			// A caller enters q1: the next event says one more waits.
			appendFileSync(path, `${now + 1}|live-1|q1|NONE|ENTERQUEUE||13800000000|1\n`);
			await live.settled();
			const second = await stream.nextSnapshot();
			expect(second.id).toBe(first.id + 1);
			expect(waitingAt(second.snapshot)).toBe(waitingAt(first.snapshot) + 1);
			await stream.heartbeat();
			stream.close();

			// While no page listens, the caller hangs up; a page back with the last id it saw gets just that.
			appendFileSync(path, `${now + 4}|live-1|q1|NONE|ABANDON|1|1|3\n`);
			await live.settled();
			const back = openStream(`${server.url}/api/live/events`, second.id);
			// First the state now (nobody waits), then the measures with the abandoned call in: the events after the id, in order.
			const missed = [await back.nextSnapshot()];
			while (missed.at(-1)!.snapshot.dataset.calls !== before + 1) missed.push(await back.nextSnapshot());
			expect(missed.map((m) => m.id)).toEqual(missed.map((_, k) => second.id + 1 + k));
			expect(waitingAt(missed[0]!.snapshot)).toBe(waitingAt(first.snapshot));
			back.close();
			// The view is answered anew (the abandoned call is in), not from memory.
			expect(await summary()).toBe(before + 1);
			// So does `metrics --engine` asking the running server (the store file holds none of today's calls).
			const { stdout } = await metrics('--engine', server.url, '--json');
			expect((JSON.parse(stdout) as { summary: { volume: number } }).summary.volume).toBe(before + 1);

			// An id the server no longer holds (or from before a restart): the newest snapshot only.
			const fresh = openStream(`${server.url}/api/live/events`, 999_999);
			expect((await fresh.nextSnapshot()).id).toBe(missed.at(-1)!.id);
			fresh.close();
		} finally {
			await server.close();
		}
	}, 90_000);
});
