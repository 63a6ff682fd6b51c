import type { Mapping, CanonicalOutcome } from '$lib/imports/canonical';
import type { DirectionClass, StatusClass } from '$lib/imports/leg-values';
import { clock, DEPARTMENTS, generateCalls, type CallTruth, type GeneratorOptions, type SyntheticCall } from './generate';
import { layoutRandom, type LayoutRandom } from './sheet-layouts';

/**
 * The generated calls as a PBX's call log writes them: one row per leg. Each call of
 * `generateCalls` becomes the caller's inbound leg, agents rung who did not answer (attempts),
 * the answering agent's leg and, for some, a transfer to a second agent or a voicemail after
 * nobody answered; outbound and internal calls are mixed in. Layouts (the generic one here,
 * vendors' in pbx-vendors.ts) write the legs in their columns and words, leaving out what their
 * log does not record (`LegLayout.mix`); the per-call truth follows from the legs written.
 */

export interface LegRow {
	call_id: string;
	direction: DirectionClass;
	status: StatusClass;
	/** Local wall-clock seconds. */
	start: number;
	answer: number | null;
	end: number;
	ring_s: number;
	talk_s: number;
	/** The caller's time in queue (the caller's leg), for a log that writes it; else null. */
	wait_s: number | null;
	queue: string | null;
	/** The agent (`S2-017`, as the generator names agents) of an agent leg; null for the caller's leg and machines. */
	agent: string | null;
	from: string;
	to: string;
}

/** One inbound call as the import should give it; `arrival` is its local wall-clock time. */
export interface LegCallTruth extends CallTruth {
	arrival: string;
}

/** What a leg log should import as: its calls, and what the quality report counts. */
export interface LegTruth {
	calls: LegCallTruth[];
	/** Rows of legs written (not titles, header or footer). */
	legs: number;
	/** Rows merged away (each call's rows but one, outbound and internal calls included). */
	merged: number;
	attempts: number;
	transfers: number;
	outbound: number;
	internal: number;
	voicemail: number;
	/** Lines above the header, and below it when they belong to it (CUCM's line of types). */
	titleRows: number;
	footerRows: number;
}

export const emptyLegTruth = (): LegTruth => ({
	calls: [],
	legs: 0,
	merged: 0,
	attempts: 0,
	transfers: 0,
	outbound: 0,
	internal: 0,
	voicemail: 0,
	titleRows: 0,
	footerRows: 0
});

/** Shares of the leg log's complications. */
export interface LegMix {
	/** Calls where other agents rang first without answering. */
	attempts: number;
	/** Answered calls passed to a second agent. */
	transfers: number;
	/** Unanswered calls that end in voicemail. */
	voicemail: number;
	/** Outbound and internal calls, each, per inbound call. */
	outbound: number;
	internal: number;
}

export const DEFAULT_LEG_MIX: LegMix = { attempts: 0.3, transfers: 0.1, voicemail: 0.15, outbound: 0.15, internal: 0.1 };

const TRUNK = '800';
const VOICEMAIL = 'VM';

/** Another agent of the department (never `agent`), named as the generator names agents (`S2-017`). */
function otherAgent(random: LayoutRandom, agent: string | null, department: string): string {
	const d = DEPARTMENTS.indexOf(department) + 1;
	for (;;) {
		const candidate = `S${d}-${String(random.between(1, 60)).padStart(3, '0')}`;
		if (candidate !== agent) return candidate;
	}
}

/** An agent's extension: `S2-017` → `2017` (unique per department and agent). */
export const extension = (agent: string) => agent.replace(/^S(\d)-(\d{3})$/, '$1$2');

const caller = (random: LayoutRandom) => `1${random.between(300, 899)}${String(random.between(0, 9999999)).padStart(7, '0')}`;

/**
 * Every call's legs in order of its start, with its truth (null for outbound and internal
 * calls, which are never calls of the center). The same options give the same legs.
 */
export function* callLegs(
	options: GeneratorOptions,
	mix: LegMix = DEFAULT_LEG_MIX
): Generator<{ legs: LegRow[]; truth: CallTruth | null; kind: 'inbound' | 'outbound' | 'internal' }> {
	const random = layoutRandom(options.seed ^ 0x51ed);
	let other = 0;
	for (const call of generateCalls({ ...options, incident: null })) {
		yield inbound(call, random, mix);
		if (random.chance(mix.outbound)) yield outboundCall(call, `OUT${String(++other).padStart(7, '0')}`, random);
		if (random.chance(mix.internal)) yield internalCall(call, `INT${String(++other).padStart(7, '0')}`, random);
	}
}

function inbound(call: SyntheticCall, random: LayoutRandom, mix: LegMix): { legs: LegRow[]; truth: CallTruth; kind: 'inbound' } {
	const id = call.call_id;
	const from = caller(random);
	const queue = call.department;
	const agentLeg = (agent: string, status: StatusClass, start: number, answer: number | null, end: number): LegRow => ({
		call_id: id,
		direction: 'queue',
		status,
		start,
		answer,
		end,
		ring_s: (answer ?? end) - start,
		talk_s: answer === null ? 0 : end - answer,
		wait_s: null,
		queue,
		agent,
		from: TRUNK,
		to: agent
	});
	const legs: LegRow[] = [];
	// Agents rung before the answer (or before the caller gave up): within the wait.
	const ringUntil = call.answer ?? call.end;
	const tries = call.wait_s >= 2 && random.chance(mix.attempts) ? random.between(1, 2) : 0;
	let at = call.arrival;
	for (let i = 0; i < tries; i++) {
		const end = Math.min(ringUntil, at + Math.max(1, Math.floor(call.wait_s / (tries + 1))));
		// Busy only where the call was later answered: a caller who gave up after busy agents is `unanswered`, kept simple here.
		const status: StatusClass = call.answer !== null && random.chance(0.25) ? 'busy' : 'no_answer';
		legs.push(agentLeg(otherAgent(random, call.agent, queue), status, at, null, end));
		at = end;
	}
	let ended = call.end;
	let outcome: CanonicalOutcome;
	let talk: number | null = null;
	let wait: number;
	let agent: string | null = null;
	if (call.answer !== null && call.agent !== null) {
		agent = call.agent;
		wait = call.answer - call.arrival;
		const transfer = call.talk_s! >= 40 && random.chance(mix.transfers);
		const handOver = transfer ? call.answer + Math.floor(call.talk_s! / 2) : call.end;
		legs.push(agentLeg(call.agent, 'answered', at, call.answer, handOver));
		talk = handOver - call.answer;
		if (transfer) {
			const second = otherAgent(random, call.agent, queue);
			legs.push({ ...agentLeg(second, 'answered', handOver, handOver + 3, call.end + 3), direction: 'internal', from: call.agent, to: second });
			ended = call.end + 3;
		}
		outcome = 'answered';
	} else {
		const toVoicemail = random.chance(mix.voicemail);
		if (toVoicemail) {
			legs.push({
				call_id: id,
				direction: 'internal',
				status: 'voicemail',
				start: call.end,
				answer: call.end,
				end: call.end + 25,
				ring_s: 0,
				talk_s: 25,
				wait_s: null,
				queue,
				agent: null,
				from: TRUNK,
				to: VOICEMAIL
			});
			ended = call.end + 25;
		}
		outcome = toVoicemail ? (tries > 0 ? 'unanswered' : 'other') : 'abandoned';
		wait = ended - call.arrival;
	}
	const trunk: LegRow = {
		call_id: id,
		direction: 'inbound',
		status: 'answered',
		start: call.arrival,
		answer: call.arrival,
		end: ended,
		ring_s: 0,
		talk_s: ended - call.arrival,
		wait_s: call.wait_s,
		queue,
		agent: null,
		from,
		to: TRUNK
	};
	return { legs: [trunk, ...legs], truth: { call_id: id, queue, agent, outcome, wait_s: wait, talk_s: talk }, kind: 'inbound' };
}

function outboundCall(call: SyntheticCall, id: string, random: LayoutRandom): { legs: LegRow[]; truth: null; kind: 'outbound' } {
	const agent = otherAgent(random, null, call.department);
	const start = call.arrival + random.between(0, 60);
	const answered = random.chance(0.7);
	const ring = random.between(3, 20);
	const end = start + ring + (answered ? random.between(30, 400) : 0);
	return {
		legs: [
			{
				call_id: id,
				direction: 'outbound',
				status: answered ? 'answered' : 'no_answer',
				start,
				answer: answered ? start + ring : null,
				end,
				ring_s: ring,
				talk_s: answered ? end - start - ring : 0,
				wait_s: null,
				queue: null,
				agent,
				from: agent,
				to: caller(random)
			}
		],
		truth: null,
		kind: 'outbound'
	};
}

function internalCall(call: SyntheticCall, id: string, random: LayoutRandom): { legs: LegRow[]; truth: null; kind: 'internal' } {
	const from = otherAgent(random, null, call.department);
	const start = call.arrival + random.between(0, 60);
	const leg = (to: string, answered: boolean, at: number): LegRow => {
		const ring = random.between(2, 15);
		const end = at + ring + (answered ? random.between(10, 200) : 0);
		return {
			call_id: id,
			direction: 'internal',
			status: answered ? 'answered' : 'no_answer',
			start: at,
			answer: answered ? at + ring : null,
			end,
			ring_s: ring,
			talk_s: answered ? end - at - ring : 0,
			wait_s: null,
			queue: null,
			agent: to,
			from,
			to
		};
	};
	const first = leg(otherAgent(random, from, call.department), random.chance(0.6), start);
	const legs = first.status === 'answered' ? [first] : [first, leg(otherAgent(random, from, call.department), true, first.end)];
	return { legs, truth: null, kind: 'internal' };
}

/** One call as a layout writes it: its legs (with the layout's call id) and its generic truth. */
export interface LegCall {
	/** The call's place in the file (1-based), inbound or not: vendors number their ids from it. */
	n: number;
	kind: 'inbound' | 'outbound' | 'internal';
	legs: LegRow[];
	truth: CallTruth | null;
}

/** How a layout writes legs: its header, words, title lines and footer, and what its log records. */
export interface LegLayout {
	id: string;
	header: string[];
	delimiter: ',' | ';';
	/** Lines above the header (a report title, the export date). */
	titles(generatedOn: string): string[];
	/** Lines right below the header that belong to it (Cisco UCM's line of field types). */
	underHeader?: string[][];
	/** One leg's row (a layout of one row per leg). */
	row?(leg: LegRow, call: LegCall, file: LegFileOptions): string[];
	/** A call's rows, for a layout that does not write one row per leg (segments, one record per call). */
	rows?(call: LegCall, file: LegFileOptions): string[][];
	/** Rows below the legs (a totals row); `sums` are the legs' ringing and talking seconds. */
	footer(truth: LegTruth, sums: { ring_s: number; talk_s: number }): string[][];
	/** The mapping a user makes in the mapping step (unknown vendors); a named vendor imports without one. */
	mapping?: Mapping;
	/** What the log records: a log without ring-no-answer records sets `attempts: 0`, etc. */
	mix?: Partial<LegMix>;
	/** The call id the log writes (default: the generator's). */
	callId?(n: number): string;
	/** The legs the log writes, when it writes some the generator does not (an extension rung out on a lost call). */
	logged?(call: LegCall): LegRow[];
	/** The log writes the caller's time in queue (`wait_s`): the import's wait is read from it. */
	writesWait?: boolean;
	/** The log has no header line (its columns are known by position). */
	headerless?: boolean;
	/** How the log names an agent and a queue (the import gives these names). */
	agentLabel?(agent: string): string;
	queueLabel?(queue: string): string;
}

const DIRECTION_WORD: Record<DirectionClass, string> = { inbound: 'Inbound', outbound: 'Outbound', internal: 'Internal', queue: 'Queue' };
const STATUS_WORD: Record<StatusClass, string> = {
	answered: 'Answered',
	no_answer: 'No answer',
	busy: 'Busy',
	failed: 'Failed',
	voicemail: 'Voicemail',
	ivr: 'IVR',
	closed: 'Closed'
};

/** A PBX of no vendor in particular: its own column names, a title and an export date, a totals row. */
const GENERIC: LegLayout = {
	id: 'generic',
	header: ['Call ID', 'Call Direction', 'Call Status', 'Start Time', 'Answer Time', 'End Time', 'Ringing', 'Talking', 'Agent', 'Queue', 'From', 'To'],
	delimiter: ',',
	titles: (on) => ['Call Log Report', `Exported ${on}`],
	row: (l) => [
		l.call_id,
		DIRECTION_WORD[l.direction],
		STATUS_WORD[l.status],
		clock(l.start),
		l.answer === null ? '' : clock(l.answer),
		clock(l.end),
		String(l.ring_s),
		String(l.talk_s),
		l.agent ?? '',
		l.queue ?? '',
		l.from,
		l.to
	],
	footer: (truth) => [['Totals', String(truth.legs)]],
	mapping: {
		call_id: 'Call ID',
		direction: 'Call Direction',
		status: 'Call Status',
		arrival: 'Start Time',
		answer: 'Answer Time',
		end: 'End Time',
		ring: 'Ringing',
		talk: 'Talking',
		agent: 'Agent',
		queue: 'Queue',
		from: 'From',
		to: 'To'
	}
};

/** Every leg layout by name; vendors' modules add theirs. */
export const LEG_LAYOUTS: Record<string, LegLayout> = { generic: GENERIC };

export function legLayout(id: string): LegLayout {
	const layout = LEG_LAYOUTS[id];
	if (!layout) throw new Error(`unknown leg layout ${id}; known: ${Object.keys(LEG_LAYOUTS).join(', ')}`);
	return layout;
}

export interface LegFileOptions {
	/** Write the layout's title lines above the header (default true). */
	titles?: boolean;
	/** Write the layout's footer rows (default true). */
	footer?: boolean;
	mix?: LegMix;
	/** Yeastar: status and type words in the Chinese UI's words. */
	lang?: 'en' | 'zh';
	/** Write the header line (default: unless the layout has none). */
	header?: boolean;
	/** Cisco UCM: the PBX's offset from UTC (its times are UTC epoch seconds); the app's default, +8 h. */
	utcOffsetSeconds?: number;
}

const field = (s: string, delimiter: string) => (s.includes(delimiter) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

const MACHINE: StatusClass[] = ['voicemail', 'ivr', 'closed'];
const isAgentLeg = (l: LegRow) => l.agent !== null && !MACHINE.includes(l.status);

/**
 * The call as the import should give it from the legs the layout writes (LEGS-CONTRACT section
 * 4): the generator's call, in the layout's names; a call answered by voicemail only is
 * `unanswered` when an agent leg rang, else `other`; where the log writes the time in queue, the
 * wait is read from it.
 */
function callTruth(layout: LegLayout, call: LegCall): LegCallTruth {
	const t = call.truth!;
	const inbound = call.legs.filter((l) => l.direction === 'inbound' || l.direction === 'queue');
	const machineOnly = t.outcome !== 'answered' && call.legs.some((l) => MACHINE.includes(l.status));
	const written = call.legs.map((l) => l.wait_s ?? 0);
	return {
		call_id: t.call_id,
		arrival: clock(Math.min(...inbound.map((l) => l.start))),
		queue: layout.queueLabel?.(t.queue) ?? t.queue,
		agent: t.agent === null ? null : (layout.agentLabel?.(t.agent) ?? t.agent),
		outcome: machineOnly ? (call.legs.some(isAgentLeg) ? 'unanswered' : 'other') : t.outcome,
		wait_s: layout.writesWait ? Math.max(...written) : t.wait_s,
		talk_s: t.talk_s
	};
}

/** The leg log's lines (each ending in a line break), filling `truth` as they are written. */
export function* legLines(options: GeneratorOptions, layout: LegLayout, truth: LegTruth, file: LegFileOptions = {}): Generator<string> {
	const line = (cells: string[]) => cells.map((c) => field(c, layout.delimiter)).join(layout.delimiter) + '\n';
	if (file.titles ?? true)
		for (const title of layout.titles(clock(Date.parse(`${options.start}T00:00:00Z`) / 1000).slice(0, 10))) {
			truth.titleRows++;
			yield line([title]);
		}
	if (file.header ?? !layout.headerless) yield line(layout.header);
	for (const cells of layout.underHeader ?? []) {
		truth.titleRows++;
		yield line(cells);
	}
	const sums = { ring_s: 0, talk_s: 0 };
	let n = 0;
	for (const generated of callLegs(options, { ...DEFAULT_LEG_MIX, ...file.mix, ...layout.mix })) {
		n++;
		const id = layout.callId?.(n) ?? generated.legs[0]!.call_id;
		const named: LegCall = { ...generated, n, legs: generated.legs.map((l) => ({ ...l, call_id: id })) };
		const call = layout.logged ? { ...named, legs: layout.logged(named) } : named;
		if (call.truth) call.truth = { ...call.truth, call_id: id };
		const rows = layout.rows ? layout.rows(call, file) : call.legs.map((l) => layout.row!(l, call, file));
		truth.legs += rows.length;
		// Every call's rows are merged into it, outbound and internal ones too (then left out).
		truth.merged += rows.length - 1;
		if (call.kind === 'outbound') truth.outbound++;
		else if (call.kind === 'internal') truth.internal++;
		else {
			const answered = call.legs.filter((l) => isAgentLeg(l) && l.status === 'answered').length;
			const expected = callTruth(layout, call);
			truth.calls.push(expected);
			truth.attempts += call.legs.filter((l) => isAgentLeg(l) && l.status !== 'answered').length;
			truth.transfers += Math.max(0, answered - 1);
			if (expected.outcome !== 'answered' && call.legs.some((l) => MACHINE.includes(l.status))) truth.voicemail++;
		}
		for (const leg of call.legs) {
			sums.ring_s += leg.ring_s;
			sums.talk_s += leg.talk_s;
		}
		for (const row of rows) yield line(row);
	}
	if (file.footer ?? true)
		for (const row of layout.footer(truth, sums)) {
			truth.footerRows++;
			yield line(row);
		}
}

/** The whole leg log as text, with its truth. */
export function legFile(options: GeneratorOptions, layoutId: string, file: LegFileOptions = {}): { text: string; truth: LegTruth } {
	const layout = legLayout(layoutId);
	const truth = emptyLegTruth();
	const text = [...legLines(options, layout, truth, file)].join('');
	return { text, truth };
}
