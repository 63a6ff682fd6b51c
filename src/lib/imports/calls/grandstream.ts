import { blank, callsFromLegs, channelName, columnSeconds, columnTime, findColumn, legTimeChecks, q, type AssemblyContext, type CallAssembly } from './sql';

/** The columns a Grandstream UCM CDR export is recognised by. */
export const GRANDSTREAM_SIGNATURE = ['Start Time', 'Answer Time', 'End Time', 'Disposition', 'Session', 'Action Type'];

/**
 * Grandstream UCM CDR, as its web page exports it (header `Start Time, Answer Time,
 * End Time, Call From, Call To, Call Time, Talk Time, …, Disposition, …, Answered by,
 * Session, Action Type`): one row per leg, the legs of one call sharing a `Session`.
 *
 * Which rows are one call: all rows of a Session (`legs`).
 * - A leg is offered to agents when its Action Type is a queue, ring group, dial, follow-me
 *   or transfer (`QUEUE[6500]`, `RINGGROUP[…]`, `DIAL`…); a call without such a leg (IVR,
 *   voicemail, conference only) is `other`.
 * - A leg answered by an agent is an offered leg with Disposition ANSWERED; the first by
 *   answer time answers the call: the agent is `Answered by` (else the destination channel
 *   or `Call To`), talk its `Talk Time`.
 * - queue = the bracketed name of the first queue or ring-group leg (else the first leg's
 *   `Call To`); arrival = the first Start Time; ended = the last End Time;
 *   wait = answer − arrival, or ended − arrival when nobody answered; caller = the first
 *   leg's `Caller Number` (else `Call From`).
 * - Offered, not answered: abandoned when a leg ended NO ANSWER, else unanswered.
 */
/** The number of a party written `"Name" <number>`, else the text as written. */
const numberOf = (expr: string) => `coalesce(${blank(`regexp_extract(${expr}, '<([^>]*)>', 1)`)}, ${expr})`;

export function grandstream(ctx: AssemblyContext): CallAssembly {
	const col = (...names: string[]) => findColumn(ctx.columns, ...names);
	const text = (...names: string[]) => {
		const c = col(...names);
		return c ? blank(q(c)) : 'NULL::VARCHAR';
	};
	const start = col('Start Time')!;
	const answerCol = col('Answer Time')!;
	const endCol = col('End Time')!;
	const action = `upper(coalesce(${text('Action Type')}, ''))`;
	const disposition = `upper(coalesce(${text('Disposition', 'Status')}, ''))`;
	const offered = `regexp_matches(${action}, '^(QUEUE|RINGGROUP|RING GROUP|DIAL|FOLLOWME|FOLLOW ME|TRANSFER|CALLBACK)')`;
	const byAgent = `(${offered} AND ${disposition} = 'ANSWERED')`;
	const talk = col('Talk Time', 'Billsec');
	const dest = col('Dest Channel', 'Destination Channel', 'dstchannel');
	const agent = `coalesce(${text('Answered by', 'Answer by')}, ${dest ? channelName(blank(q(dest))) : 'NULL'}, ${text('Call To', 'Callee')})`;
	const queueOf = `regexp_extract(${action}, '^(?:QUEUE|RINGGROUP|RING GROUP)\\[([^\\]]*)\\]', 1)`;
	return {
		select: callsFromLegs(`SELECT coalesce(${text('Session')}, __file || ':' || __line) AS call_key,
    nullif(${queueOf}, '') AS l_queue, ${text('Call To', 'Callee')} AS l_fallback_queue, ${agent} AS l_agent,
    ${columnTime(start)} AS l_start, ${columnTime(answerCol)} AS l_answer, ${columnTime(endCol)} AS l_end,
    ${talk ? columnSeconds(talk) : 'NULL::DOUBLE'} AS l_talk,
    ${offered} AS offered, ${byAgent} AS by_agent, ${disposition} = 'NO ANSWER' AS no_answer,
    ${numberOf(text('Caller Number', 'Call From', 'Caller', 'src'))} AS l_caller, ${text('Call To', 'Callee')} AS l_callee, __file, __line
  FROM ${ctx.stage}`),
		checks: legTimeChecks(ctx, start, answerCol, endCol),
		exclusions: []
	};
}
