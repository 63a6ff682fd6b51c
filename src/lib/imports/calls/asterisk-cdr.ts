import {
	blank,
	callsFromLegs,
	channelName,
	optional,
	present,
	q,
	requiredCheck,
	durationCheck,
	seconds,
	time,
	timeCheck,
	type AssemblyContext,
	type CallAssembly
} from './sql';

/**
 * Asterisk CDR (cdr-csv `Master.csv`, no header; or the `cdr` table exported from a
 * database, with a header row and `calldate` instead of start/answer/end).
 *
 * Which rows are one call: Asterisk writes one CDR row per channel pair (leg). A ring
 * group or queue dialling three phones writes three rows for one caller.
 * - Legs are grouped by `linkedid` (Asterisk ≥ 1.8) where the file has it and it is set,
 *   else by `uniqueid`: without linkedid, the legs Dial() forks from one caller channel
 *   share the caller's uniqueid (Asterisk 1.4–11 cdr-csv). A row with neither is a call.
 * - A leg is offered to an agent when it has a destination channel or ran Dial/Queue.
 *   A call none of whose legs was offered (IVR, voicemail menus, echo tests) is `other`:
 *   counted in volume, never as an abandon.
 * - A leg is answered by an agent when it has a destination channel, its disposition is
 *   ANSWERED and its last application is not VoiceMail (a mailbox answering is not an
 *   agent). The first such leg by answer time answers the call: its answer time, its
 *   destination channel (without the per-call suffix) as the agent, its billsec as talk.
 * - arrival = the first leg's start; ended = the last leg's end; queue = the first leg's
 *   dst (the number called); wait = answer − arrival, or ended − arrival when nobody answered.
 * - Offered, not answered: abandoned when a leg ended NO ANSWER (the caller hung up while
 *   it rang or queued), else unanswered (BUSY, FAILED, CONGESTION, voicemail).
 */
export function asteriskCdr(ctx: AssemblyContext): CallAssembly {
	const has = (c: string) => ctx.columns.includes(c);
	const startText = has('start') ? blank(q('start')) : blank(q('calldate'));
	const start = time(startText, 0);
	const duration = seconds(blank(q('duration')));
	const billsec = seconds(blank(q('billsec')));
	const answered = `trim(disposition) = 'ANSWERED'`;
	// A database export may lack answer and end: they follow from duration and billsec.
	const answer = has('answer') ? time(blank(q('answer')), 0) : `CASE WHEN ${answered} THEN ${start} + to_seconds(${duration} - ${billsec}) END`;
	const end = has('end') ? time(blank(q('end')), 0) : `${start} + to_seconds(${duration})`;
	const key = `coalesce(${optional(ctx, 'linkedid')}, ${optional(ctx, 'uniqueid')}, __file || ':' || __line)`;
	const app = `lower(trim(coalesce(lastapp, '')))`;
	const offered = `(${blank('dstchannel')} IS NOT NULL OR ${app} IN ('dial', 'queue'))`;
	const byAgent = `(${blank('dstchannel')} IS NOT NULL AND ${answered} AND ${app} <> 'voicemail')`;
	const startColumn = has('start') ? 'start' : 'calldate';
	return {
		select: callsFromLegs(`SELECT ${key} AS call_key, ${blank('dst')} AS l_queue, NULL::VARCHAR AS l_fallback_queue,
    ${channelName(blank('dstchannel'))} AS l_agent, ${start} AS l_start, ${answer} AS l_answer, ${end} AS l_end, ${billsec} AS l_talk,
    ${offered} AS offered, ${byAgent} AS by_agent, trim(disposition) = 'NO ANSWER' AS no_answer, __file, __line
  FROM ${ctx.stage}`),
		checks: present(ctx, [
			requiredCheck(startColumn),
			timeCheck(startColumn),
			timeCheck('answer'),
			timeCheck('end'),
			requiredCheck('disposition'),
			durationCheck('duration'),
			durationCheck('billsec')
		]),
		exclusions: []
	};
}
