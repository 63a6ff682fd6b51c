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
 * | caller      | VARCHAR   | the caller's number as the source wrote it (NULL when the format has none); shown masked (`caller-mask.ts`) |
 * | callback_at | TIMESTAMP | the first outbound call to the caller's number after this call arrived, in the same import (NULL when none, or when the format has no outbound calls: see `callbacks.ts`) |
 *
 * The two last columns came after the others: stores and tables made before them gain them empty.
 */
export const CANONICAL_COLUMNS = [
	'call_id',
	'queue',
	'agent',
	'arrival',
	'answer',
	'ended',
	'wait_s',
	'talk_s',
	'hold_s',
	'wrap_s',
	'outcome',
	'source_file',
	'source_line',
	'caller',
	'callback_at'
] as const;

export const CANONICAL_OUTCOMES = ['answered', 'interrupted', 'abandoned', 'unanswered', 'other'] as const;
export type CanonicalOutcome = (typeof CANONICAL_OUTCOMES)[number];

export const CANONICAL_TABLE_DDL = `(
  call_id VARCHAR, queue VARCHAR, agent VARCHAR,
  arrival TIMESTAMP, answer TIMESTAMP, ended TIMESTAMP,
  wait_s DOUBLE, talk_s DOUBLE, hold_s DOUBLE, wrap_s DOUBLE,
  outcome VARCHAR, source_file VARCHAR, source_line BIGINT,
  caller VARCHAR, callback_at TIMESTAMP
)`;

/** The canonical columns added after the first version, with their types: tables made before them gain them (NULL). */
export const LATER_COLUMNS = [
	['caller', 'VARCHAR'],
	['callback_at', 'TIMESTAMP']
] as const;

/** The later columns a table with `columns` lacks, as NULL columns to SELECT after its own (`, NULL::VARCHAR AS caller`…). */
export function missingLaterColumns(columns: readonly string[]): string {
	return LATER_COLUMNS.filter(([name]) => !columns.includes(name))
		.map(([name, type]) => `, NULL::${type} AS ${name}`)
		.join('');
}

/**
 * The fields only a leg log (one row per leg, see calls/legs.ts) has: the leg's direction and
 * status words, its ring seconds, and its two parties.
 */
export const LEG_FIELDS = ['direction', 'status', 'ring', 'from', 'to'] as const;

/**
 * The fields a user can map for an arbitrary export. `arrival` is the only one required;
 * `date` is the call's date where the file writes it apart from a time of day (`Date` +
 * `Time`): a bare time in arrival, answer or end then takes it.
 */
export const MAPPABLE_FIELDS = [
	'call_id',
	'queue',
	'agent',
	'date',
	'arrival',
	'answer',
	'end',
	'wait',
	'talk',
	'hold',
	'wrap',
	'outcome',
	'caller',
	...LEG_FIELDS
] as const;
export type MappableField = (typeof MAPPABLE_FIELDS)[number];
export type Mapping = Partial<Record<MappableField, string>>;

/** What each value of the mapped outcome column means (the value as written, trimmed → canonical outcome). */
export type OutcomeValues = Record<string, CanonicalOutcome>;

/** Columns the mapping names that the file does not have. */
export function missingColumns(mapping: Mapping, columns: string[]): { field: MappableField; column: string }[] {
	return (Object.entries(mapping) as [MappableField, string][])
		.filter(([, column]) => column && !columns.includes(column))
		.map(([field, column]) => ({ field, column }));
}
