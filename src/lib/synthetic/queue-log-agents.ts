import { randomLcg } from 'd3';
import { DEPARTMENTS, generateCalls, queueLogLines, type GeneratorOptions, type SyntheticCall } from './generate';

/**
 * A queue_log with the agents' own events (`npm run generate -- --format queue_log --agents`):
 * each agent's shifts (ADDMEMBER … REMOVEMEMBER), pauses with a reason (PAUSE … UNPAUSE), rings
 * nobody answered (RINGNOANSWER), and the calls' CONNECT / COMPLETE, all consistent with one
 * another; and the caller's number in ENTERQUEUE's data2 (the URL field, data1, carries the
 * synthetic mark there).
 *
 * The calls are the seed's (arrival, wait, talk, outcome), but each answered call goes to the
 * first agent of its department free at the answer (Asterisk's `linear` strategy): the plain
 * generator draws agents at random, and one agent cannot take two calls at once. An agent is
 * free once its last call ended, its wrap-up passed and two more seconds (so the one second the
 * CONNECT's ringtime says it rang falls in its idle time). The calls are held in memory.
 *
 * The truth, per agent, comes from what was written (not from the tracker's rules): logged in
 * = its shifts; talk = CONNECT to COMPLETE; ringing = the second before each CONNECT and each
 * RINGNOANSWER's ringtime; wrap-up = `wrapSeconds` after every call (nothing else is written
 * in it); paused = its pauses by reason; available = the rest of its shifts.
 */
export interface AgentLogOptions {
	/** The queues' wrap-up seconds (queue_log does not log them; the reader sets the same). */
	wrapSeconds: number;
}

export interface AgentTruth {
	agent: string;
	queue: string;
	loggedInS: number;
	availableS: number;
	ringingS: number;
	talkS: number;
	wrapS: number;
	pausedS: number;
	pausedByReason: Record<string, number>;
	ringNoAnswer: number;
	calls: number;
}

export const PAUSE_REASONS = ['lunch', 'break', 'training', 'meeting'];

/** Seconds of idle time before and after a shift's first and last call; a gap over `SHIFT_GAP` starts a new shift. */
const SHIFT_LEAD = 15 * 60;
const SHIFT_GAP = 2 * 3600;
/** Idle stretches this long may hold a pause (a minute clear of each end). */
const PAUSE_GAP = 10 * 60;
const RING_MS = 15_000;

interface Busy {
	from: number;
	/** end of the call */
	to: number;
}

const queueOf = (c: SyntheticCall) => `q${DEPARTMENTS.indexOf(c.department) + 1}`;

/** The generator's queue_log lines with agent events (time order), and each agent's truth. */
export function queueLogWithAgents(options: GeneratorOptions, { wrapSeconds }: AgentLogOptions): { lines: string[]; agents: AgentTruth[] } {
	const random = randomLcg(((options.seed ^ 0x2c1b3c6d) >>> 0) / 2 ** 32);
	const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
	const calls = [...generateCalls(options)];

	// Each department's agents in order, with when each is free again.
	const freeAt = new Map<string, number[]>();
	const assigned = new Map<string, SyntheticCall>();
	const byAnswer = calls.filter((c) => c.answer !== null).sort((a, b) => a.answer! - b.answer! || a.call_id.localeCompare(b.call_id));
	for (const c of byAnswer) {
		const free = freeAt.get(c.department) ?? [];
		freeAt.set(c.department, free);
		let k = free.findIndex((t) => t <= c.answer!);
		if (k < 0) {
			k = free.length;
			free.push(0);
		}
		free[k] = c.end + wrapSeconds + 2;
		assigned.set(c.call_id, { ...c, agent: `S${DEPARTMENTS.indexOf(c.department) + 1}-${String(k + 1).padStart(3, '0')}` });
	}

	// Caller numbers: mostly new, one in eight a caller seen before (callers call again).
	const callers: string[] = [];
	const callerOf = () => {
		if (callers.length && random() < 0.125) return callers[Math.floor(random() * callers.length)]!;
		const n = `1${'3589'[between(0, 3)]}${between(0, 9)}${String(between(0, 99_999_999)).padStart(8, '0')}`;
		callers.push(n);
		return n;
	};

	const lines: { time: number; order: number; text: string }[] = [];
	let order = 0;
	const write = (time: number, text: string) => lines.push({ time, order: order++, text });
	for (const c of calls) {
		const call = assigned.get(c.call_id) ?? c;
		for (const line of queueLogLines(call)) {
			const fields = line.split('|');
			if (fields[4] === 'ENTERQUEUE') {
				fields[5] = 'synthetic';
				fields[6] = callerOf();
			}
			write(Number(fields[0]), fields.join('|'));
		}
	}

	// Per agent: its calls, then shifts, pauses and rings in the idle time between them.
	const byAgent = new Map<string, SyntheticCall[]>();
	for (const c of assigned.values()) byAgent.set(c.agent!, [...(byAgent.get(c.agent!) ?? []), c]);
	const truths: AgentTruth[] = [];
	const idleOf = new Map<string, Busy[]>();
	for (const [agent, mine] of [...byAgent].sort(([a], [b]) => a.localeCompare(b))) {
		mine.sort((a, b) => a.answer! - b.answer!);
		const queue = queueOf(mine[0]!);
		const truth: AgentTruth = {
			agent,
			queue,
			loggedInS: 0,
			availableS: 0,
			ringingS: 0,
			talkS: 0,
			wrapS: 0,
			pausedS: 0,
			pausedByReason: {},
			ringNoAnswer: 0,
			calls: mine.length
		};
		truths.push(truth);
		const idle: Busy[] = [];
		let shiftStart = mine[0]!.answer! - SHIFT_LEAD - between(0, 600);
		write(shiftStart, `${shiftStart}|NONE|${queue}|${agent}|ADDMEMBER|`);
		let idleFrom = shiftStart;
		mine.forEach((c, i) => {
			// The second before the CONNECT rings (its ringtime, data3 = 1).
			idle.push({ from: idleFrom, to: c.answer! - 1 });
			truth.ringingS += 1;
			truth.talkS += c.end - c.answer!;
			truth.wrapS += wrapSeconds;
			idleFrom = c.end + wrapSeconds;
			const next = mine[i + 1];
			if (!next || next.answer! - idleFrom > SHIFT_GAP) {
				const shiftEnd = idleFrom + SHIFT_LEAD + between(0, 600);
				idle.push({ from: idleFrom, to: shiftEnd });
				write(shiftEnd, `${shiftEnd}|NONE|${queue}|${agent}|REMOVEMEMBER|`);
				truth.loggedInS += shiftEnd - shiftStart;
				if (next) {
					shiftStart = next.answer! - SHIFT_LEAD - between(0, 600);
					write(shiftStart, `${shiftStart}|NONE|${queue}|${agent}|ADDMEMBER|`);
					idleFrom = shiftStart;
				}
			}
		});
		// Pauses: in some long idle stretches, a minute clear of each end.
		const left: Busy[] = [];
		for (const gap of idle) {
			if (gap.to - gap.from >= PAUSE_GAP && random() < 0.5) {
				const from = gap.from + 60 + between(0, 60);
				const to = gap.to - 60 - between(0, 60);
				const reason = PAUSE_REASONS[between(0, PAUSE_REASONS.length - 1)]!;
				write(from, `${from}|NONE|${queue}|${agent}|PAUSE|${reason}`);
				write(to, `${to}|NONE|${queue}|${agent}|UNPAUSE|`);
				truth.pausedS += to - from;
				truth.pausedByReason[reason] = (truth.pausedByReason[reason] ?? 0) + to - from;
				left.push({ from: gap.from, to: from }, { from: to, to: gap.to });
			} else left.push(gap);
		}
		idleOf.set(agent, left);
	}

	// Rings nobody answered: some answered calls first rang another agent of the queue, idle then.
	const ringStarts = new Map<string, number[]>();
	for (const c of byAnswer) {
		if (random() >= 0.2) continue;
		const call = assigned.get(c.call_id)!;
		const queue = queueOf(call);
		const at = call.answer! - 2;
		const from = at - RING_MS / 1000;
		if (from < call.arrival) continue; // it rang while the caller waited
		const candidates = truths.filter(
			(t) => t.queue === queue && t.agent !== call.agent && (idleOf.get(t.agent) ?? []).some((g) => g.from + 1 <= from && at + 1 <= g.to)
		);
		if (!candidates.length) continue;
		const other = candidates[between(0, candidates.length - 1)]!;
		// One ring at a time per agent.
		const starts = ringStarts.get(other.agent) ?? [];
		if (starts.some((s) => Math.abs(s - from) < RING_MS / 1000 + 1)) continue;
		starts.push(from);
		ringStarts.set(other.agent, starts);
		write(at, `${at}|${call.call_id}|${queue}|${other.agent}|RINGNOANSWER|${RING_MS}`);
		other.ringNoAnswer++;
		other.ringingS += RING_MS / 1000;
	}
	for (const t of truths) t.availableS = t.loggedInS - t.ringingS - t.talkS - t.wrapS - t.pausedS;

	lines.sort((a, b) => a.time - b.time || a.order - b.order);
	return { lines: lines.map((l) => l.text), agents: truths };
}
