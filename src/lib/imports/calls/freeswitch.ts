import { blank, requiredCheck, secondsBetween, seconds, time, timeCheck, type AssemblyContext, type CallAssembly } from './sql';

/**
 * FreeSWITCH `cdr_csv`, default template (15 fields, no header; quoted, or unquoted after
 * a spreadsheet re-saved it).
 *
 * Which rows are one call:
 * - Rows with the same `uuid` are one channel written twice (a re-saved or concatenated
 *   file): one row is kept, the first by line (`duplicate_id`).
 * - A row whose `uuid` is another row's `bleg_uuid` is that call's b-leg (the channel the
 *   call was bridged to) and joins its a-leg (`legs`).
 * - With a b-leg, the call is answered when the b-leg was: its answer time, its billsec as
 *   talk and its destination_number as the agent. Without one, the a-leg's answer decides
 *   (the agent is not in the row).
 * - queue = the a-leg's destination_number; arrival = its start; ended = the later end;
 *   wait = answer − arrival, or the a-leg's duration when not answered; caller = the a-leg's
 *   caller_id_number.
 * - Not answered: abandoned when the caller hung up (ORIGINATOR_CANCEL, NORMAL_CLEARING),
 *   else unanswered (busy, no answer, rejected…).
 */
export function freeswitch(ctx: AssemblyContext): CallAssembly {
	const at = (c: string) => time(blank(c), 0);
	return {
		select: `WITH rows AS (
  SELECT *, coalesce(${blank('uuid')}, __file || ':' || __line) AS id,
    row_number() OVER (PARTITION BY coalesce(${blank('uuid')}, __file || ':' || __line) ORDER BY __file, __line) AS copy
  FROM ${ctx.stage}
), channels AS (
  SELECT r.*, count(*) OVER (PARTITION BY r.id) AS copies FROM rows r
), firsts AS (
  SELECT * FROM channels WHERE copy = 1
), bs AS (
  SELECT * FROM firsts WHERE id IN (SELECT ${blank('bleg_uuid')} FROM firsts WHERE ${blank('bleg_uuid')} IS NOT NULL)
), calls AS (
  SELECT a.id AS call_id, ${blank('a.destination_number')} AS queue,
    ${at('a.start_stamp')} AS arrival,
    CASE WHEN b.id IS NOT NULL THEN ${at('b.answer_stamp')} ELSE ${at('a.answer_stamp')} END AS answer,
    greatest(${at('a.end_stamp')}, ${at('b.end_stamp')}) AS ended,
    CASE WHEN b.id IS NOT NULL THEN ${seconds(blank('b.billsec'))} ELSE ${seconds(blank('a.billsec'))} END AS bill,
    CASE WHEN b.id IS NOT NULL AND ${blank('b.answer_stamp')} IS NOT NULL THEN ${blank('b.destination_number')} END AS agent,
    ${seconds(blank('a.duration'))} AS a_duration, trim(a.hangup_cause) AS cause,
    a.__file AS source_file, a.__line AS source_line, ${blank('a.caller_id_number')} AS caller,
    (1 + (b.id IS NOT NULL)::INTEGER)::BIGINT AS __legs,
    (a.copies - 1 + coalesce(b.copies - 1, 0))::BIGINT AS __dups
  FROM firsts a LEFT JOIN bs b ON b.id = ${blank('a.bleg_uuid')}
  WHERE a.id NOT IN (SELECT id FROM bs)
)
SELECT call_id, queue, agent, arrival, answer, ended,
  CASE WHEN answer IS NOT NULL THEN ${secondsBetween('arrival', 'answer')} ELSE a_duration END AS wait_s,
  CASE WHEN answer IS NOT NULL THEN bill END AS talk_s, NULL::DOUBLE AS hold_s, NULL::DOUBLE AS wrap_s,
  CASE WHEN answer IS NOT NULL THEN 'answered' WHEN cause IN ('ORIGINATOR_CANCEL', 'NORMAL_CLEARING') THEN 'abandoned' ELSE 'unanswered' END AS outcome,
  source_file, source_line, caller, NULL::VARCHAR AS __callee, __legs, __dups, NULL::VARCHAR AS __note
FROM calls`,
		checks: [requiredCheck('start_stamp'), timeCheck('start_stamp'), timeCheck('answer_stamp'), timeCheck('end_stamp')],
		exclusions: []
	};
}
