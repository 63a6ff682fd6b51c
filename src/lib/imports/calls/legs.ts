import type { Mapping, MappableField } from '../canonical';
import { legValueCase } from '../leg-values';
import { maskedNumber } from '../caller-mask';
import { mapped, answerEvidence } from './mapped';
import { dateOf, duration, moment, momentAfter } from './sheet-values';
import { blank, callsFromLegs, MAX_DURATION_S, q, secondsBetween, type AssemblyContext, type CallAssembly, type LegRules, type StageCheck } from './sql';

/**
 * A leg log of any PBX: one row per leg (the caller's inbound leg, the queue leg, each agent
 * rung, each transfer), the legs of a call sharing a call id, outbound and internal calls mixed
 * in. Read through a mapping (the user's, or a named vendor's preset) whose `direction` and
 * `status` values are settled before assembly (leg-values.ts).
 *
 * A leg: starts at `arrival` (with `date`), answered at `answer` (else start + `ring`, else
 * end − talk) when its status is answered, ends at `end` (else answer + talk, else start +
 * ring), talks `talk` (else end − answer), waited `wait` in a queue where the log says. Its
 * direction is its direction word's class (inbound when empty); its status its status word's
 * class, or for an empty cell (or no status column) answered when it has an answer time or a
 * talk above zero, else no_answer. An *agent leg* names an agent and was not taken by a
 * machine; a *machine leg* is voicemail, an IVR or a closed-hours message.
 *
 * A call (its legs by call id):
 * 1. inbound when a leg is inbound or queue; else outbound when a leg is outbound; else
 *    internal. Outbound and internal calls are left out (`legs_outbound`, `legs_internal`).
 * 2. arrival = the first inbound leg's start; ended = the last leg's end; queue = the first
 *    leg naming one; caller = the first inbound leg's `caller` (else its `from`) as written.
 * 3. answered when an agent leg was answered: the first by answer time answers it (agent,
 *    answer and talk are that leg's); wait = that leg's time in queue, else the largest time
 *    in queue of the call's legs, else answer − arrival.
 * 4. agent legs not answered are attempts (`legs_attempts`, counted in legs).
 * 5. each answered agent leg after the first is a transfer (`legs_transfers`): still one call.
 * 6. not answered by an agent: taken by a machine (`legs_voicemail`) → unanswered when an
 *    agent rang, else other; else agent legs all busy or failed → unanswered; else abandoned.
 *    wait = the largest time in queue of its legs, else ended − arrival.
 */
export function legs(ctx: AssemblyContext): CallAssembly {
	const { mapping, offsetSeconds, dateOrder } = ctx;
	const text = (field: MappableField): string | null => ctx.preset?.expressions?.[field] ?? (mapping[field] ? blank(q(mapping[field]!)) : null);
	const sql = (field: MappableField, none: string) => text(field) ?? none;
	const date = text('date') ? dateOf(text('date')!, dateOrder) : null;
	const start = text('arrival')
		? moment(text('arrival')!, date ? '__date' : null, offsetSeconds, dateOrder)
		: date
			? `CAST(__date AS TIMESTAMP)`
			: 'NULL::TIMESTAMP';
	const after = (field: 'answer' | 'end') =>
		text(field) ? momentAfter(text(field)!, '__start', date ? '__date' : null, offsetSeconds, dateOrder) : 'NULL::TIMESTAMP';
	const seconds = (field: MappableField) => (text(field) ? duration(text(field)!) : 'NULL::DOUBLE');
	const plus = (at: string, s: string) => `(${at} + to_microseconds(CAST(round(${s} * 1000000) AS BIGINT)))`;
	const minus = (at: string, s: string) => `(${at} - to_microseconds(CAST(round(${s} * 1000000) AS BIGINT)))`;
	const direction =
		mapping.direction || ctx.preset?.expressions?.direction
			? `coalesce(${legValueCase(sql('direction', 'NULL'), ctx.legValues?.direction ?? {})}, 'inbound')`
			: `'inbound'`;
	const evidence = answerEvidence(evidenceMapping(mapping), '__answer_at', '__talk');
	const status = text('status')
		? `coalesce(${legValueCase(text('status')!, ctx.legValues?.status ?? {})}, CASE WHEN ${evidence} THEN 'answered' ELSE 'no_answer' END)`
		: `CASE WHEN ${evidence} THEN 'answered' ELSE 'no_answer' END`;
	// Parties' numbers reach the quality report masked (`caller-mask.ts`).
	const example = `coalesce(${maskedNumber(sql('from', 'NULL'))}, '?') || ' → ' || coalesce(${maskedNumber(sql('to', 'NULL'))}, '?')`;

	const legRows = `WITH dated AS (
  SELECT *, ${date ?? 'NULL::DATE'} AS __date FROM ${ctx.stage}
), started AS (
  SELECT *, ${start} AS __start FROM dated
), timed AS (
  SELECT *, ${after('answer')} AS __answer_at, ${after('end')} AS __end_at, ${seconds('talk')} AS __talk, ${seconds('ring')} AS __ring, ${seconds('wait')} AS __wait FROM started
), classed AS (
  SELECT *, ${direction} AS __direction, ${status} AS __status, ${sql('agent', 'NULL::VARCHAR')} AS __agent FROM timed
), leg AS (
  SELECT *,
    __agent IS NOT NULL AND __status NOT IN ('voicemail', 'ivr', 'closed') AS __agent_leg,
    CASE WHEN __status = 'answered' THEN coalesce(__answer_at, ${plus('__start', '__ring')}, ${minus('__end_at', '__talk')}) END AS __answered_at
  FROM classed
)
SELECT ${sql('call_id', 'NULL::VARCHAR')} AS call_key,
  ${sql('queue', 'NULL::VARCHAR')} AS l_queue, NULL::VARCHAR AS l_fallback_queue,
  CASE WHEN __agent_leg THEN __agent END AS l_agent,
  __start AS l_start, __answered_at AS l_answer,
  coalesce(__end_at, ${plus('__answered_at', '__talk')}, ${plus('__start', '__ring')}, __answered_at, __start) AS l_end,
  CASE WHEN __status = 'answered' THEN coalesce(__talk, ${secondsBetween('__answered_at', '__end_at')}) END AS l_talk,
  __agent_leg OR __direction = 'queue' AS offered,
  __agent_leg AND __status = 'answered' AS by_agent,
  __status = 'no_answer' AS no_answer,
  __direction IN ('inbound', 'queue') AS l_inbound, __direction AS l_direction, __status AS l_status,
  __agent_leg AND __status <> 'answered' AS l_attempt,
  __status IN ('voicemail', 'ivr', 'closed') AS l_machine,
  __wait AS l_wait, ${example} AS l_example,
  ${sql('caller', 'NULL::VARCHAR') === 'NULL::VARCHAR' ? sql('from', 'NULL::VARCHAR') : sql('caller', 'NULL::VARCHAR')} AS l_caller, ${sql('to', 'NULL::VARCHAR')} AS l_callee,
  __file, __line
FROM leg`;
	return {
		select: callsFromLegs(legRows, LEG_LOG_RULES),
		checks: checks(mapping, ctx),
		exclusions: [],
		tallies: [
			{ code: 'legs_attempts', where: '__attempts > 0', value: `'call ' || call_id || ': ' || __attempts || ' attempts'`, count: 'sum(__attempts)' },
			{ code: 'legs_transfers', where: '__transfers > 0', value: `'call ' || call_id || ': ' || __transfers || ' transfers'`, count: 'sum(__transfers)' },
			{ code: 'legs_voicemail', where: '__machine', value: `'call ' || call_id` }
		],
		noteValue: `'call ' || call_id || coalesce(': ' || __example, '')`
	};
}

/** Whether a mapping reads a file as a leg log: a call id, and a direction or a per-leg status. */
export function isLegMapping(mapping: Mapping): boolean {
	return !!mapping.call_id && !!(mapping.direction || mapping.status);
}

/** Answer evidence reads the answer and talk fields only (the leg's own outcome is its status). */
function evidenceMapping(mapping: Mapping): Mapping {
	return { answer: mapping.answer, talk: mapping.talk };
}

/** The rules of steps 1–6 above, as callsFromLegs takes them. */
const LEG_LOG_RULES: LegRules = {
	calls: `,
    bool_or(l_inbound) AS inbound, bool_or(l_direction = 'outbound') AS outbound,
    min(l_start) FILTER (WHERE l_inbound) AS inbound_arrival,
    max(l_wait) FILTER (WHERE answer_rank = 1 AND by_agent) AS answer_wait, max(l_wait) AS any_wait,
    count(*) FILTER (WHERE l_attempt)::BIGINT AS attempts,
    greatest(count(*) FILTER (WHERE by_agent) - 1, 0)::BIGINT AS transfers,
    bool_or(l_machine) AS machine, bool_or(l_agent IS NOT NULL) AS rang_agent,
    bool_or(l_agent IS NOT NULL AND l_status = 'no_answer') AS agent_rang_out,
    max(l_example) FILTER (WHERE first_rank = 1) AS example`,
	arrival: 'coalesce(min(l_start) FILTER (WHERE l_inbound), min(l_start))',
	// The caller's own leg (inbound) before a queue leg starting the same second (whose `from` is the trunk).
	caller: `first(l_caller ORDER BY l_direction <> 'inbound', l_start, __file, __line) FILTER (WHERE l_inbound AND l_caller IS NOT NULL)`,
	offerable: 'inbound',
	note: `CASE WHEN NOT offerable THEN (CASE WHEN outbound THEN 'legs_outbound' ELSE 'legs_internal' END) END`,
	wait: `CASE WHEN was_answered THEN coalesce(answer_wait, any_wait, ${secondsBetween('arrival', 'answer')}) ELSE coalesce(any_wait, ${secondsBetween('arrival', 'ended')}) END`,
	outcome: `CASE WHEN NOT offerable THEN 'other' WHEN was_answered THEN 'answered'
    WHEN machine THEN (CASE WHEN rang_agent THEN 'unanswered' ELSE 'other' END)
    WHEN rang_agent AND NOT agent_rang_out THEN 'unanswered' ELSE 'abandoned' END`,
	example: `, CASE WHEN NOT offerable THEN example END AS __example,
  CASE WHEN offerable THEN attempts ELSE 0 END AS __attempts, CASE WHEN offerable THEN transfers ELSE 0 END AS __transfers,
  offerable AND NOT was_answered AND machine AS __machine`
};

/** The mapped format's checks of times and durations, and the ring seconds'. */
function checks(mapping: Mapping, ctx: AssemblyContext): StageCheck[] {
	const out = mapped({ ...ctx, outcomes: undefined }).checks;
	if (mapping.ring && !ctx.preset?.expressions?.ring) {
		const cell = blank(q(mapping.ring));
		const value = duration(cell);
		out.push({
			column: mapping.ring,
			problem: 'duration',
			bad: `${cell} IS NOT NULL AND (${value} IS NULL OR NOT isfinite(${value}) OR abs(${value}) > ${MAX_DURATION_S})`
		});
	}
	return out;
}
