import { q, requiredCheck, time, timeCheck, type AssemblyContext, type CallAssembly } from './sql';

const CALL_EVENTS = [
	'ENTERQUEUE',
	'CONNECT',
	'COMPLETEAGENT',
	'COMPLETECALLER',
	'ABANDON',
	'EXITWITHTIMEOUT',
	'EXITWITHKEY',
	'EXITEMPTY',
	'TRANSFER',
	'BLINDTRANSFER',
	'ATTENDEDTRANSFER'
];
const TRANSFERS = ['TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER'];
/** Events after which the call is over. */
const TERMINAL = ['COMPLETEAGENT', 'COMPLETECALLER', 'ABANDON', 'EXITWITHTIMEOUT', 'EXITWITHKEY', 'EXITEMPTY', ...TRANSFERS];
const list = (events: string[]) => events.map((e) => `'${e}'`).join(', ');

/**
 * Asterisk `queue_log` (pipe-separated file, or the queue_log table exported from a database
 * with a header row; columns time, callid, queue, agent, event, data1…data5).
 *
 * Which events are one call:
 * - Events are ordered by time, then by their place in the file (a log written out of
 *   order is read in time order). Agent and queue events (callid NONE) are not calls.
 * - A call starts at its ENTERQUEUE: an id the PBX uses again after the call ended (ids
 *   restart with the PBX) is a new call, never merged into one day-long call. Events of an
 *   id before any ENTERQUEUE (the log starts mid-call, or the queue was entered elsewhere)
 *   form a call of their own whose arrival is its first event (`no_enterqueue`).
 * - Answered at the first CONNECT (wait = its holdtime, agent = the last connected agent);
 *   ABANDON is an abandon (wait = its waittime); EXITWITHTIMEOUT, EXITWITHKEY, EXITEMPTY are
 *   unanswered; talk = COMPLETEAGENT/COMPLETECALLER's calltime, or a transfer's.
 * - caller = ENTERQUEUE's data2 (its fields are url|callerid|position), as written.
 * - A call with no ending event is still in progress when the log ends: connected ones are
 *   kept as answered with unknown talk (`in_progress_answered`); ones still waiting are left
 *   out, since their outcome is not known yet (`in_progress_waiting`).
 */
export function queueLog(ctx: AssemblyContext): CallAssembly {
	const num = (c: string) => `TRY_CAST(${c} AS DOUBLE)`;
	// A database export may lack any column but time, callid and event (a table with no agent column, say): the rest read as NULL.
	const column = (name: string) => (ctx.columns.includes(name) ? `trim(${q(name)})` : 'NULL::VARCHAR');
	const data = (n: number) => (ctx.columns.includes(`data${n}`) ? q(`data${n}`) : 'NULL::VARCHAR');
	return {
		select: `WITH e AS (
  SELECT trim(callid) AS callid, ${column('queue')} AS queue, ${column('agent')} AS agent, trim(event) AS event,
    ${data(1)} AS d1, ${data(2)} AS d2, ${data(3)} AS d3, ${data(4)} AS d4, __file, __line, ${time(`trim("time")`, ctx.offsetSeconds)} AS ts
  FROM ${ctx.stage}
  WHERE trim(callid) NOT IN ('NONE', '') AND trim(event) IN (${list(CALL_EVENTS)})
), numbered AS (
  SELECT *, sum((event = 'ENTERQUEUE')::INTEGER) OVER (PARTITION BY callid ORDER BY ts, __file, __line ROWS UNBOUNDED PRECEDING) AS seq
  FROM e
), ordered AS (
  SELECT *, row_number() OVER (PARTITION BY callid, seq ORDER BY ts, __file, __line) AS ord FROM numbered
), calls AS (
  SELECT callid, seq,
    max(queue) FILTER (WHERE ord = 1) AS queue,
    arg_max(nullif(agent, 'NONE'), ord) FILTER (WHERE event IN ('CONNECT', 'COMPLETEAGENT', 'COMPLETECALLER', ${list(TRANSFERS)})) AS agent,
    min(ts) AS arrival,
    min(ts) FILTER (WHERE event = 'CONNECT') AS answer,
    max(ts) AS ended,
    coalesce(max(${num('d1')}) FILTER (WHERE event = 'CONNECT'),
             max(${num('d3')}) FILTER (WHERE event IN ('ABANDON', 'EXITWITHTIMEOUT')),
             max(${num('d1')}) FILTER (WHERE event IN ('COMPLETEAGENT', 'COMPLETECALLER'))) AS wait_s,
    coalesce(max(${num('d2')}) FILTER (WHERE event IN ('COMPLETEAGENT', 'COMPLETECALLER')),
             max(${num('d4')}) FILTER (WHERE event IN (${list(TRANSFERS)}))) AS talk_s,
    bool_or(event = 'CONNECT') AS connected, bool_or(event = 'ABANDON') AS abandoned,
    bool_or(event IN ('EXITWITHTIMEOUT', 'EXITWITHKEY', 'EXITEMPTY')) AS exited,
    bool_or(event IN (${list(TERMINAL)})) AS over,
    max(__file) FILTER (WHERE ord = 1) AS source_file, max(__line) FILTER (WHERE ord = 1) AS source_line,
    max(nullif(trim(d2), '')) FILTER (WHERE event = 'ENTERQUEUE') AS caller
  FROM ordered GROUP BY callid, seq
)
SELECT
  CASE WHEN seq = 1 OR (seq = 0 AND max(seq) OVER (PARTITION BY callid) = 0) THEN callid ELSE callid || '#' || seq END AS call_id,
  queue, agent, arrival, answer, CASE WHEN over THEN ended END AS ended, wait_s, talk_s,
  NULL::DOUBLE AS hold_s, NULL::DOUBLE AS wrap_s,
  CASE WHEN connected THEN 'answered' WHEN abandoned THEN 'abandoned' WHEN exited THEN 'unanswered' ELSE 'other' END AS outcome,
  source_file, source_line, caller, NULL::VARCHAR AS __callee, 1::BIGINT AS __legs, 0::BIGINT AS __dups,
  CASE WHEN NOT over AND connected THEN 'in_progress_answered'
       WHEN NOT over THEN 'in_progress_waiting'
       WHEN seq = 0 THEN 'no_enterqueue' END AS __note
FROM calls`,
		checks: [requiredCheck('time'), timeCheck('time', ctx.offsetSeconds), requiredCheck('event')],
		exclusions: []
	};
}
