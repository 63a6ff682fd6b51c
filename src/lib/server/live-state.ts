import { agentTracker, type AgentNow, type AgentTracker } from '$lib/metrics/agent-states';
import type { LogEvent } from './live-calls';
import { isCallEvent } from './live-calls';

/**
 * What is happening now, kept from a followed queue_log's events in plain memory: the calls
 * waiting in each queue (since their ENTERQUEUE), the calls being talked (for the day's
 * rollover), the queues seen, and each agent's state (`metrics/agent-states.ts`).
 *
 * Only today is kept: at the first event of a new (local) day, the agents' earlier spans are
 * forgotten, and waits or talks begun more than a day before are dropped as lost (their
 * ending line never came). Sizes are then bounded by one day's queues, agents and the calls
 * in progress, however long the server runs.
 */
const ENDS_WAIT = new Set([
	'CONNECT',
	'ABANDON',
	'EXITWITHTIMEOUT',
	'EXITWITHKEY',
	'EXITEMPTY',
	'COMPLETEAGENT',
	'COMPLETECALLER',
	'TRANSFER',
	'BLINDTRANSFER',
	'ATTENDEDTRANSFER'
]);
const ENDS_CALL = new Set([
	'ABANDON',
	'EXITWITHTIMEOUT',
	'EXITWITHKEY',
	'EXITEMPTY',
	'COMPLETEAGENT',
	'COMPLETECALLER',
	'TRANSFER',
	'BLINDTRANSFER',
	'ATTENDEDTRANSFER'
]);
const DAY_S = 86_400;

export interface Waiting {
	queue: string;
	since: number;
}

export class LiveState {
	/** Calls in a queue now, by call id. */
	readonly waiting = new Map<string, Waiting>();
	/** Calls connected and not ended, by call id (epoch seconds of the CONNECT). */
	readonly talking = new Map<string, number>();
	/** Queues with an event today (and those the targets name). */
	readonly queues = new Set<string>();
	private agents: AgentTracker;
	/** The local day shown: its number since the epoch, or null before the first event. */
	dayNumber: number | null = null;
	lastEvent: number | null = null;
	/** Whether any agent event was seen (else the wallboard says agent states are not in the log). */
	agentEvents = false;

	constructor(
		private offsetSeconds: number,
		private fixedQueues: string[] = [],
		wrapSeconds: number | ((queue: string) => number) = 0
	) {
		this.agents = agentTracker({ wrapSeconds, dayStart: (at) => this.dayStartOf(at) });
		for (const q of fixedQueues) this.queues.add(q);
	}

	/** The local day an epoch second falls on (days since the epoch). */
	dayOf(at: number): number {
		return Math.floor((at + this.offsetSeconds) / DAY_S);
	}

	/** Epoch seconds of the local midnight starting the day holding `at`. */
	dayStartOf(at: number): number {
		return this.dayOf(at) * DAY_S - this.offsetSeconds;
	}

	/** 'YYYY-MM-DD' of the day shown, or null. */
	get day(): string | null {
		return this.dayNumber === null ? null : new Date(this.dayNumber * DAY_S * 1000).toISOString().slice(0, 10);
	}

	/** Whether `e` starts a later day than the one kept (the caller rolls over first). */
	startsNewDay(e: LogEvent): boolean {
		return this.dayNumber !== null && this.dayOf(e.time) > this.dayNumber;
	}

	push(e: LogEvent): void {
		if (this.dayNumber === null || this.dayOf(e.time) > this.dayNumber) this.dayNumber = this.dayOf(e.time);
		this.lastEvent = Math.max(this.lastEvent ?? e.time, e.time);
		if (e.queue && e.queue !== 'NONE') this.queues.add(e.queue);
		if (e.agent && e.agent !== 'NONE' && !isCallEvent(e)) this.agentEvents = true;
		this.agents.push({ time: e.time, callId: e.callid, queue: e.queue, agent: e.agent, event: e.event, data: e.data });
		if (!isCallEvent(e)) return;
		if (e.event === 'ENTERQUEUE') this.waiting.set(e.callid, { queue: e.queue, since: e.time });
		else if (ENDS_WAIT.has(e.event)) this.waiting.delete(e.callid);
		if (e.event === 'CONNECT') this.talking.set(e.callid, e.time);
		else if (ENDS_CALL.has(e.event)) this.talking.delete(e.callid);
	}

	/** Moves to the day of `at`: forgets the day before; returns the ids of the calls still in progress. */
	rollOver(at: number): Set<string> {
		const start = this.dayStartOf(at);
		this.dayNumber = this.dayOf(at);
		this.agents.forget(start);
		for (const [id, w] of this.waiting) if (w.since < start - DAY_S) this.waiting.delete(id);
		for (const [id, since] of this.talking) if (since < start - DAY_S) this.talking.delete(id);
		this.queues.clear();
		for (const q of this.fixedQueues) this.queues.add(q);
		for (const w of this.waiting.values()) this.queues.add(w.queue);
		return new Set([...this.waiting.keys(), ...this.talking.keys()]);
	}

	/** Each agent's state at `at` (epoch seconds). */
	agentsAt(at: number): AgentNow[] {
		return this.agents.now(at);
	}

	/** Retained sizes (for the test that a day of events leaves memory bounded). */
	get sizes() {
		return { waiting: this.waiting.size, talking: this.talking.size, queues: this.queues.size, agentSpans: this.agents.spans(this.lastEvent ?? 0).length };
	}
}
