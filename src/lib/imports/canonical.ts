import { quoteIdent } from '$lib/db/identifiers';
import type { FormatId } from './formats';

/**
 * The canonical `calls` model every importer produces, so every metric and chart works
 * on every dataset. One row per call offered to (or reaching) the call center.
 *
 * | column      | type      | meaning |
 * | call_id     | VARCHAR   | the source's call id (or file:line when it has none) |
 * | queue       | VARCHAR   | queue / department / skill the call was offered to |
 * | agent       | VARCHAR   | the agent who answered (NULL if nobody did) |
 * | arrival     | TIMESTAMP | when the call entered the queue (local wall-clock time) |
 * | answer      | TIMESTAMP | when an agent answered (NULL if not answered) |
 * | ended       | TIMESTAMP | when the call ended (hang-up, abandon, time-out) |
 * | wait_s      | DOUBLE    | seconds in queue: to answer, or to abandon |
 * | talk_s      | DOUBLE    | seconds talking (answered calls) |
 * | hold_s      | DOUBLE    | seconds on hold, where the source has it |
 * | wrap_s      | DOUBLE    | after-call work seconds, where the source has it |
 * | outcome     | VARCHAR   | answered · interrupted (answered, then cut off before it was completed, e.g. dropped or evacuated) · abandoned (caller hung up while waiting) · unanswered (time-out, busy, failed, exit key) · other (never offered to agents) |
 * | source_file | VARCHAR   | the file the row came from |
 * | source_line | BIGINT    | its line in that file |
 */
export const CANONICAL_COLUMNS = [
	'call_id', 'queue', 'agent', 'arrival', 'answer', 'ended', 'wait_s', 'talk_s', 'hold_s', 'wrap_s',
	'outcome', 'source_file', 'source_line'
] as const;

export const CANONICAL_OUTCOMES = ['answered', 'interrupted', 'abandoned', 'unanswered', 'other'] as const;
export type CanonicalOutcome = (typeof CANONICAL_OUTCOMES)[number];

export const CANONICAL_TABLE_DDL = `(
  call_id VARCHAR, queue VARCHAR, agent VARCHAR,
  arrival TIMESTAMP, answer TIMESTAMP, ended TIMESTAMP,
  wait_s DOUBLE, talk_s DOUBLE, hold_s DOUBLE, wrap_s DOUBLE,
  outcome VARCHAR, source_file VARCHAR, source_line BIGINT
)`;

/** The fields a user can map for an arbitrary export. `arrival` is the only one required. */
export const MAPPABLE_FIELDS = ['call_id', 'queue', 'agent', 'arrival', 'answer', 'end', 'wait', 'talk', 'hold', 'wrap', 'outcome'] as const;
export type MappableField = (typeof MAPPABLE_FIELDS)[number];
export type Mapping = Partial<Record<MappableField, string>>;

/** Time text → TIMESTAMP: ISO, slashed dates, or epoch seconds. NULL when it cannot be read. */
function time(expr: string, offsetSeconds: number): string {
	return `coalesce(
    TRY_CAST(${expr} AS TIMESTAMP),
    try_strptime(${expr}, ['%Y/%m/%d %H:%M:%S', '%Y/%m/%d %H:%M', '%d/%m/%Y %H:%M:%S', '%Y-%m-%d %H:%M', '%Y%m%d%H%M%S']),
    CASE WHEN regexp_full_match(${expr}, '\\d{9,10}(\\.\\d+)?') THEN make_timestamp(CAST(TRY_CAST(${expr} AS DOUBLE) * 1000000 AS BIGINT) + CAST(${Math.round(offsetSeconds)} AS BIGINT) * 1000000) END)`;
}

/** Duration text → seconds: a number, or "H:MM:SS". */
function seconds(expr: string): string {
	return `coalesce(TRY_CAST(${expr} AS DOUBLE), epoch(TRY_CAST(${expr} AS INTERVAL)))`;
}

function blank(expr: string): string {
	return `nullif(trim(${expr}), '')`;
}

/** Outcome words found in exports (English and Chinese) → canonical outcome. */
function classifyOutcome(expr: string): string {
	const v = `lower(trim(${expr}))`;
	return `CASE
    WHEN ${v} IN ('answered','answer','agent','handled','completed','complete','connected','served','接通','已接通','接听','已接听','已接') THEN 'answered'
    WHEN ${v} IN ('interrupted','dropped','cut off','disconnected','中断','掉线','通话中断') THEN 'interrupted'
    WHEN ${v} IN ('abandoned','abandon','hang','hangup','hung up','missed','caller hangup','放弃','呼损','客户挂断','未接通') THEN 'abandoned'
    WHEN ${v} IN ('timeout','time out','busy','failed','overflow','no answer','unanswered','exitwithtimeout','exitwithkey','超时','未接') THEN 'unanswered'
    ELSE 'other' END`;
}

/** A rule on the staged text: `bad` is a SQL condition, TRUE for a row whose `column` cannot be read. */
export interface StageCheck {
	column: string;
	problem: 'time' | 'date' | 'required';
	bad: string;
}

export interface CanonicalParts {
	/** A SELECT over `stage` producing the canonical columns. */
	select: string;
	checks: StageCheck[];
}

function timeCheck(column: string, offsetSeconds = 0): StageCheck {
	const c = quoteIdent(column);
	return { column, problem: 'time', bad: `${blank(c)} IS NOT NULL AND ${time(blank(c), offsetSeconds)} IS NULL` };
}

function requiredCheck(column: string): StageCheck {
	return { column, problem: 'required', bad: `${blank(quoteIdent(column))} IS NULL` };
}

const PROVENANCE = `__file AS source_file, __line AS source_line`;

/** The SELECT that maps a staged (all-text) file of `format` onto the canonical model. */
export function canonicalSelect(format: FormatId, mapping: Mapping, offsetSeconds: number): CanonicalParts {
	switch (format) {
		case 'asterisk-cdr':
			return {
				select: `SELECT
  coalesce(${blank('uniqueid')}, __file || ':' || __line) AS call_id,
  ${blank('dst')} AS queue,
  CASE WHEN disposition = 'ANSWERED' THEN regexp_replace(${blank('dstchannel')}, '-[0-9a-fA-F]+(;\\d+)?$', '') END AS agent,
  ${time('start', 0)} AS arrival,
  CASE WHEN disposition = 'ANSWERED' THEN ${time(blank('answer'), 0)} END AS answer,
  ${time('"end"', 0)} AS ended,
  CASE WHEN disposition = 'ANSWERED' THEN date_diff('second', ${time('start', 0)}, ${time(blank('answer'), 0)}) ELSE ${seconds('duration')} END::DOUBLE AS wait_s,
  CASE WHEN disposition = 'ANSWERED' THEN ${seconds('billsec')} END AS talk_s,
  NULL::DOUBLE AS hold_s, NULL::DOUBLE AS wrap_s,
  CASE disposition WHEN 'ANSWERED' THEN 'answered' WHEN 'NO ANSWER' THEN 'abandoned' ELSE 'unanswered' END AS outcome,
  ${PROVENANCE}
FROM stage`,
				checks: [requiredCheck('start'), timeCheck('start'), timeCheck('answer'), timeCheck('end')]
			};
		case 'freeswitch': {
			const answered = `${blank('answer_stamp')} IS NOT NULL`;
			return {
				select: `SELECT
  coalesce(${blank('uuid')}, __file || ':' || __line) AS call_id,
  ${blank('destination_number')} AS queue,
  NULL::VARCHAR AS agent,
  ${time('start_stamp', 0)} AS arrival,
  ${time(blank('answer_stamp'), 0)} AS answer,
  ${time('end_stamp', 0)} AS ended,
  CASE WHEN ${answered} THEN date_diff('second', ${time('start_stamp', 0)}, ${time('answer_stamp', 0)}) ELSE ${seconds('duration')} END::DOUBLE AS wait_s,
  CASE WHEN ${answered} THEN ${seconds('billsec')} END AS talk_s,
  NULL::DOUBLE AS hold_s, NULL::DOUBLE AS wrap_s,
  CASE WHEN ${answered} THEN 'answered'
       WHEN hangup_cause IN ('ORIGINATOR_CANCEL', 'NORMAL_CLEARING') THEN 'abandoned'
       ELSE 'unanswered' END AS outcome,
  ${PROVENANCE}
FROM stage`,
				checks: [requiredCheck('start_stamp'), timeCheck('start_stamp'), timeCheck('answer_stamp'), timeCheck('end_stamp')]
			};
		}
		case 'bank-research': {
			// Times have no date: the row's `date` (YYMMDD) gives it; 0:00:00 means "none".
			const day = `CAST(coalesce(try_strptime(trim("date"), '%y%m%d'), TRY_CAST(trim("date") AS TIMESTAMP)) AS DATE)`;
			const at = (col: string) =>
				`CASE WHEN trim(${col}) IN ('0:00:00', '00:00:00', '') THEN NULL ELSE ${day} + TRY_CAST(trim(${col}) AS TIME) END`;
			const queued = `TRY_CAST(q_time AS DOUBLE) > 0`;
			return {
				select: `SELECT
  coalesce(${blank('call_id')}, __file || ':' || __line) AS call_id,
  ${blank('"type"')} AS queue,
  CASE WHEN trim(outcome) = 'AGENT' THEN nullif(trim(server), 'NO_SERVER') END AS agent,
  coalesce(${at('q_start')}, ${at('ser_start')}, ${at('vru_exit')}) AS arrival,
  CASE WHEN trim(outcome) = 'AGENT' THEN ${at('ser_start')} END AS answer,
  CASE WHEN trim(outcome) = 'AGENT' THEN ${at('ser_exit')} ELSE coalesce(${at('q_exit')}, ${at('vru_exit')}) END AS ended,
  coalesce(TRY_CAST(q_time AS DOUBLE), 0) AS wait_s,
  CASE WHEN trim(outcome) = 'AGENT' THEN TRY_CAST(ser_time AS DOUBLE) END AS talk_s,
  NULL::DOUBLE AS hold_s, NULL::DOUBLE AS wrap_s,
  CASE WHEN trim(outcome) = 'AGENT' THEN 'answered'
       WHEN trim(outcome) = 'HANG' AND ${queued} THEN 'abandoned'
       ELSE 'other' END AS outcome,
  ${PROVENANCE}
FROM stage`,
				checks: [
					{ column: 'date', problem: 'date', bad: `${day} IS NULL` },
					...['vru_entry', 'vru_exit', 'q_start', 'q_exit', 'ser_start', 'ser_exit'].map((column) => ({
						column,
						problem: 'time' as const,
						bad: `${blank(quoteIdent(column))} IS NOT NULL AND TRY_CAST(trim(${quoteIdent(column)}) AS TIME) IS NULL`
					}))
				]
			};
		}
		case 'queue_log':
			return {
				select: `WITH e AS (
  SELECT callid, queue, agent, event, data1, data2, data3, data4, __file, __line,
    ${time('"time"', offsetSeconds)} AS ts
  FROM stage
  WHERE callid NOT IN ('NONE', '') AND event IN ('ENTERQUEUE', 'CONNECT', 'COMPLETEAGENT', 'COMPLETECALLER',
    'ABANDON', 'EXITWITHTIMEOUT', 'EXITWITHKEY', 'EXITEMPTY', 'TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER')
)
SELECT
  callid AS call_id,
  arg_min(queue, __line) AS queue,
  arg_max(agent, __line) FILTER (WHERE event IN ('CONNECT', 'COMPLETEAGENT', 'COMPLETECALLER', 'TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER')) AS agent,
  coalesce(min(ts) FILTER (WHERE event = 'ENTERQUEUE'), min(ts)) AS arrival,
  min(ts) FILTER (WHERE event = 'CONNECT') AS answer,
  max(ts) AS ended,
  coalesce(max(TRY_CAST(data1 AS DOUBLE)) FILTER (WHERE event = 'CONNECT'),
           max(TRY_CAST(data3 AS DOUBLE)) FILTER (WHERE event IN ('ABANDON', 'EXITWITHTIMEOUT')),
           max(TRY_CAST(data1 AS DOUBLE)) FILTER (WHERE event IN ('COMPLETEAGENT', 'COMPLETECALLER'))) AS wait_s,
  coalesce(max(TRY_CAST(data2 AS DOUBLE)) FILTER (WHERE event IN ('COMPLETEAGENT', 'COMPLETECALLER')),
           max(TRY_CAST(data4 AS DOUBLE)) FILTER (WHERE event IN ('TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER'))) AS talk_s,
  NULL::DOUBLE AS hold_s, NULL::DOUBLE AS wrap_s,
  CASE WHEN bool_or(event = 'CONNECT') THEN 'answered'
       WHEN bool_or(event = 'ABANDON') THEN 'abandoned'
       WHEN bool_or(event IN ('EXITWITHTIMEOUT', 'EXITWITHKEY', 'EXITEMPTY')) THEN 'unanswered'
       ELSE 'other' END AS outcome,
  min(__file) AS source_file, min(__line) AS source_line
FROM e
GROUP BY callid`,
				checks: [requiredCheck('time'), timeCheck('time', offsetSeconds), requiredCheck('event')]
			};
		case 'mapped':
			return mappedSelect(mapping, offsetSeconds);
	}
}

function mappedSelect(mapping: Mapping, offsetSeconds: number): CanonicalParts {
	const col = (field: MappableField) => (mapping[field] ? quoteIdent(mapping[field]!) : null);
	const text = (field: MappableField) => (col(field) ? blank(col(field)!) : 'NULL::VARCHAR');
	const at = (field: MappableField) => (col(field) ? time(blank(col(field)!), offsetSeconds) : 'NULL::TIMESTAMP');
	const num = (field: MappableField) => (col(field) ? seconds(blank(col(field)!)) : 'NULL::DOUBLE');
	const answered = col('outcome')
		? `${classifyOutcome(col('outcome')!)} IN ('answered', 'interrupted')`
		: `(${at('answer')} IS NOT NULL OR coalesce(${num('talk')}, 0) > 0)`;
	const outcome = col('outcome')
		? classifyOutcome(col('outcome')!)
		: `CASE WHEN ${answered} THEN 'answered' ELSE 'abandoned' END`;
	const checks: StageCheck[] = [];
	if (mapping.arrival) checks.push(requiredCheck(mapping.arrival), timeCheck(mapping.arrival, offsetSeconds));
	if (mapping.answer) checks.push(timeCheck(mapping.answer, offsetSeconds));
	if (mapping.end) checks.push(timeCheck(mapping.end, offsetSeconds));
	return {
		select: `SELECT
  coalesce(${text('call_id')}, __file || ':' || __line) AS call_id,
  ${text('queue')} AS queue,
  CASE WHEN ${answered} THEN ${text('agent')} END AS agent,
  ${at('arrival')} AS arrival,
  CASE WHEN ${answered} THEN coalesce(${at('answer')}, ${at('arrival')} + to_seconds(coalesce(${num('wait')}, 0))) END AS answer,
  coalesce(${at('end')}, ${at('answer')} + to_seconds(${num('talk')})) AS ended,
  coalesce(${num('wait')}, date_diff('second', ${at('arrival')}, coalesce(${at('answer')}, ${at('end')})))::DOUBLE AS wait_s,
  CASE WHEN ${answered} THEN coalesce(${num('talk')}, date_diff('second', ${at('answer')}, ${at('end')}))::DOUBLE END AS talk_s,
  ${num('hold')} AS hold_s,
  ${num('wrap')} AS wrap_s,
  ${outcome} AS outcome,
  ${PROVENANCE}
FROM stage`,
		checks
	};
}

/** Columns the mapping names that the file does not have. */
export function missingColumns(mapping: Mapping, columns: string[]): { field: MappableField; column: string }[] {
	return (Object.entries(mapping) as [MappableField, string][])
		.filter(([, column]) => column && !columns.includes(column))
		.map(([field, column]) => ({ field, column }));
}

