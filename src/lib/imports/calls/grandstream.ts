import { blank, channelName, findColumn, firstRow, present, q, requiredCheck, secondsBetween, seconds, time, timeCheck, type AssemblyContext, type CallAssembly } from './sql';

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
 *   wait = answer − arrival, or ended − arrival when nobody answered.
 * - Offered, not answered: abandoned when a leg ended NO ANSWER, else unanswered.
 */
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
		select: `WITH legs AS (
  SELECT coalesce(${text('Session')}, __file || ':' || __line) AS call_key,
    ${time(blank(q(start)), 0)} AS l_start, ${time(blank(q(answerCol)), 0)} AS l_answer, ${time(blank(q(endCol)), 0)} AS l_end,
    ${talk ? seconds(blank(q(talk))) : 'NULL::DOUBLE'} AS l_talk,
    nullif(${queueOf}, '') AS l_queue, ${text('Call To', 'Callee')} AS l_to, ${agent} AS l_agent,
    ${offered} AS offered, ${byAgent} AS by_agent, ${disposition} = 'NO ANSWER' AS no_answer, __file, __line
  FROM ${ctx.stage}
), ranked AS (
  SELECT *,
    row_number() OVER (PARTITION BY call_key ORDER BY l_start NULLS LAST, __file, __line) AS first_rank,
    row_number() OVER (PARTITION BY call_key ORDER BY l_queue IS NULL, l_start NULLS LAST, __file, __line) AS queue_rank,
    row_number() OVER (PARTITION BY call_key ORDER BY by_agent DESC, l_answer NULLS LAST, __file, __line) AS answer_rank
  FROM legs
), calls AS (
  SELECT call_key,
    coalesce(max(l_queue) FILTER (WHERE queue_rank = 1), max(l_to) FILTER (WHERE first_rank = 1)) AS queue,
    max(l_agent) FILTER (WHERE answer_rank = 1 AND by_agent) AS agent,
    min(l_start) AS arrival,
    max(l_answer) FILTER (WHERE answer_rank = 1 AND by_agent) AS answer,
    max(l_end) AS ended,
    max(l_talk) FILTER (WHERE answer_rank = 1 AND by_agent) AS talk_s,
    bool_or(by_agent) AS was_answered, bool_or(offered) AS was_offered, bool_or(offered AND no_answer) AS rang_out,
    ${firstRow('first_rank')}
  FROM ranked GROUP BY call_key
)
SELECT call_key AS call_id, queue, agent, arrival, answer, ended,
  CASE WHEN was_answered THEN ${secondsBetween('arrival', 'answer')} ELSE ${secondsBetween('arrival', 'ended')} END AS wait_s,
  talk_s, NULL::DOUBLE AS hold_s, NULL::DOUBLE AS wrap_s,
  CASE WHEN was_answered THEN 'answered' WHEN NOT was_offered THEN 'other' WHEN rang_out THEN 'abandoned' ELSE 'unanswered' END AS outcome,
  source_file, source_line, __legs, __dups, NULL::VARCHAR AS __note
FROM calls`,
		checks: present(ctx, [requiredCheck(start), timeCheck(start), timeCheck(answerCol), timeCheck(endCol)]),
		exclusions: []
	};
}
