import { bump, emptyResult, lines, numberOrNull, parseDateTime, secondsBetween, splitCsvLine, text, type RefCall, type RefResult } from './common';

/**
 * Asterisk cdr-csv Master.csv: no header, one row per leg (channel), columns
 *   accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata, start,
 *   answer, end, duration, billsec, disposition, amaflags, uniqueid, userfield
 *   [, peeraccount, linkedid, sequence]
 * times 'YYYY-MM-DD HH:MM:SS' (empty answer = never answered).
 *
 * Rules (the product's documented rules, implemented exactly):
 * - Legs are grouped into calls by linkedid when the row has it and it is non-empty, else by
 *   uniqueid. Legs ordered by start, then line.
 * - A leg is offered to an agent when dstchannel is non-empty, it ran Dial or Queue, or it is a
 *   queue leg (below). No offered leg → IVR-only, outcome other.
 * - A leg is answered by an agent when it has a dstchannel, disposition ANSWERED and lastapp is not
 *   VoiceMail. The call is answered when some leg is; the answering leg is the first by answer
 *   time (legs whose answer is unknown, below, after the rest), then line: answer = its answer,
 *   agent = its dstchannel without the trailing `-<hex>` (and optional `;N`), talk_s = its billsec.
 * - arrival = min start; ended = max end; queue = dst of the first leg;
 *   wait_s = answer − arrival (answered), else ended − arrival.
 * - Offered, not answered: abandoned if some offered leg has disposition NO ANSWER, else
 *   unanswered.
 * - merged.legs = rows − calls assembled (those left out below included). rowsRead = non-empty lines.
 *
 * Queues (a file with at least one queue leg: lastapp Queue, or a dcontext containing "queue",
 * such as FreePBX's ext-queues and from-queue):
 * - A call none of whose legs is a queue leg: inbound when a leg came in from outside: its
 *   channel is a trunk (SIP/trunk…, PJSIP/…trunk…, DAHDI/…, IAX2/…), its dcontext starts with
 *   from-trunk, from-pstn, from-did or ext-did, or its src is an outside number (7+ digits,
 *   optional +) and its dst is not. Inbound calls follow the rules above (a ring group is
 *   offered, the IVR alone is other). Else outbound when a leg goes outside: its dstchannel is a
 *   trunk, it ran Dial with a trunk among its targets (lastdata split on &), or its dst is an
 *   outside number; else internal. Outbound and internal calls were never offered: left out
 *   (excluded.cdr_outbound, excluded.cdr_internal).
 * - The PBX answers the caller (FreePBX): when at least 95 % of the legs that ran Queue have an
 *   answer in the same second as their start, every such leg's answer is the PBX's, not an
 *   agent's: unknown. If the call has member legs (other legs with a dstchannel), such a queue leg
 *   is not answered by an agent (the members say who answered); otherwise it answers as above
 *   but with answer, wait_s and talk_s null (warnings.wait_unknown, per call). Such a leg not
 *   answered by an agent counts as NO ANSWER (the caller hung up in the queue).
 * - Files without queue legs: none of these apply.
 */
const C = {
	src: 1,
	dst: 2,
	dcontext: 3,
	channel: 5,
	dstchannel: 6,
	lastapp: 7,
	lastdata: 8,
	start: 9,
	answer: 10,
	end: 11,
	billsec: 13,
	disposition: 14,
	uniqueid: 16,
	linkedid: 19
} as const;

interface Leg {
	line: number;
	src: string;
	dst: string;
	dcontext: string;
	channel: string;
	dstchannel: string;
	lastapp: string;
	lastdata: string;
	start: Date;
	answer: Date | null;
	end: Date | null;
	billsec: number | null;
	disposition: string;
}

/** SIP/100-00000006 → SIP/100; Local/2001@from-internal-0000001a;1 → Local/2001@from-internal. */
export function agentOfChannel(channel: string): string {
	return channel.replace(/-[0-9a-fA-F]+(;\d+)?$/, '');
}

export function refAsteriskCdr(input: string | Uint8Array): RefResult {
	const result = emptyResult();
	const calls = new Map<string, Leg[]>();
	const all = lines(text(input));
	all.forEach((raw, i) => {
		if (raw.trim() === '') return;
		result.rowsRead++;
		const f = splitCsvLine(raw);
		if (f.length < 17) throw new Error(`reference: Master.csv line ${i + 1} has ${f.length} fields`);
		const linkedid = (f[C.linkedid] ?? '').trim();
		const key = linkedid !== '' ? linkedid : f[C.uniqueid]!.trim();
		const start = parseDateTime(f[C.start]!);
		if (!start) throw new Error(`reference: Master.csv line ${i + 1} has no start`);
		const leg: Leg = {
			line: i + 1,
			src: f[C.src]!.trim(),
			dst: f[C.dst]!,
			dcontext: f[C.dcontext]!.trim(),
			channel: f[C.channel]!.trim(),
			dstchannel: f[C.dstchannel]!.trim(),
			lastapp: f[C.lastapp]!.trim(),
			lastdata: f[C.lastdata]!.trim(),
			start,
			answer: parseDateTime(f[C.answer]!),
			end: parseDateTime(f[C.end]!),
			billsec: numberOrNull(f[C.billsec]),
			disposition: f[C.disposition]!.trim().toUpperCase()
		};
		const legs = calls.get(key);
		if (legs) legs.push(leg);
		else calls.set(key, [leg]);
	});

	const allLegs = [...calls.values()].flat();
	const fileHasQueues = allLegs.some(isQueueLeg);
	const ranQueue = allLegs.filter((l) => l.lastapp.toLowerCase() === 'queue');
	const pbxAnswers = ranQueue.length > 0 && ranQueue.filter(answeredAtStart).length >= 0.95 * ranQueue.length;
	const answerUnknown = (l: Leg) => pbxAnswers && l.lastapp.toLowerCase() === 'queue' && answeredAtStart(l);
	let assembled = 0;

	for (const [id, legs] of calls) {
		assembled++;
		legs.sort((a, b) => a.start.getTime() - b.start.getTime() || a.line - b.line);
		const first = legs[0]!;
		const arrival = new Date(Math.min(...legs.map((l) => l.start.getTime())));
		const ends = legs.filter((l) => l.end).map((l) => l.end!.getTime());
		const ended = ends.length ? new Date(Math.max(...ends)) : null;

		if (fileHasQueues && !legs.some(isQueueLeg)) {
			const kinds = legs.map(legKind);
			if (!kinds.includes('inbound')) {
				bump(result.excluded, kinds.includes('outbound') ? 'cdr_outbound' : 'cdr_internal');
				continue;
			}
		}

		const hasMembers = legs.some((l) => l.lastapp.toLowerCase() !== 'queue' && l.dstchannel !== '');
		const offered = legs.filter((l) => l.dstchannel !== '' || ['dial', 'queue'].includes(l.lastapp.toLowerCase()) || isQueueLeg(l));
		const answersForAgent = (l: Leg) =>
			l.dstchannel !== '' && l.disposition === 'ANSWERED' && l.lastapp.toLowerCase() !== 'voicemail' && !(answerUnknown(l) && hasMembers);
		const knownAnswer = (l: Leg) => (answerUnknown(l) || !l.answer ? Infinity : l.answer.getTime());
		const byAgent = offered.filter(answersForAgent).sort((a, b) => knownAnswer(a) - knownAnswer(b) || a.line - b.line);
		const answering = byAgent[0];

		const call: RefCall = {
			id,
			queue: first.dst === '' ? null : first.dst,
			agent: null,
			arrival,
			answer: null,
			ended,
			wait_s: null,
			talk_s: null,
			outcome: 'other'
		};
		if (answering) {
			call.outcome = 'answered';
			call.agent = agentOfChannel(answering.dstchannel);
			if (answerUnknown(answering)) bump(result.warnings, 'wait_unknown');
			else {
				call.answer = answering.answer;
				call.talk_s = answering.billsec;
				call.wait_s = answering.answer ? secondsBetween(arrival, answering.answer) : null;
			}
		} else {
			const rangOut = (l: Leg) => l.disposition === 'NO ANSWER' || answerUnknown(l);
			if (offered.length > 0) call.outcome = offered.some(rangOut) ? 'abandoned' : 'unanswered';
			call.wait_s = ended ? secondsBetween(arrival, ended) : null;
		}
		result.calls.push(call);
	}
	bump(result.merged, 'legs', result.rowsRead - assembled);
	return result;
}

const TRUNK = /^(SIP\/trunk|PJSIP\/[^&,]*trunk|DAHDI\/|IAX2\/)/i;
const OUTSIDE_NUMBER = /^\+?\d{7,}$/;

function isQueueLeg(l: Leg): boolean {
	return l.lastapp.toLowerCase() === 'queue' || l.dcontext.toLowerCase().includes('queue');
}

function answeredAtStart(l: Leg): boolean {
	return l.answer !== null && Math.floor(l.answer.getTime() / 1000) === Math.floor(l.start.getTime() / 1000);
}

/** Where a leg of a call that never reached a queue comes from or goes to. */
function legKind(l: Leg): 'inbound' | 'outbound' | 'internal' {
	const outside = (n: string) => OUTSIDE_NUMBER.test(n.trim());
	if (TRUNK.test(l.channel) || /^(from-trunk|from-pstn|from-did|ext-did)/i.test(l.dcontext) || (outside(l.src) && !outside(l.dst))) return 'inbound';
	const dialsTrunk = l.lastapp.toLowerCase() === 'dial' && l.lastdata.split('&').some((target) => TRUNK.test(target.trim()));
	if (TRUNK.test(l.dstchannel) || dialsTrunk || outside(l.dst)) return 'outbound';
	return 'internal';
}
