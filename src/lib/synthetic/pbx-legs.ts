import { randomLcg } from 'd3';
import { DEPARTMENTS, generateCalls, type GeneratorOptions, type SyntheticCall } from './generate';

/**
 * The generated inbound queue calls as a PBX logs them: one leg per party (the queue, each
 * agent rung, a transfer, voicemail), with outbound and internal calls of the agents mixed in.
 * Vendor-neutral; `pbx-vendors.ts` writes the legs in each vendor's columns and words. The same
 * options give the same calls and legs.
 */
export interface PbxAgent {
	/** `S1-023`, the generator's agent. */
	name: string;
	ext: string;
}

export interface PbxQueue {
	name: string;
	/** Index of the department (0-based): vendors number their queues from it. */
	index: number;
}

export interface PbxLeg {
	role: 'queue' | 'agent' | 'voicemail' | 'outbound' | 'internal';
	start: number;
	answer: number | null;
	end: number;
	/** Seconds it rang (an agent leg), or the time in queue (the queue leg). */
	ring_s: number;
	talk_s: number;
	agent: PbxAgent | null;
	queue: PbxQueue | null;
	/** The caller's number (inbound) or the agent's extension (outbound, internal). */
	from: string;
	/** The number dialled (outbound) or the extension called (internal). */
	to: string;
}

export interface PbxCall {
	/** Sequence number over all calls, inbound or not (vendors make their ids from it). */
	n: number;
	kind: 'inbound' | 'outbound' | 'internal';
	arrival: number;
	legs: PbxLeg[];
	/** The inbound call it was made from. */
	call: SyntheticCall | null;
	/** Agents rung who did not answer, transfers after the answer, answered by voicemail. */
	attempts: number;
	transfers: number;
	voicemail: boolean;
}

/** What a vendor's log can hold: a vendor without ring-no-answer records leaves attempts out, etc. */
export interface PbxLegOptions {
	attempts: boolean;
	transfers: boolean;
	voicemail: boolean;
}

const agentOf = (code: string): PbxAgent => {
	// `S2-017` → extension 2017: unique per department and agent.
	const [, d, n] = /^S(\d)-(\d{3})$/.exec(code)!;
	return { name: code, ext: `${d}${n}` };
};

/** Another agent of the same department (a ring-no-answer attempt, a transfer target). */
function otherAgent(agent: PbxAgent, pick: number): PbxAgent {
	const d = agent.ext[0]!;
	let n = 1 + Math.floor(pick * 60);
	if (`${d}${String(n).padStart(3, '0')}` === agent.ext) n = (n % 60) + 1;
	return agentOf(`S${d}-${String(n).padStart(3, '0')}`);
}

export function* pbxCalls(options: GeneratorOptions, what: PbxLegOptions): Generator<PbxCall> {
	// A source of its own, so the inbound calls stay those of the seed.
	const random = randomLcg(((options.seed * 7919 + 13) % 2 ** 32) / 2 ** 32);
	let n = 0;
	for (const call of generateCalls(options)) {
		const queue: PbxQueue = { name: call.department, index: DEPARTMENTS.indexOf(call.department) };
		const caller = `1${String(3000000000 + Math.floor(random() * 999999999))}`;
		const legs: PbxLeg[] = [];
		const wait = call.wait_s;
		let attempts = 0;
		let transfers = 0;
		let voicemail = false;
		const agentCode = call.agent ?? `S${queue.index + 1}-001`;
		const answering = agentOf(agentCode);
		// Ring-no-answer attempts while the caller waits (each ends before the answer or the hang-up).
		const tries = what.attempts && wait >= 6 ? (random() < 0.25 ? 1 : 0) + (random() < 0.1 ? 1 : 0) : 0;
		for (let i = 0; i < tries; i++) {
			const start = call.arrival + Math.floor((wait * i) / (tries + 1));
			const ring = Math.max(1, Math.min(15, Math.floor(wait / (tries + 1)) - 1));
			legs.push({
				role: 'agent',
				start,
				answer: null,
				end: start + ring,
				ring_s: ring,
				talk_s: 0,
				agent: otherAgent(answering, random()),
				queue,
				from: caller,
				to: ''
			});
			attempts++;
		}
		let end = call.end;
		if (call.answer !== null) {
			const talk = call.talk_s!;
			const ring = Math.min(wait, 2 + Math.floor(random() * 8));
			legs.push({
				role: 'agent',
				start: call.answer - ring,
				answer: call.answer,
				end: call.answer + talk,
				ring_s: ring,
				talk_s: talk,
				agent: answering,
				queue,
				from: caller,
				to: ''
			});
			end = call.answer + talk;
			if (what.transfers && random() < 0.08) {
				const start = end;
				const talk2 = 30 + Math.floor(random() * 170);
				legs.push({
					role: 'agent',
					start,
					answer: start + 3,
					end: start + 3 + talk2,
					ring_s: 3,
					talk_s: talk2,
					agent: otherAgent(answering, random()),
					queue,
					from: caller,
					to: ''
				});
				end = start + 3 + talk2;
				transfers++;
			}
		} else if (what.voicemail && random() < 0.3) {
			const talk = 10 + Math.floor(random() * 30);
			const start = call.arrival + wait;
			legs.push({ role: 'voicemail', start, answer: start, end: start + talk, ring_s: 0, talk_s: talk, agent: null, queue, from: caller, to: '' });
			end = start + talk;
			voicemail = true;
		}
		// The queue leg first: from arrival to the answer (or the hang-up, or voicemail), then the talk.
		const answered = call.answer !== null;
		legs.unshift({
			role: 'queue',
			start: call.arrival,
			answer: answered ? call.answer : null,
			end,
			ring_s: wait,
			talk_s: answered ? call.talk_s! : 0,
			agent: null,
			queue,
			from: caller,
			to: ''
		});
		yield { n: ++n, kind: 'inbound', arrival: call.arrival, legs, call, attempts, transfers, voicemail };

		// Agents' own calls between the callers': outbound (to customers) and internal.
		const roll = random();
		if (roll < 0.2) {
			const kind = roll < 0.13 ? 'outbound' : 'internal';
			const agent = otherAgent(answering, random());
			const start = call.arrival + 1 + Math.floor(random() * 20);
			const picked = random() < 0.7;
			const ring = 3 + Math.floor(random() * 12);
			const talk = picked ? 20 + Math.floor(random() * 200) : 0;
			const to = kind === 'outbound' ? `0${String(200000000 + Math.floor(random() * 799999999))}` : otherAgent(agent, random()).ext;
			yield {
				n: ++n,
				kind,
				arrival: start,
				legs: [
					{
						role: kind,
						start,
						answer: picked ? start + ring : null,
						end: start + ring + talk,
						ring_s: ring,
						talk_s: talk,
						agent,
						queue: null,
						from: agent.ext,
						to
					}
				],
				call: null,
				attempts: 0,
				transfers: 0,
				voicemail: false
			};
		}
	}
}
