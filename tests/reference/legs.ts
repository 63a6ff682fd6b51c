/**
 * Leg logs, from the rules as the README states them (one row per leg, grouped by call id),
 * in plain TypeScript over parsed legs: nothing here imports from `src/`.
 *
 * - a call is inbound when a leg is inbound or queue; else outbound when one is outbound;
 *   else internal. Only inbound calls are calls.
 * - arrival = the first inbound leg's start; ended = the last leg's end.
 * - an agent leg names an agent and is not voicemail/IVR/closed; the first answered agent leg
 *   (by answer time) answers: its agent, its talk; wait = its time in queue, else the largest
 *   of the call's, else answer − arrival.
 * - other agent legs not answered are attempts; answered agent legs after the first, transfers.
 * - not answered: a machine leg → unanswered when an agent rang, else other; agent legs all
 *   busy/failed → unanswered; else abandoned; wait = largest time in queue, else ended − arrival.
 */
export interface RefLeg {
	callId: string;
	direction: 'inbound' | 'outbound' | 'internal' | 'queue';
	status: 'answered' | 'no_answer' | 'busy' | 'failed' | 'voicemail' | 'ivr' | 'closed';
	/** Seconds. */
	start: number;
	answer: number | null;
	end: number;
	talk: number | null;
	wait: number | null;
	agent: string | null;
	queue: string | null;
}

export interface RefLegCall {
	call_id: string;
	queue: string | null;
	agent: string | null;
	arrival: number;
	wait_s: number;
	talk_s: number | null;
	outcome: 'answered' | 'abandoned' | 'unanswered' | 'other';
}

export interface RefLegResult {
	calls: RefLegCall[];
	merged: number;
	attempts: number;
	transfers: number;
	outbound: number;
	internal: number;
	voicemail: number;
}

const MACHINES = ['voicemail', 'ivr', 'closed'];

export function refLegs(legs: RefLeg[]): RefLegResult {
	const byCall = new Map<string, RefLeg[]>();
	for (const leg of legs) byCall.set(leg.callId, [...(byCall.get(leg.callId) ?? []), leg]);
	const out: RefLegResult = { calls: [], merged: 0, attempts: 0, transfers: 0, outbound: 0, internal: 0, voicemail: 0 };
	for (const [id, group] of byCall) {
		out.merged += group.length - 1;
		const inbound = group.filter((l) => l.direction === 'inbound' || l.direction === 'queue');
		if (!inbound.length) {
			if (group.some((l) => l.direction === 'outbound')) out.outbound++;
			else out.internal++;
			continue;
		}
		const arrival = Math.min(...inbound.map((l) => l.start));
		const ended = Math.max(...group.map((l) => l.end));
		const byStart = [...group].sort((a, b) => a.start - b.start);
		const queue = byStart.find((l) => l.queue)?.queue ?? null;
		const agentLegs = group.filter((l) => l.agent && !MACHINES.includes(l.status));
		const answered = agentLegs.filter((l) => l.status === 'answered').sort((a, b) => (a.answer ?? Infinity) - (b.answer ?? Infinity));
		out.attempts += agentLegs.length - answered.length;
		out.transfers += Math.max(0, answered.length - 1);
		const waits = group.map((l) => l.wait).filter((w): w is number => w !== null);
		const largestWait = waits.length ? Math.max(...waits) : null;
		const first = answered[0];
		if (first) {
			out.calls.push({
				call_id: id,
				queue,
				agent: first.agent,
				arrival,
				wait_s: first.wait ?? largestWait ?? first.answer! - arrival,
				talk_s: first.talk ?? first.end - first.answer!,
				outcome: 'answered'
			});
			continue;
		}
		const machine = group.some((l) => MACHINES.includes(l.status));
		if (machine) out.voicemail++;
		const outcome = machine
			? agentLegs.length
				? 'unanswered'
				: 'other'
			: agentLegs.length && agentLegs.every((l) => l.status === 'busy' || l.status === 'failed')
				? 'unanswered'
				: 'abandoned';
		out.calls.push({ call_id: id, queue, agent: null, arrival, wait_s: largestWait ?? ended - arrival, talk_s: null, outcome });
	}
	return out;
}
