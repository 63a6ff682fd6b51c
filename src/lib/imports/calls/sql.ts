import { quoteIdent } from '$lib/sql/identifiers';
import type { LegPreset } from './leg-presets';
import type { Mapping, OutcomeValues } from '../canonical';
import type { QualityCode } from '../quality';
import type { DateOrder } from '../date-order';
import type { TypedColumns } from '../clean-csv';

/**
 * SQL pieces shared by the per-format call assembly. Every importer stages a file as text
 * (all VARCHAR, plus `__file` and `__line`); these turn that text into times, seconds and
 * outcomes. Column names reaching here are the staging names the format chose, quoted.
 */

/** What an assembly needs to know about the staged file. */
export interface AssemblyContext {
	/** The stage table (a name we generated and validated). */
	stage: string;
	/** The staged column names (the format's own names, or the header's). */
	columns: string[];
	mapping: Mapping;
	/** Added to epoch-second times to get local wall-clock time. */
	offsetSeconds: number;
	/** How slashed dates (`03/04/2024`) are read; see date-order.ts. Day-first unless said. */
	dateOrder?: DateOrder;
	/** The mapped outcome column's values and their meanings, settled before assembly (mapped format). */
	outcomes?: OutcomeValues;
	/** A leg log's direction and status values and their classes, settled before assembly (see leg-values.ts). */
	legValues?: { direction: Record<string, string>; status: Record<string, string> };
	/** A named vendor's leg log: its expressions for fields (see leg-presets.ts). */
	preset?: LegPreset | null;
	/** Columns the clean-CSV reader already read (clean-csv.ts): times as TIMESTAMPs, durations checked as plain numbers. */
	typed?: TypedColumns;
}

/** A rule on the staged text: `bad` is a SQL condition, TRUE for a row whose `column` cannot be read. */
export interface StageCheck {
	column: string;
	problem: 'time' | 'date' | 'required' | 'duration' | 'time_without_date';
	bad: string;
}

/** Rows of the staged text that are left out before assembly, counted in the quality report. */
export interface StageExclusion {
	code: QualityCode;
	where: string;
	/** The value shown as an example (SQL over the stage row). */
	value: string;
}

/**
 * How one format becomes calls. `select` reads the stage table and yields the canonical
 * columns plus `__legs` (legs assembled into the call, 1 for a one-row call), `__dups`
 * (duplicate rows of it dropped) and `__note` (a QualityCode about the call, or NULL).
 */
export interface CallAssembly {
	select: string;
	checks: StageCheck[];
	exclusions: StageExclusion[];
	/** Rules applied to some calls, counted on the assembled calls for the quality report (`where` over the select's columns). */
	tallies?: { code: QualityCode; where: string; value: string; count?: string }[];
	/** The example value of a call's `__note` in the report (SQL over the assembled row); `'call ' || call_id` unless said. */
	noteValue?: string;
}

export const q = quoteIdent;

/** Empty or blank text as NULL. */
export function blank(expr: string): string {
	return `nullif(trim(${expr}), '')`;
}

/** The column, quoted, if the staged file has it; otherwise NULL text. */
export function optional(ctx: AssemblyContext, column: string): string {
	return ctx.columns.includes(column) ? blank(q(column)) : 'NULL::VARCHAR';
}

/**
 * Time text → TIMESTAMP (local wall-clock): ISO with or without seconds, slashed or dotted
 * dates, compact digits, or epoch seconds (shifted by the offset). A time with an explicit
 * offset (`+08:00`, `Z`) is an instant: it is converted to the same local time as epoch
 * seconds, never read as if the offset were not there. NULL when it cannot be read.
 */
export function time(expr: string, offsetSeconds: number, dateOrder: DateOrder = 'dmy'): string {
	const slashed = dateOrder === 'dmy' ? `'%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H:%M'` : `'%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H:%M'`;
	const shift = `CAST(${Math.round(offsetSeconds)} AS BIGINT) * 1000000`;
	return `coalesce(
    CASE WHEN regexp_matches(${expr}, '\\d{1,2}:\\d{2}(:\\d{2}(\\.\\d+)?)?\\s*(Z|[+-]\\d{2}:?\\d{2})$') THEN CAST(TRY_CAST(${expr} AS TIMESTAMPTZ) AS TIMESTAMP) + to_microseconds(${shift}) END,
    TRY_CAST(${expr} AS TIMESTAMP),
    try_strptime(${expr}, ['%Y/%m/%d %H:%M:%S', '%Y/%m/%d %H:%M', ${slashed}, '%Y-%m-%d %H:%M', '%d.%m.%Y %H:%M:%S', '%d.%m.%Y %H:%M', '%Y%m%d%H%M%S']),
    CASE WHEN regexp_full_match(${expr}, '\\d{9,10}(\\.\\d+)?') THEN make_timestamp(CAST(TRY_CAST(${expr} AS DOUBLE) * 1000000 AS BIGINT) + ${shift}) END)`;
}

/** Duration text → seconds: a number, or "H:MM:SS". */
export function seconds(expr: string): string {
	return `coalesce(TRY_CAST(${expr} AS DOUBLE), epoch(TRY_CAST(${expr} AS INTERVAL)))`;
}

/** Whole seconds from a to b. */
export function secondsBetween(a: string, b: string): string {
	return `CAST(date_diff('second', ${a}, ${b}) AS DOUBLE)`;
}

export function timeCheck(column: string, offsetSeconds = 0, dateOrder: DateOrder = 'dmy'): StageCheck {
	const c = q(column);
	return { column, problem: 'time', bad: `${blank(c)} IS NOT NULL AND ${time(blank(c), offsetSeconds, dateOrder)} IS NULL` };
}

/** Longest plausible duration: a wait, talk, hold or wrap-up beyond a day is a data error. */
export const MAX_DURATION_S = 24 * 3600;

/**
 * A duration column's text must be a number of seconds (or H:MM:SS) within a day either way:
 * checked on the text, before assembly adds it to a time (NaN or 1e309 there stops the
 * database). A small negative passes on to the review, where clock skew may explain it and
 * the check "from 0 to 24 h" otherwise leaves the row out.
 */
export function durationCheck(column: string): StageCheck {
	const value = seconds(blank(q(column)));
	return {
		column,
		problem: 'duration',
		bad: `${blank(q(column))} IS NOT NULL AND (${value} IS NULL OR NOT isfinite(${value}) OR abs(${value}) > ${MAX_DURATION_S})`
	};
}

export function requiredCheck(column: string): StageCheck {
	return { column, problem: 'required', bad: `${blank(q(column))} IS NULL` };
}

/** Checks for the columns the file has. */
export function present(ctx: AssemblyContext, checks: StageCheck[]): StageCheck[] {
	return checks.filter((c) => ctx.columns.includes(c.column));
}

/** A column's text as a local time, and as seconds (the leg logs' times and durations). */
export const columnTime = (column: string) => time(blank(q(column)), 0);
export const columnSeconds = (column: string) => seconds(blank(q(column)));

/** A leg log's time checks: its start column required and read as a time, the other time columns it has read as times. */
export function legTimeChecks(ctx: AssemblyContext, start: string, ...times: string[]): StageCheck[] {
	return present(ctx, [requiredCheck(start), timeCheck(start), ...times.map((column) => timeCheck(column))]);
}

/** The provenance and assembly columns of a call made of one row. */
export const ONE_ROW = `__file AS source_file, __line AS source_line, 1::BIGINT AS __legs, 0::BIGINT AS __dups, NULL::VARCHAR AS __note`;

/**
 * Calls from legs, for the CDR-like formats (one row per channel). `legs` is a SELECT giving,
 * per leg: call_key, l_queue (the leg's queue, if it names one), l_fallback_queue (the
 * queue when no leg names one), l_agent, l_start, l_answer, l_end, l_talk, offered (offered
 * to agents), by_agent (answered by one), no_answer (rang out), l_caller and l_callee (the
 * leg's calling and called numbers, or NULL), __file, __line.
 * caller is the first leg's calling number; `__callee`, of a call counted apart (outbound),
 * the first leg's called number (what `callbacks.ts` matches against callers).
 * The first leg answered by an agent, by answer time (a known one first), answers the call;
 * queue is the first leg's that names one; arrival is the first start, ended the last end;
 * wait is answer − arrival, or ended − arrival when nobody answered; a call never offered is
 * `other`, one that rang out `abandoned`, anything else unanswered.
 *
 * With `queueRules` (see QUEUE_RULES) the legs also give queue_leg, file_queues, l_kind,
 * l_example and answer_unknown, and the calls of a file with queues are told apart.
 */
export function callsFromLegs(legs: string, queueRules: boolean | LegRules = false): string {
	const rules: LegRules = typeof queueRules === 'object' ? queueRules : queueRules ? QUEUE_RULES : NO_QUEUE_RULES;
	return `WITH legs AS (
  ${legs}
), ranked AS (
  SELECT *,
    row_number() OVER (PARTITION BY call_key ORDER BY l_start NULLS LAST, __file, __line) AS first_rank,
    row_number() OVER (PARTITION BY call_key ORDER BY l_queue IS NULL, l_start NULLS LAST, __file, __line) AS queue_rank,
    row_number() OVER (PARTITION BY call_key ORDER BY by_agent DESC, l_answer NULLS LAST, __file, __line) AS answer_rank
  FROM legs
), calls AS (
  SELECT call_key,
    coalesce(max(l_queue) FILTER (WHERE queue_rank = 1), max(l_fallback_queue) FILTER (WHERE first_rank = 1)) AS queue,
    max(l_agent) FILTER (WHERE answer_rank = 1 AND by_agent) AS agent,
    ${rules.arrival ?? 'min(l_start)'} AS arrival,
    max(l_answer) FILTER (WHERE answer_rank = 1 AND by_agent) AS answer,
    max(l_end) AS ended,
    max(l_talk) FILTER (WHERE answer_rank = 1 AND by_agent) AS talk_s,
    bool_or(by_agent) AS was_answered, bool_or(offered) AS was_offered, bool_or(offered AND no_answer) AS rang_out,
    max(__file) FILTER (WHERE first_rank = 1) AS source_file, max(__line) FILTER (WHERE first_rank = 1) AS source_line,
    ${rules.caller ?? 'max(l_caller) FILTER (WHERE first_rank = 1)'} AS caller, max(l_callee) FILTER (WHERE first_rank = 1) AS callee,
    count(*)::BIGINT AS __legs${rules.calls}
  FROM ranked GROUP BY call_key
), told AS (
  SELECT *, ${rules.offerable} AS offerable FROM calls
)
SELECT call_key AS call_id, queue, CASE WHEN offerable THEN agent END AS agent, arrival, CASE WHEN offerable THEN answer END AS answer, ended,
  ${rules.wait ?? `CASE WHEN offerable AND was_answered THEN ${secondsBetween('arrival', 'answer')} ELSE ${secondsBetween('arrival', 'ended')} END`} AS wait_s,
  CASE WHEN offerable THEN talk_s END AS talk_s, NULL::DOUBLE AS hold_s, NULL::DOUBLE AS wrap_s,
  ${rules.outcome ?? `CASE WHEN NOT offerable THEN 'other' WHEN was_answered THEN 'answered' WHEN NOT was_offered THEN 'other' WHEN rang_out THEN 'abandoned' ELSE 'unanswered' END`} AS outcome,
  source_file, source_line, caller, CASE WHEN NOT offerable THEN callee END AS __callee,
  __legs, 0::BIGINT AS __dups, ${rules.note} AS __note${rules.example}
FROM told`;
}

/**
 * What a format adds to the assembly of calls from legs: aggregates per call (`calls`, SQL
 * after the common ones), whether a call counts (`offerable`), its note, extra output columns
 * (`example`), and where its rules differ, the arrival (an aggregate), wait and outcome (over
 * the call's columns).
 */
export interface LegRules {
	calls: string;
	offerable: string;
	note: string;
	example: string;
	arrival?: string;
	/** The caller's number (an aggregate), where it is not the first leg's. */
	caller?: string;
	wait?: string;
	outcome?: string;
}

const NO_QUEUE_RULES: LegRules = { calls: '', offerable: 'true', note: 'NULL::VARCHAR', example: '' };

/**
 * A PBX with queues writes its outbound and internal calls to the same CDR as the callers'.
 * Where a file has a queue leg (`file_queues`), a call none of whose legs is in a queue
 * (`queue_leg`) and that did not come in from outside (`l_kind` inbound: a ring group, a DID
 * rung straight to a phone, the IVR) is an outbound or an internal call (`cdr_outbound`,
 * `cdr_internal`), which the review leaves out. They are not kept as `other`: that outcome
 * still counts in volume and on the arrival charts, as a caller who reached the center and was
 * never offered (the IVR), and an outbound or internal call is no caller at all; in a mixed
 * PBX they can be half the file. `__example` (the first leg's src → dst) names them in the
 * report. A call answered on a leg whose answer is the PBX's (`answer_unknown`) has its wait
 * and talk unknown: the note `wait_unknown` flags the dataset.
 */
const QUEUE_RULES: LegRules = {
	calls: `,
    bool_or(queue_leg) AS reached_queue, bool_or(file_queues) AS file_queues,
    coalesce(bool_or(l_kind = 'inbound'), false) AS inbound, coalesce(bool_or(l_kind = 'outbound'), false) AS outbound,
    bool_or(answer_unknown) FILTER (WHERE answer_rank = 1 AND by_agent) AS answer_unknown,
    max(l_example) FILTER (WHERE first_rank = 1) AS example`,
	offerable: '(NOT file_queues OR reached_queue OR inbound)',
	note: `CASE WHEN NOT offerable THEN (CASE WHEN outbound THEN 'cdr_outbound' ELSE 'cdr_internal' END) WHEN answer_unknown THEN 'wait_unknown' END`,
	example: `, CASE WHEN NOT offerable THEN example END AS __example`
};

/** The channel a CDR names, without Asterisk's per-call suffix: `SIP/agent101-0000000a` → `SIP/agent101`. */
export function channelName(expr: string): string {
	return `regexp_replace(${expr}, '-[0-9a-fA-F]+(;\\d+)?$', '')`;
}

/** Header names compared loosely: case, spaces, dashes and underscores ignored. */
export const looseName = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, '');

/** The staged column whose name matches one of `names` loosely, or null. */
export function findColumn(columns: string[], ...names: string[]): string | null {
	const wanted = names.map(looseName);
	return columns.find((c) => wanted.includes(looseName(c))) ?? null;
}
