import { blank, ONE_ROW, q, type AssemblyContext, type CallAssembly } from './sql';

/**
 * The layout of the bank call-center research data ("Anonymous Bank", Technion SEE lab):
 * one row per call, tab-separated, `date` as YYMMDD and times of day as H:MM:SS, where
 * `0:00:00` means "did not happen".
 *
 * One row is one call, identified by `vru+line` and `call_id` together (call_id alone repeats
 * across lines). Times are of the row's date; a time more than 12 hours earlier than the
 * call's VRU entry is past midnight, on the next day. PHANTOM calls are left out before anything else: the data's own
 * documentation says they are not real calls. AGENT calls are answered (server
 * `NO_SERVER` means no agent was recorded: answered, agent unknown); HANG after queueing
 * is an abandon; HANG in the voice response unit is `other` (never offered). The wait is
 * the data's own `q_time`. Service starting a second or two before the queue start (clock
 * skew between the unit and the switch) is repaired by the pipeline's clock-skew rule.
 */
export function bankResearch(ctx: AssemblyContext): CallAssembly {
	const day = `CAST(coalesce(try_strptime(trim("date"), '%y%m%d'), TRY_CAST(trim("date") AS TIMESTAMP)) AS DATE)`;
	const clock = (col: string) => `TRY_CAST(trim(${col}) AS TIME)`;
	const none = (col: string) => `trim(${col}) IN ('0:00:00', '00:00:00', '')`;
	const secondOfDay = (col: string) => `(hour(${clock(col)}) * 3600 + minute(${clock(col)}) * 60 + second(${clock(col)}))`;
	// After midnight: more than 12 hours before the VRU entry (the call's first time) is the
	// next day (a few seconds before it is clock skew, left to the skew rule).
	const at = (col: string) => `CASE WHEN ${none(col)} THEN NULL
    ELSE ${day} + ${clock(col)} + CASE WHEN NOT ${none('vru_entry')} AND ${secondOfDay('vru_entry')} - ${secondOfDay(col)} > 43200 THEN INTERVAL 1 DAY ELSE INTERVAL 0 DAY END END`;
	const agent = `trim(outcome) = 'AGENT'`;
	return {
		select: `SELECT
  coalesce(${blank('"vru+line"')} || '/' || ${blank('call_id')}, ${blank('call_id')}, __file || ':' || __line) AS call_id,
  ${blank('"type"')} AS queue,
  CASE WHEN ${agent} THEN nullif(trim(server), 'NO_SERVER') END AS agent,
  coalesce(${at('q_start')}, ${at('ser_start')}, ${at('vru_exit')}) AS arrival,
  CASE WHEN ${agent} THEN ${at('ser_start')} END AS answer,
  CASE WHEN ${agent} THEN ${at('ser_exit')} ELSE coalesce(${at('q_exit')}, ${at('vru_exit')}) END AS ended,
  coalesce(TRY_CAST(q_time AS DOUBLE), 0) AS wait_s,
  CASE WHEN ${agent} THEN TRY_CAST(ser_time AS DOUBLE) END AS talk_s,
  NULL::DOUBLE AS hold_s, NULL::DOUBLE AS wrap_s,
  CASE WHEN ${agent} THEN 'answered'
       WHEN trim(outcome) = 'HANG' AND TRY_CAST(q_time AS DOUBLE) > 0 THEN 'abandoned'
       ELSE 'other' END AS outcome,
  ${ONE_ROW}, NULL::VARCHAR AS caller, NULL::VARCHAR AS __callee
FROM ${ctx.stage}`,
		checks: [
			{ column: 'date', problem: 'date', bad: `${day} IS NULL` },
			...['vru_entry', 'vru_exit', 'q_start', 'q_exit', 'ser_start', 'ser_exit'].map((column) => ({
				column,
				problem: 'time' as const,
				bad: `${blank(q(column))} IS NOT NULL AND TRY_CAST(trim(${q(column)}) AS TIME) IS NULL`
			}))
		],
		exclusions: [{ code: 'phantom', where: `trim(outcome) = 'PHANTOM'`, value: `coalesce(call_id, '') || ' ' || coalesce(outcome, '')` }]
	};
}
