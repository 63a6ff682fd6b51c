/**
 * Agents' states from Asterisk queue_log rows, computed the plain way: the state at a moment is
 * worked out by reading the agent's rows from the top (nothing kept between moments), and the
 * timeline is that state at the start of every stretch between two moments where something
 * happens. Written from Asterisk's queue_log documentation and the rules in docs/metrics.md
 * ("Agent states and occupancy"); nothing here comes from `src/`.
 *
 *   ADDMEMBER / AGENTLOGIN / AGENTCALLBACKLOGIN          joins the row's queue (NONE: the agent itself)
 *   REMOVEMEMBER / AGENTLOGOFF / AGENTCALLBACKLOGOFF     leaves it (NONE: leaves every queue);
 *                                                        leaving a queue ends its pause, the last one every pause
 *   PAUSE(reason) / PAUSEALL(reason)                     paused in the queue (PAUSEALL, NONE: all queues)
 *   UNPAUSE / UNPAUSEALL                                 ends the queue's pause (UNPAUSEALL, NONE: every pause)
 *   RINGNOANSWER(ringtime ms) / RINGCANCELED(ms)         rang for that long before the row
 *   CONNECT(holdtime|bridged uniqueid|ringtime s)        rang for ringtime before; on the call from here
 *   COMPLETEAGENT / COMPLETECALLER(holdtime|calltime|pos) the call of this call id ends;
 *   TRANSFER…(ext|context|holdtime|calltime|pos)         without its CONNECT: started calltime before
 *   after a call's end: wrap-up for the queue's seconds, unless the agent has another row first.
 *
 * First that holds: on a call, ringing, logged out, paused, wrap-up, available.
 */

export interface RefAgentRow {
	time: number;
	callId: string;
	queue: string;
	agent: string;
	event: string;
	data: string[];
}

export type RefAgentState = 'available' | 'ringing' | 'on_call' | 'wrap_up' | 'paused' | 'logged_out';

export interface RefAgentSpan {
	agent: string;
	state: RefAgentState;
	from: number;
	to: number;
	reason: string | null;
	queue: string | null;
}

/** The rows of a queue_log file (pipe-separated: time|callid|queue|agent|event|data1…). */
export function refAgentRows(text: string): RefAgentRow[] {
	const rows: RefAgentRow[] = [];
	for (const line of text.split(/\r?\n/)) {
		if (line.trim() === '') continue;
		const f = line.split('|');
		const time = Number(f[0]);
		if (!Number.isFinite(time)) continue;
		rows.push({
			time,
			callId: (f[1] ?? '').trim(),
			queue: (f[2] ?? '').trim(),
			agent: (f[3] ?? '').trim(),
			event: (f[4] ?? '').trim().toUpperCase(),
			data: f.slice(5)
		});
	}
	// In time order; rows of one second keep their order in the file.
	return rows
		.map((r, i) => ({ r, i }))
		.sort((a, b) => a.r.time - b.r.time || a.i - b.i)
		.map(({ r }) => r);
}

const LOGIN = ['ADDMEMBER', 'AGENTLOGIN', 'AGENTCALLBACKLOGIN'];
const LOGOUT = ['REMOVEMEMBER', 'AGENTLOGOFF', 'AGENTCALLBACKLOGOFF'];
const ENDS = ['COMPLETEAGENT', 'COMPLETECALLER', 'TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER'];
const asNumber = (s: string | undefined): number | null => (s === undefined || s.trim() === '' || !Number.isFinite(Number(s)) ? null : Number(s));
const whole = (queue: string) => queue === '' || queue === 'NONE';

/** An interval known only when its last row is read: rings, and calls whose CONNECT is missing. */
interface Backdated {
	from: number;
	to: number;
	queue: string;
	row: number;
}

function rowsOf(rows: RefAgentRow[], agent: string): RefAgentRow[] {
	return rows.filter((r) => r.agent.trim() === agent);
}

function rings(mine: RefAgentRow[]): Backdated[] {
	const out: Backdated[] = [];
	mine.forEach((r, row) => {
		if (r.event === 'RINGNOANSWER' || r.event === 'RINGCANCELED') {
			const ms = asNumber(r.data[0]);
			if (ms !== null && ms > 0) out.push({ from: r.time - ms / 1000, to: r.time, queue: r.queue, row });
		}
		if (r.event === 'CONNECT') {
			const s = asNumber(r.data[2]);
			if (s !== null && s > 0) out.push({ from: r.time - s, to: r.time, queue: r.queue, row });
		}
	});
	return out;
}

/** Ends whose call has no CONNECT of this agent since the call id's previous end. */
function callsWithoutConnect(mine: RefAgentRow[]): Backdated[] {
	const out: Backdated[] = [];
	mine.forEach((r, row) => {
		if (!ENDS.includes(r.event)) return;
		let connected = false;
		for (let k = row - 1; k >= 0; k--) {
			const e = mine[k]!;
			if (e.callId !== r.callId) continue;
			if (ENDS.includes(e.event)) break;
			if (e.event === 'CONNECT') connected = true;
		}
		if (connected) return;
		const talk = asNumber(r.event.startsWith('COMPLETE') ? r.data[1] : r.data[3]);
		if (talk !== null && talk > 0) out.push({ from: r.time - talk, to: r.time, queue: r.queue, row });
	});
	return out;
}

const latest = <T extends { from: number; row: number }>(list: T[]): T | undefined =>
	list.reduce<T | undefined>((best, x) => (!best || x.from > best.from || (x.from === best.from && x.row > best.row) ? x : best), undefined);

/** The agent's state at moment `t`, reading its rows from the top. */
export function refStateAt(
	mine: RefAgentRow[],
	t: number,
	wrapOf: (queue: string) => number
): { state: RefAgentState; reason: string | null; queue: string | null; queues: string[] } {
	const members = new Set<string>();
	const pauses = new Map<string, { from: number; row: number; reason: string | null; queue: string | null }>();
	const calls = new Map<string, { from: number; row: number; queue: string }>();
	let lastRow = -1;
	mine.forEach((r, row) => {
		if (r.time > t) return;
		lastRow = row;
		const q = r.queue;
		if (LOGIN.includes(r.event)) members.add(whole(q) ? '*' : q);
		else if (LOGOUT.includes(r.event)) {
			if (whole(q)) members.clear();
			else {
				members.delete(q);
				pauses.delete(q);
			}
			if (members.size === 0) pauses.clear();
		} else if (r.event === 'PAUSE' || r.event === 'PAUSEALL') {
			const all = r.event === 'PAUSEALL' || whole(q);
			const reason = (r.data[0] ?? '').trim();
			pauses.set(all ? '*' : q, { from: r.time, row, reason: reason === '' ? null : reason, queue: all ? null : q });
		} else if (r.event === 'UNPAUSE' || r.event === 'UNPAUSEALL') {
			if (r.event === 'UNPAUSEALL' || whole(q)) pauses.clear();
			else pauses.delete(q);
		} else if (r.event === 'CONNECT') {
			if (!calls.has(r.callId)) calls.set(r.callId, { from: r.time, row, queue: q });
		} else if (ENDS.includes(r.event)) calls.delete(r.callId);
	});
	const queues = [...members].filter((m) => m !== '*').sort();
	const inside = (b: Backdated) => b.from <= t && t < b.to;
	const call = latest([...calls.values(), ...callsWithoutConnect(mine).filter(inside)]);
	if (call) return { state: 'on_call', reason: null, queue: call.queue, queues };
	const ring = latest(rings(mine).filter(inside));
	if (ring) return { state: 'ringing', reason: null, queue: ring.queue, queues };
	if (members.size === 0) return { state: 'logged_out', reason: null, queue: null, queues };
	const pause = latest([...pauses.values()]);
	if (pause) return { state: 'paused', reason: pause.reason, queue: pause.queue, queues };
	const last = lastRow >= 0 ? mine[lastRow]! : null;
	if (last && ENDS.includes(last.event) && t < last.time + wrapOf(last.queue)) return { state: 'wrap_up', reason: null, queue: last.queue, queues };
	return { state: 'available', reason: null, queue: null, queues };
}

/** Every agent's timeline up to `until`, agents in name order. */
export function refAgentSpans(rows: RefAgentRow[], until: number, wrapOf: (queue: string) => number = () => 0): RefAgentSpan[] {
	const agents = [...new Set(rows.map((r) => r.agent.trim()).filter((a) => a !== '' && a !== 'NONE'))].sort((a, b) => a.localeCompare(b));
	const out: RefAgentSpan[] = [];
	for (const agent of agents) {
		const mine = rowsOf(rows, agent);
		const moments = new Set<number>([until]);
		for (const r of mine) {
			moments.add(r.time);
			moments.add(r.time + wrapOf(r.queue));
		}
		for (const b of [...rings(mine), ...callsWithoutConnect(mine)]) moments.add(b.from);
		const sorted = [...moments].sort((a, b) => a - b);
		const start = sorted[0]!;
		const cuts = sorted.filter((m) => m >= start && m <= until);
		for (let k = 0; k + 1 < cuts.length; k++) {
			const { state, reason, queue } = refStateAt(mine, cuts[k]!, wrapOf);
			const prev = out[out.length - 1];
			if (prev && prev.agent === agent && prev.to === cuts[k] && prev.state === state && prev.reason === reason && prev.queue === queue) prev.to = cuts[k + 1]!;
			else out.push({ agent, state, from: cuts[k]!, to: cuts[k + 1]!, reason, queue });
		}
	}
	return out;
}

export interface RefAgentTotals {
	agent: string;
	loggedInS: number;
	availableS: number;
	ringingS: number;
	talkS: number;
	wrapS: number;
	pausedS: number;
	pausedByReason: Record<string, number>;
	idleS: number;
	occupancy: number | null;
	ringNoAnswer: number;
}

/** Seconds per state per agent over [from, to), and RINGNOANSWER rows in it. */
export function refAgentTotals(rows: RefAgentRow[], from: number, to: number, wrapOf: (queue: string) => number = () => 0): RefAgentTotals[] {
	const totals = new Map<string, RefAgentTotals>();
	const of = (agent: string) => {
		if (!totals.has(agent))
			totals.set(agent, {
				agent,
				loggedInS: 0,
				availableS: 0,
				ringingS: 0,
				talkS: 0,
				wrapS: 0,
				pausedS: 0,
				pausedByReason: {},
				idleS: 0,
				occupancy: null,
				ringNoAnswer: 0
			});
		return totals.get(agent)!;
	};
	for (const s of refAgentSpans(rows, to, wrapOf)) {
		const d = Math.min(s.to, to) - Math.max(s.from, from);
		if (d <= 0) continue;
		const t = of(s.agent);
		if (s.state !== 'logged_out') t.loggedInS += d;
		if (s.state === 'available') t.availableS += d;
		if (s.state === 'ringing') t.ringingS += d;
		if (s.state === 'on_call') t.talkS += d;
		if (s.state === 'wrap_up') t.wrapS += d;
		if (s.state === 'paused') {
			t.pausedS += d;
			t.pausedByReason[s.reason ?? ''] = (t.pausedByReason[s.reason ?? ''] ?? 0) + d;
		}
	}
	for (const r of rows) if (r.event === 'RINGNOANSWER' && r.agent !== 'NONE' && r.agent !== '' && r.time >= from && r.time < to) of(r.agent).ringNoAnswer++;
	for (const t of totals.values()) {
		t.idleS = t.availableS + t.ringingS;
		t.occupancy = t.availableS > 0 ? (t.talkS + t.wrapS) / (t.idleS + t.talkS + t.wrapS) : null;
	}
	return [...totals.values()].sort((a, b) => a.agent.localeCompare(b.agent));
}
