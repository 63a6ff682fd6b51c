import { INTERVAL_TABLE_COLUMNS } from '../interval-table';
/**
 * What a column of an interval report holds. Averages are read as averages and turned into sums
 * with their weights when the rows are assembled (never averaged again).
 */
export type IntervalField =
	| 'start' // date and time of the interval's start
	| 'date'
	| 'time' // time of day (or `09:00-09:30`: its start)
	| 'index' // interval number within the day
	| 'queue'
	| 'offered'
	| 'answered'
	| 'abandoned'
	| 'short_abandoned'
	| 'answered_within'
	| 'handled'
	| 'sl_pct' // a stated service level (percentage)
	| 'sl_threshold' // T as a column's value (UCCX `Service Level (sec)`)
	| 'asa' // average speed of answer (weight: answered)
	| 'wait_sum'
	| 'talk_avg' // average talk (weight: answered)
	| 'talk_sum'
	| 'hold_avg'
	| 'hold_sum'
	| 'wrap_avg'
	| 'wrap_sum'
	| 'aht' // average handle time (weight: handled, else answered)
	| 'handle_sum'
	| 'abandon_wait_avg' // average time to abandon (weight: abandoned)
	| 'abandon_wait_sum'
	| 'staffed_agents' // average agents staffed in the interval
	| 'staffed_s'
	| 'unused'; // a rate or an average holdline does not read (answer rate, average wait of all calls)

/** Fields that hold a count of calls. */
export const COUNT_FIELDS: IntervalField[] = ['offered', 'answered', 'abandoned', 'short_abandoned', 'answered_within', 'handled'];
/** Fields that hold a duration (an average or a sum, in any written form). */
export const DURATION_FIELDS: IntervalField[] = [
	'asa',
	'wait_sum',
	'talk_avg',
	'talk_sum',
	'hold_avg',
	'hold_sum',
	'wrap_avg',
	'wrap_sum',
	'aht',
	'handle_sum',
	'abandon_wait_avg',
	'abandon_wait_sum',
	'staffed_s'
];

/** The fields a column can be mapped to (all but `unused`), in the mapping step's order. */
export const INTERVAL_FIELDS = [
	'start',
	'date',
	'time',
	'index',
	'queue',
	...COUNT_FIELDS,
	'sl_pct',
	'sl_threshold',
	...DURATION_FIELDS.filter((f) => f !== 'staffed_s'),
	'staffed_agents',
	'staffed_s'
] as Exclude<IntervalField, 'unused'>[];

/** A column of the file and what it holds (and, for a service level or a count within T, its T). */
export interface IntervalColumn {
	column: string;
	index: number;
	field: IntervalField;
	threshold?: number;
}

/** One row of the interval table (INTERVALS-CONTRACT.md), as assembled. */
export interface IntervalRow {
	interval_start: string | null;
	interval_index: number | null;
	interval_minutes: number;
	queue: string;
	offered: number;
	answered: number;
	abandoned: number;
	short_abandoned: number | null;
	sl_threshold_s: number | null;
	answered_within: number | null;
	stated_sl: number | null;
	stated_sl_base: 'offered' | 'answered' | null;
	wait_s_sum: number | null;
	talk_s_sum: number | null;
	hold_s_sum: number | null;
	wrap_s_sum: number | null;
	handled: number | null;
	handle_s_sum: number | null;
	abandon_wait_s_sum: number | null;
	staffed_s: number | null;
}

/** The table's columns in order, with their database types (the one list: `interval-table.ts`). */
export const INTERVAL_COLUMNS: readonly (readonly [keyof IntervalRow, string])[] = INTERVAL_TABLE_COLUMNS;

export type SlBase = 'offered' | 'answered';
export const INTERVAL_MINUTES = [15, 30, 60, 1440];
