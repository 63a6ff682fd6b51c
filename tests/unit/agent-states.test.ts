/**
 * Agent states and occupancy (`metrics/agent-states.ts`) against the independent reference
 * (`tests/reference/agent-states.ts`, the state at each moment read from the rows from the top):
 * random queue_log agent events, hand-made cases with known answers, and the real FreePBX log.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { agentSummary, agentTracker, clipSpans, type AgentEvent, type AgentSpan } from '$lib/metrics/agent-states';
import { refAgentRows, refAgentSpans, refAgentTotals, refStateAt, type RefAgentRow } from '../reference/agent-states';

const AGENTS = ['SIP/101', 'SIP/102', 'Agent/7'];
const QUEUES = ['sales', 'support', 'NONE'];
const CALLS = ['c1', 'c2', 'c3'];
const VERBS = [
	'ADDMEMBER',
	'REMOVEMEMBER',
	'AGENTLOGIN',
	'AGENTLOGOFF',
	'PAUSE',
	'UNPAUSE',
	'PAUSEALL',
	'UNPAUSEALL',
	'RINGNOANSWER',
	'RINGCANCELED',
	'CONNECT',
	'COMPLETEAGENT',
	'COMPLETECALLER',
	'TRANSFER',
	'ENTERQUEUE'
];
const REASONS = ['', 'lunch', 'training', 'break'];

/** One random row: the data fields each verb carries in Asterisk's log. */
const row = fc
	.record({
		gap: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 120 })),
		agent: fc.constantFrom(...AGENTS),
		queue: fc.constantFrom(...QUEUES),
		callId: fc.constantFrom(...CALLS),
		event: fc.constantFrom(...VERBS),
		reason: fc.constantFrom(...REASONS),
		ms: fc.integer({ min: 0, max: 40_000 }),
		seconds: fc.integer({ min: 0, max: 300 })
	})
	.map(({ gap, agent, queue, callId, event, reason, ms, seconds }) => {
		const data =
			event === 'PAUSE' || event === 'PAUSEALL'
				? [reason]
				: event.startsWith('RING')
					? [String(ms)]
					: event === 'CONNECT'
						? ['5', `${callId}.1`, String(Math.floor(ms / 1000))]
						: event.startsWith('COMPLETE')
							? ['5', String(seconds), '1']
							: event === 'TRANSFER'
								? ['200', 'from-internal', '5', String(seconds), '1']
								: [];
		return { gap, row: { callId, queue: event === 'PAUSEALL' || event === 'UNPAUSEALL' ? 'NONE' : queue, agent, event, data } };
	});

const log = fc.array(row, { minLength: 1, maxLength: 60 }).map((list) => {
	let time = 1_700_000_000;
	return list.map(({ gap, row }): RefAgentRow => {
		time += gap;
		return { time, ...row };
	});
});

const WRAPS: ((queue: string) => number)[] = [() => 0, () => 15, (q) => (q === 'sales' ? 30 : 5)];

const close = (a: number, b: number) => Math.abs(a - b) < 1e-6;
function expectSameSpans(actual: AgentSpan[], expected: AgentSpan[]): void {
	expect(actual.map((s) => [s.agent, s.state, s.reason, s.queue])).toEqual(expected.map((s) => [s.agent, s.state, s.reason, s.queue]));
	actual.forEach((s, i) => {
		expect(close(s.from, expected[i]!.from) && close(s.to, expected[i]!.to)).toBe(true);
	});
}

function track(rows: RefAgentRow[], wrapSeconds: (queue: string) => number) {
	const tracker = agentTracker({ wrapSeconds });
	for (const r of rows) tracker.push(r as AgentEvent);
	return tracker;
}

describe('agent states against the reference', () => {
	it('spans: the same timeline as reading each moment from the rows', () => {
		fc.assert(
			fc.property(log, fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 600 }), (rows, w, after) => {
				const until = rows[rows.length - 1]!.time + after;
				expectSameSpans(track(rows, WRAPS[w]!).spans(until), refAgentSpans(rows, until, WRAPS[w]!));
			}),
			{ numRuns: 300 }
		);
	});

	it('summary: logged-in, available, talk, wrap-up, pause by reason, occupancy and RINGNOANSWER as the reference', () => {
		fc.assert(
			fc.property(log, fc.integer({ min: 0, max: 2 }), (rows, w) => {
				const from = rows[0]!.time - 60;
				const until = rows[rows.length - 1]!.time + 60;
				const tracker = track(rows, WRAPS[w]!);
				const actual = agentSummary(clipSpans(tracker.spans(until), from, until), tracker.ringNoAnswer());
				const expected = refAgentTotals(rows, from, until, WRAPS[w]!);
				expect(actual.map((a) => a.agent)).toEqual(expected.map((e) => e.agent));
				actual.forEach((a, i) => {
					const e = expected[i]!;
					for (const key of ['loggedInS', 'availableS', 'ringingS', 'talkS', 'wrapS', 'pausedS', 'idleS'] as const) expect(a[key]).toBeCloseTo(e[key], 6);
					expect(Object.keys(a.pausedByReason).sort()).toEqual(Object.keys(e.pausedByReason).sort());
					for (const reason of Object.keys(e.pausedByReason)) expect(a.pausedByReason[reason]).toBeCloseTo(e.pausedByReason[reason]!, 6);
					if (e.occupancy === null) expect(a.occupancy).toBeNull();
					else expect(a.occupancy).toBeCloseTo(e.occupancy, 9);
					expect(a.ringNoAnswer).toBe(e.ringNoAnswer);
				});
			}),
			{ numRuns: 200 }
		);
	});

	it('now: the state at a moment from the events written up to it, as the reference', () => {
		fc.assert(
			fc.property(log, fc.integer({ min: 0, max: 2 }), fc.nat(), fc.integer({ min: 0, max: 100 }), (rows, w, cut, after) => {
				const prefix = rows.slice(0, (cut % rows.length) + 1);
				const at = prefix[prefix.length - 1]!.time + after;
				const seen = prefix.filter((r) => r.time <= at);
				const now = track(seen, WRAPS[w]!).now(at);
				const agents = [...new Set(seen.map((r) => r.agent))].sort((a, b) => a.localeCompare(b));
				expect(now.map((n) => n.agent)).toEqual(agents);
				for (const n of now) {
					const mine = seen.filter((r) => r.agent === n.agent);
					const expected = refStateAt(mine, at, WRAPS[w]!);
					expect([n.state, n.reason]).toEqual([expected.state, expected.reason]);
					expect(n.queues).toEqual(expected.queues);
					// since: the start of the last span up to `at` when it is the same state
					const spans = refAgentSpans(seen, at, WRAPS[w]!).filter((s) => s.agent === n.agent);
					const last = spans[spans.length - 1];
					const same = last && close(last.to, at) && last.state === expected.state && last.reason === expected.reason && last.queue === expected.queue;
					expect(close(n.since, same ? last.from : at)).toBe(true);
				}
			}),
			{ numRuns: 200 }
		);
	});
});

describe('agent states: worked cases', () => {
	const ev = (time: number, agent: string, event: string, data: string[] = [], callId = 'NONE', queue = 'sales'): AgentEvent => ({
		time,
		agent,
		event,
		data,
		callId,
		queue
	});

	it('a shift: login, a call with ringing and wrap-up, a pause with reason, logout', () => {
		const tracker = agentTracker({ wrapSeconds: 10 });
		[
			ev(0, 'a', 'ADDMEMBER'),
			ev(100, 'a', 'RINGNOANSWER', ['5000'], 'c1'),
			ev(110, 'a', 'CONNECT', ['20', 'x', '3'], 'c1'),
			ev(170, 'a', 'COMPLETEAGENT', ['20', '60', '1'], 'c1'),
			ev(200, 'a', 'PAUSE', ['lunch']),
			ev(300, 'a', 'UNPAUSE'),
			ev(400, 'a', 'REMOVEMEMBER')
		].forEach((e) => tracker.push(e));
		expect(tracker.spans(500).map((s) => [s.state, s.from, s.to, s.reason])).toEqual([
			['available', 0, 95, null],
			['ringing', 95, 100, null],
			['available', 100, 107, null],
			['ringing', 107, 110, null],
			['on_call', 110, 170, null],
			['wrap_up', 170, 180, null],
			['available', 180, 200, null],
			['paused', 200, 300, 'lunch'],
			['available', 300, 400, null],
			['logged_out', 400, 500, null]
		]);
		const [s] = agentSummary(tracker.spans(500), tracker.ringNoAnswer());
		expect(s).toMatchObject({ loggedInS: 400, availableS: 222, ringingS: 8, talkS: 60, wrapS: 10, pausedS: 100, idleS: 230, ringNoAnswer: 1 });
		expect(s!.occupancy).toBeCloseTo(70 / 300, 12);
		expect(tracker.now(175)[0]).toMatchObject({ state: 'wrap_up', since: 170, callsToday: 1, talkSecondsToday: 60, queues: ['sales'] });
	});

	it('wrap-up is cut short by the next event, and a pause in one of two queues pauses the agent', () => {
		const tracker = agentTracker({ wrapSeconds: (q) => (q === 'sales' ? 60 : 0) });
		[
			ev(0, 'a', 'ADDMEMBER', [], 'NONE', 'sales'),
			ev(0, 'a', 'ADDMEMBER', [], 'NONE', 'support'),
			ev(10, 'a', 'CONNECT', ['1', 'x', ''], 'c1'),
			ev(20, 'a', 'COMPLETECALLER', ['1', '10', '1'], 'c1'),
			ev(30, 'a', 'PAUSE', ['break'], 'NONE', 'support'),
			ev(40, 'a', 'REMOVEMEMBER', [], 'NONE', 'support'),
			ev(50, 'a', 'REMOVEMEMBER', [], 'NONE', 'sales')
		].forEach((e) => tracker.push(e));
		expect(tracker.spans(60).map((s) => [s.state, s.from, s.to, s.reason, s.queue])).toEqual([
			['available', 0, 10, null, null],
			['on_call', 10, 20, null, 'sales'],
			['wrap_up', 20, 30, null, 'sales'],
			['paused', 30, 40, 'break', 'support'],
			['available', 40, 50, null, null],
			['logged_out', 50, 60, null, null]
		]);
	});

	it('a log that starts mid-call: the call starts calltime before its COMPLETE', () => {
		const tracker = agentTracker();
		tracker.push(ev(1000, 'a', 'COMPLETEAGENT', ['3', '45', '1'], 'c9'));
		expect(tracker.spans(1000).map((s) => [s.state, s.from, s.to])).toEqual([['on_call', 955, 1000]]);
	});

	it('forget keeps the wallboard to today: older closed spans go, the state now stays', () => {
		const tracker = agentTracker();
		tracker.push(ev(0, 'a', 'ADDMEMBER'));
		tracker.push(ev(10, 'a', 'CONNECT', ['1', 'x', ''], 'c1'));
		tracker.push(ev(20, 'a', 'COMPLETEAGENT', ['1', '10', '1'], 'c1'));
		tracker.push(ev(86_400 + 5, 'a', 'PAUSE', ['lunch']));
		tracker.forget(86_400);
		expect(tracker.spans(86_400 + 10).filter((s) => s.state === 'on_call')).toEqual([]);
		expect(tracker.now(86_400 + 10)[0]).toMatchObject({ state: 'paused', reason: 'lunch', since: 86_405, callsToday: 0, talkSecondsToday: 0 });
	});
});

describe('agent states on the real FreePBX queue_log', () => {
	const text = readFileSync(new URL('../fixtures/real/queue_log-freepbx-2010.txt', import.meta.url), 'utf8');
	const rows = refAgentRows(text);
	const until = rows[rows.length - 1]!.time;

	it('has agent events (RINGNOANSWER, CONNECT, COMPLETE*) but no logins: static members', () => {
		expect(rows.filter((r) => r.event === 'RINGNOANSWER').length).toBe(221);
		expect(rows.some((r) => r.event === 'ADDMEMBER' || r.event === 'PAUSE')).toBe(false);
	});

	it('spans and summary match the reference', () => {
		const tracker = agentTracker();
		for (const r of rows) tracker.push(r as AgentEvent);
		expectSameSpans(tracker.spans(until), refAgentSpans(rows, until));
		const summary = agentSummary(tracker.spans(until), tracker.ringNoAnswer());
		const expected = refAgentTotals(rows, rows[0]!.time, until);
		expect(summary.map((s) => [s.agent, s.talkS, s.ringingS, s.occupancy])).toEqual(expected.map((e) => [e.agent, e.talkS, e.ringingS, e.occupancy]));
		// RINGNOANSWER rows of the whole log (the reference counts those before `until`: the last second's too with until + 1)
		const counted = refAgentTotals(rows, rows[0]!.time, until + 1);
		expect(summary.map((s) => [s.agent, s.ringNoAnswer])).toEqual(counted.map((e) => [e.agent, e.ringNoAnswer]));
		expect(summary.reduce((n, s) => n + s.ringNoAnswer, 0)).toBe(221);
		// Local/2004 took every answered call: its talk time is the calls' calltimes (the last one still in progress at the log's end).
		const agent2004 = summary.find((s) => s.agent === 'Local/2004@from-internal/n')!;
		expect(agent2004.talkS).toBeGreaterThan(0);
		expect(summary.every((s) => s.occupancy === null)).toBe(true);
	});
});
