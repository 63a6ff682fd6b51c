/**
 * Agents' states over time from Asterisk `queue_log` agent events (pure TypeScript, no engine):
 * the live wallboard pushes events as they are written, imported history pushes them in order.
 * Every rule below is documented in docs/metrics.md ("Agent states and occupancy").
 *
 * Per agent (events naming agent NONE or nothing are not an agent's):
 * - Logged in while a member of any queue: ADDMEMBER / AGENTLOGIN / AGENTCALLBACKLOGIN open a
 *   membership of the event's queue, REMOVEMEMBER / AGENTLOGOFF / AGENTCALLBACKLOGOFF close it.
 *   One whose queue is NONE (or empty) is the agent's as a whole: a login opens a membership
 *   of its own, a logoff closes every one.
 * - Paused while a pause is open in any queue: PAUSE opens one for its queue with data1 as the
 *   reason (empty = none), PAUSEALL (or a PAUSE with queue NONE) one for every queue; UNPAUSE
 *   closes its queue's, UNPAUSEALL (or an UNPAUSE with queue NONE) every one. Leaving a queue ends
 *   its pause; leaving the last queue ends every pause. The reason shown is the latest open pause's.
 * - On a call from CONNECT to the call's COMPLETEAGENT / COMPLETECALLER / TRANSFER /
 *   BLINDTRANSFER / ATTENDEDTRANSFER (matched by call id). An end whose CONNECT was not seen
 *   (the log starts mid-call) starts the call at its time − calltime (COMPLETE*'s data2, a
 *   transfer's data4).
 * - Ringing for RINGNOANSWER / RINGCANCELED's data1 milliseconds before the event, and for
 *   CONNECT's data3 seconds (ringtime) before it.
 * - Wrap-up after each call's end for the queue's wrap-up seconds (a setting, queue_log does not
 *   log it; default 0), cut short by the agent's next event.
 * - The state at a moment, first that holds: on_call, ringing, logged_out (no membership),
 *   paused, wrap_up, available. Intervals are half-open [from, to).
 */

export interface AgentEvent {
	/** epoch seconds, UTC */
	time: number;
	callId: string;
	queue: string;
	agent: string;
	/** queue_log verb */
	event: string;
	/** data1… */
	data: string[];
}

export type AgentState = 'available' | 'ringing' | 'on_call' | 'wrap_up' | 'paused' | 'logged_out';

export const AGENT_STATES: readonly AgentState[] = ['available', 'ringing', 'on_call', 'wrap_up', 'paused', 'logged_out'];

export interface AgentSpan {
	agent: string;
	state: AgentState;
	from: number;
	to: number;
	reason: string | null;
	queue: string | null;
}

export interface AgentNow {
	agent: string;
	state: AgentState;
	since: number;
	reason: string | null;
	callsToday: number;
	talkSecondsToday: number;
	queues: string[];
}

export interface AgentTrackerOptions {
	/** Wrap-up seconds after a call, for all queues or per queue (default 0). */
	wrapSeconds?: number | ((queue: string) => number);
	/** Start of the day holding `at` (epoch seconds) for the "today" counts; default UTC midnight. */
	dayStart?: (at: number) => number;
}

export interface AgentTracker {
	push(e: AgentEvent): void;
	/** Every agent seen, its state at `at` (events up to `at` pushed). */
	now(at: number): AgentNow[];
	/** Every agent's spans from its first event up to `until`, in order; open states end at `until`. */
	spans(until: number): AgentSpan[];
	/** RINGNOANSWER events per agent. */
	ringNoAnswer(): Map<string, number>;
	/** Drop what ended before `before` (a wallboard running for days keeps only today). */
	forget(before: number): void;
}

/** The queue_log verbs the tracker reads (anything else naming an agent only cuts wrap-up short). */
export const AGENT_VERBS = {
	login: ['ADDMEMBER', 'AGENTLOGIN', 'AGENTCALLBACKLOGIN'],
	logout: ['REMOVEMEMBER', 'AGENTLOGOFF', 'AGENTCALLBACKLOGOFF'],
	pause: ['PAUSE', 'PAUSEALL'],
	unpause: ['UNPAUSE', 'UNPAUSEALL'],
	ring: ['RINGNOANSWER', 'RINGCANCELED'],
	connect: ['CONNECT'],
	end: ['COMPLETEAGENT', 'COMPLETECALLER', 'TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER']
} as const;

/** Every verb the tracker reads (an import keeps every row naming an agent: `imports/agent-events.ts`). */
export const AGENT_EVENT_VERBS: readonly string[] = Object.values(AGENT_VERBS).flat();

const is = (kind: keyof typeof AGENT_VERBS, verb: string) => (AGENT_VERBS[kind] as readonly string[]).includes(verb);

/** A queue name that means "the agent as a whole". */
const ALL = '*';
const wholeAgent = (queue: string) => queue === '' || queue === 'NONE';
const numberOr = (text: string | undefined): number | null => {
	if (text === undefined || text.trim() === '') return null;
	const n = Number(text);
	return Number.isFinite(n) ? n : null;
};

type Kind = 'member' | 'pause' | 'call' | 'ring' | 'wrap';
interface Interval {
	kind: Kind;
	from: number;
	/** null while open */
	to: number | null;
	queue: string | null;
	reason: string | null;
	/** push order, to break ties between pauses opened at the same second */
	order: number;
}

interface AgentRecord {
	agent: string;
	first: number;
	closed: Interval[];
	members: Map<string, Interval>;
	pauses: Map<string, Interval>;
	calls: Map<string, Interval>;
	/** the last call's wrap-up, still to be cut short by the next event */
	wrap: Interval | null;
	/** CONNECT times (for the calls of the day) */
	connects: number[];
	ringNoAnswer: number;
}

const utcMidnight = (at: number) => Math.floor(at / 86_400) * 86_400;

export function agentTracker(options: AgentTrackerOptions = {}): AgentTracker {
	const wrapOf =
		typeof options.wrapSeconds === 'function'
			? options.wrapSeconds
			: (
					(w: number) => () =>
						w
				)(options.wrapSeconds ?? 0);
	const dayStart = options.dayStart ?? utcMidnight;
	const agents = new Map<string, AgentRecord>();
	let order = 0;

	const record = (agent: string, time: number): AgentRecord => {
		let r = agents.get(agent);
		if (!r) {
			r = { agent, first: time, closed: [], members: new Map(), pauses: new Map(), calls: new Map(), wrap: null, connects: [], ringNoAnswer: 0 };
			agents.set(agent, r);
		}
		return r;
	};
	const open = (kind: Kind, from: number, queue: string | null, reason: string | null = null): Interval => ({
		kind,
		from,
		to: null,
		queue,
		reason,
		order: order++
	});
	const close = (r: AgentRecord, i: Interval, at: number) => {
		i.to = at;
		if (at > i.from) r.closed.push(i);
	};
	const closed = (r: AgentRecord, kind: Kind, from: number, to: number, queue: string | null) => {
		if (to > from) r.closed.push({ kind, from, to, queue, reason: null, order: order++ });
		r.first = Math.min(r.first, from);
	};
	const closeAll = (r: AgentRecord, map: Map<string, Interval>, at: number) => {
		for (const i of map.values()) close(r, i, at);
		map.clear();
	};

	function push(e: AgentEvent): void {
		const agent = e.agent.trim();
		if (agent === '' || agent === 'NONE') return;
		const verb = e.event.trim().toUpperCase();
		const queue = e.queue.trim();
		const t = e.time;
		const r = record(agent, t);
		// Any event of the agent ends the last call's wrap-up.
		if (r.wrap) {
			if (r.wrap.to! > t) r.wrap.to = t;
			if (r.wrap.to! > r.wrap.from) r.closed.push(r.wrap);
			r.wrap = null;
		}
		if (is('login', verb)) {
			const key = wholeAgent(queue) ? ALL : queue;
			if (!r.members.has(key)) r.members.set(key, open('member', t, wholeAgent(queue) ? null : queue));
		} else if (is('logout', verb)) {
			if (wholeAgent(queue)) closeAll(r, r.members, t);
			else {
				const m = r.members.get(queue);
				if (m) close(r, m, t);
				r.members.delete(queue);
				const p = r.pauses.get(queue);
				if (p) close(r, p, t);
				r.pauses.delete(queue);
			}
			if (r.members.size === 0) closeAll(r, r.pauses, t);
		} else if (is('pause', verb)) {
			const key = verb === 'PAUSEALL' || wholeAgent(queue) ? ALL : queue;
			const reason = (e.data[0] ?? '').trim();
			// A pause again with another reason is a new pause (the reason changed).
			const current = r.pauses.get(key);
			if (current) close(r, current, t);
			r.pauses.set(key, open('pause', t, key === ALL ? null : queue, reason === '' ? null : reason));
		} else if (is('unpause', verb)) {
			if (verb === 'UNPAUSEALL' || wholeAgent(queue)) closeAll(r, r.pauses, t);
			else {
				const p = r.pauses.get(queue);
				if (p) close(r, p, t);
				r.pauses.delete(queue);
			}
		} else if (is('ring', verb)) {
			if (verb === 'RINGNOANSWER') r.ringNoAnswer++;
			const ms = numberOr(e.data[0]);
			if (ms !== null && ms > 0) closed(r, 'ring', t - ms / 1000, t, queue);
		} else if (is('connect', verb)) {
			const ring = numberOr(e.data[2]);
			if (ring !== null && ring > 0) closed(r, 'ring', t - ring, t, queue);
			if (!r.calls.has(e.callId)) {
				r.calls.set(e.callId, open('call', t, queue));
				r.connects.push(t);
			}
		} else if (is('end', verb)) {
			const call = r.calls.get(e.callId);
			if (call) {
				close(r, call, t);
				r.calls.delete(e.callId);
			} else {
				const talk = numberOr(verb.startsWith('COMPLETE') ? e.data[1] : e.data[3]);
				if (talk !== null && talk > 0) closed(r, 'call', t - talk, t, queue);
			}
			const wrap = wrapOf(queue);
			if (wrap > 0) r.wrap = { kind: 'wrap', from: t, to: t + wrap, queue, reason: null, order: order++ };
		}
	}

	/** The agent's intervals with open ones ended at `until`, none starting at or after it. */
	function intervalsOf(r: AgentRecord, until: number): Interval[] {
		const all: Interval[] = [];
		const add = (i: Interval, to: number) => {
			const end = Math.min(to, until);
			if (i.from < end) all.push({ ...i, to: end });
		};
		for (const i of r.closed) add(i, i.to!);
		for (const map of [r.members, r.pauses, r.calls]) for (const i of map.values()) add(i, until);
		if (r.wrap) add(r.wrap, r.wrap.to!);
		return all;
	}

	/** Spans of one agent: a sweep over its intervals' ends, each stretch's state by precedence. */
	function agentSpans(r: AgentRecord, until: number): AgentSpan[] {
		const intervals = intervalsOf(r, until);
		const start = Math.min(r.first, ...intervals.map((i) => i.from));
		if (!(start < until)) return [];
		const points = new Set<number>([start, until]);
		for (const i of intervals) {
			points.add(i.from);
			points.add(i.to!);
		}
		const times = [...points].filter((p) => p >= start && p <= until).sort((a, b) => a - b);
		const starts = [...intervals].sort((a, b) => a.from - b.from);
		const active = new Set<Interval>();
		const spans: AgentSpan[] = [];
		let next = 0;
		for (let k = 0; k + 1 < times.length; k++) {
			const from = times[k]!;
			const to = times[k + 1]!;
			for (const i of active) if (i.to! <= from) active.delete(i);
			while (next < starts.length && starts[next]!.from <= from) {
				const i = starts[next++]!;
				if (i.to! > from) active.add(i);
			}
			const { state, reason, queue } = stateOf(active);
			const last = spans[spans.length - 1];
			if (last && last.to === from && last.state === state && last.reason === reason && last.queue === queue) last.to = to;
			else spans.push({ agent: r.agent, state, from, to, reason, queue });
		}
		return spans;
	}

	function now(at: number): AgentNow[] {
		const day = dayStart(at);
		const out: AgentNow[] = [];
		for (const r of agents.values()) {
			if (r.first > at) continue;
			const intervals = intervalsOf(r, Infinity).filter((i) => i.from <= at && at < i.to!);
			const { state, reason, queue } = stateOf(new Set(intervals));
			const spans = agentSpans(r, at);
			const last = spans[spans.length - 1];
			const since = last && last.to === at && last.state === state && last.reason === reason && last.queue === queue ? last.from : at;
			let talk = 0;
			for (const i of intervalsOf(r, at)) if (i.kind === 'call') talk += Math.max(0, i.to! - Math.max(i.from, day));
			out.push({
				agent: r.agent,
				state,
				since,
				reason,
				callsToday: r.connects.filter((c) => c >= day && c <= at).length,
				talkSecondsToday: talk,
				queues: [...new Set(intervals.filter((i) => i.kind === 'member' && i.queue !== null).map((i) => i.queue!))].sort()
			});
		}
		return out.sort((a, b) => a.agent.localeCompare(b.agent));
	}

	function spans(until: number): AgentSpan[] {
		return [...agents.values()].sort((a, b) => a.agent.localeCompare(b.agent)).flatMap((r) => agentSpans(r, until));
	}

	function ringNoAnswer(): Map<string, number> {
		return new Map([...agents.values()].map((r) => [r.agent, r.ringNoAnswer]));
	}

	function forget(before: number): void {
		for (const r of agents.values()) {
			r.closed = r.closed.filter((i) => i.to! > before);
			r.connects = r.connects.filter((c) => c >= before);
			r.first = Math.max(r.first, before);
		}
	}

	return { push, now, spans, ringNoAnswer, forget };
}

/** The state a set of intervals covering one moment gives (precedence in the module's comment). */
function stateOf(active: Iterable<Interval>): { state: AgentState; reason: string | null; queue: string | null } {
	let call: Interval | null = null;
	let ring: Interval | null = null;
	let pause: Interval | null = null;
	let wrap: Interval | null = null;
	let member = false;
	const later = (a: Interval | null, b: Interval) => (!a || b.from > a.from || (b.from === a.from && b.order > a.order) ? b : a);
	for (const i of active) {
		if (i.kind === 'call') call = later(call, i);
		else if (i.kind === 'ring') ring = later(ring, i);
		else if (i.kind === 'pause') pause = later(pause, i);
		else if (i.kind === 'wrap') wrap = later(wrap, i);
		else member = true;
	}
	if (call) return { state: 'on_call', reason: null, queue: call.queue };
	if (ring) return { state: 'ringing', reason: null, queue: ring.queue };
	if (!member) return { state: 'logged_out', reason: null, queue: null };
	if (pause) return { state: 'paused', reason: pause.reason, queue: pause.queue };
	if (wrap) return { state: 'wrap_up', reason: null, queue: wrap.queue };
	return { state: 'available', reason: null, queue: null };
}

export interface AgentSummary {
	agent: string;
	/** every state but logged_out */
	loggedInS: number;
	availableS: number;
	ringingS: number;
	talkS: number;
	wrapS: number;
	pausedS: number;
	/** paused seconds per reason ('' = no reason given) */
	pausedByReason: Record<string, number>;
	/** (talk + wrap) ÷ (available + ringing + talk + wrap); null without available time */
	occupancy: number | null;
	/** ready for a call: available + ringing */
	idleS: number;
	ringNoAnswer: number;
}

/** Each agent's time per state over `spans` (clip them first with `clipSpans`), sorted by agent. */
export function agentSummary(spans: AgentSpan[], ringNoAnswer: Map<string, number>): AgentSummary[] {
	const by = new Map<string, AgentSummary>();
	const row = (agent: string): AgentSummary => {
		let s = by.get(agent);
		if (!s) {
			s = {
				agent,
				loggedInS: 0,
				availableS: 0,
				ringingS: 0,
				talkS: 0,
				wrapS: 0,
				pausedS: 0,
				pausedByReason: {},
				occupancy: null,
				idleS: 0,
				ringNoAnswer: ringNoAnswer.get(agent) ?? 0
			};
			by.set(agent, s);
		}
		return s;
	};
	for (const s of spans) {
		const r = row(s.agent);
		const d = s.to - s.from;
		if (s.state !== 'logged_out') r.loggedInS += d;
		if (s.state === 'available') r.availableS += d;
		else if (s.state === 'ringing') r.ringingS += d;
		else if (s.state === 'on_call') r.talkS += d;
		else if (s.state === 'wrap_up') r.wrapS += d;
		else if (s.state === 'paused') {
			r.pausedS += d;
			const key = s.reason ?? '';
			r.pausedByReason[key] = (r.pausedByReason[key] ?? 0) + d;
		}
	}
	for (const agent of ringNoAnswer.keys()) row(agent);
	for (const r of by.values()) {
		r.idleS = r.availableS + r.ringingS;
		r.occupancy = r.availableS > 0 ? (r.talkS + r.wrapS) / (r.idleS + r.talkS + r.wrapS) : null;
	}
	return [...by.values()].sort((a, b) => a.agent.localeCompare(b.agent));
}

/** The parts of `spans` within [from, to). */
export function clipSpans(spans: AgentSpan[], from: number, to: number): AgentSpan[] {
	const out: AgentSpan[] = [];
	for (const s of spans) {
		const a = Math.max(s.from, from);
		const b = Math.min(s.to, to);
		if (a < b) out.push({ ...s, from: a, to: b });
	}
	return out;
}
