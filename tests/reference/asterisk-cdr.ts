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
 * - A leg is offered to an agent when dstchannel is non-empty or it ran Dial or Queue. No offered leg → IVR-only,
 *   outcome other.
 * - A leg is answered by an agent when it has a dstchannel, disposition ANSWERED and lastapp is not
 *   VoiceMail. The call is answered when some leg is; the answering leg is the first by answer
 *   time, then line: answer = its answer, agent = its dstchannel without the trailing
 *   `-<hex>` (and optional `;N`), talk_s = its billsec.
 * - arrival = min start; ended = max end; queue = dst of the first leg;
 *   wait_s = answer − arrival (answered), else ended − arrival.
 * - Offered, not answered: abandoned if some offered leg has disposition NO ANSWER, else
 *   unanswered.
 * - merged.legs = rows − calls. rowsRead = non-empty lines.
 */
const C = {
	dst: 2,
	dstchannel: 6,
	lastapp: 7,
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
	dst: string;
	dstchannel: string;
	lastapp: string;
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
			dst: f[C.dst]!,
			dstchannel: f[C.dstchannel]!.trim(),
			lastapp: f[C.lastapp]!.trim(),
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

	for (const [id, legs] of calls) {
		legs.sort((a, b) => a.start.getTime() - b.start.getTime() || a.line - b.line);
		const first = legs[0]!;
		const arrival = new Date(Math.min(...legs.map((l) => l.start.getTime())));
		const ends = legs.filter((l) => l.end).map((l) => l.end!.getTime());
		const ended = ends.length ? new Date(Math.max(...ends)) : null;
		const offered = legs.filter((l) => l.dstchannel !== '' || ['dial', 'queue'].includes(l.lastapp.toLowerCase()));
		const byAgent = offered
			.filter((l) => l.dstchannel !== '' && l.disposition === 'ANSWERED' && l.lastapp.toLowerCase() !== 'voicemail')
			.sort((a, b) => (a.answer?.getTime() ?? Infinity) - (b.answer?.getTime() ?? Infinity) || a.line - b.line);
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
			call.answer = answering.answer;
			call.agent = agentOfChannel(answering.dstchannel);
			call.talk_s = answering.billsec;
			call.wait_s = answering.answer ? secondsBetween(arrival, answering.answer) : null;
		} else {
			if (offered.length > 0) call.outcome = offered.some((l) => l.disposition === 'NO ANSWER') ? 'abandoned' : 'unanswered';
			call.wait_s = ended ? secondsBetween(arrival, ended) : null;
		}
		result.calls.push(call);
	}
	bump(result.merged, 'legs', result.rowsRead - result.calls.length);
	return result;
}
