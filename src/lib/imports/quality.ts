import type { Hint } from './errors';
import type { CanonicalOutcome, Mapping } from './canonical';
import type { OutcomeBasis } from './outcome-values';
import type { UsedLegValue } from './leg-values';
/**
 * The data-quality report of one import: every repair, exclusion, merge, skip and warning,
 * with its reason, how many rows or calls it touched and the first few places in the files.
 * Nothing an import changes or leaves out goes unreported.
 */
export type QualityKind = 'repaired' | 'excluded' | 'merged' | 'skipped' | 'warning' | 'read';

/**
 * What happened, and why. Skips use the import problem's name (`malformed`, `time`,
 * `answer_before_arrival`, …); the rest are listed here with their kind.
 */
export const QUALITY_CODES = {
	/** Answer up to the tolerance before arrival (clocks of two systems a second or two apart): answer set to arrival. */
	clock_skew: 'repaired',
	/** Bytes not valid in the file's encoding (a damaged export): each replaced by U+FFFD, the rest of the row kept. */
	invalid_bytes: 'repaired',
	/** Bank research layout: PHANTOM calls, which the data's documentation says are not real calls. */
	phantom: 'excluded',
	/** queue_log: still waiting when the log ends, so its outcome is not known. */
	in_progress_waiting: 'excluded',
	/** One call's rows (CDR legs by linkedid/uniqueid, UCM legs by Session, FreeSWITCH a- and b-legs) assembled into one call. */
	legs: 'merged',
	/** Several rows with the same call id (FreeSWITCH uuid): one call, the first row's values kept. */
	duplicate_id: 'merged',
	/** Identical rows (same call id and values): kept once. */
	duplicate_rows: 'merged',
	/** Rows with the same call id but different values: all kept, worth checking at the source. */
	conflicting_duplicates: 'warning',
	/** Every time is on a whole minute (seconds lost, e.g. re-saved by a spreadsheet): waits, ASA and service level cannot be trusted. */
	minute_precision: 'warning',
	/** queue_log: answered, still talking when the log ends: talk time unknown (left out of AHT). */
	in_progress_answered: 'warning',
	/** queue_log: events of a call without its ENTERQUEUE: arrival taken from its first event. */
	no_enterqueue: 'warning',
	/** Rows without a call id (none mapped, or the cell empty): each is a call of its own, named file:line; duplicates among them cannot be told. */
	no_call_id: 'read',
	/** Slashed dates read day-first / month-first because a row settles it (a day above 12), or as the user chose. */
	date_order_dmy_data: 'read',
	date_order_mdy_data: 'read',
	date_order_dmy_choice: 'read',
	date_order_mdy_choice: 'read',
	/** SQL dump: the table read (queue_log over cdr when both are there), its rows. */
	dump_tables: 'read',
	/** SQL dump: the other tables, not read, with their rows. */
	dump_tables_ignored: 'read',
	/** Slashed dates with no day above 12: read day-first, which the user should confirm. */
	date_order_dmy_assumed: 'warning',
	/** An answer or end written as a bare time earlier than the arrival's by over half a day: taken on the next day (a call over midnight). */
	next_day: 'read',
	/** A time behind a spreadsheet's placeholder date (1899-12-30, 1900-01-01): the date column's date used instead. */
	placeholder_date: 'read',
	/** No call was answered: an outcome or answer column mapped wrongly, or values read as something else. */
	no_answered: 'warning',
	/** No call was offered to agents (every outcome `other`). */
	no_offered: 'warning',
	/** Every answered call waited 0 s: the wait is probably not in the file (e.g. the PBX answered on entering the queue). */
	zero_waits: 'warning',
	/** The file gives no wait and no answer time: waits, ASA and service level are unknown. */
	wait_unknown: 'warning',
	/** Every arrival is at midnight: the file's times were not read (a date column mapped as the arrival?). */
	midnight_times: 'warning',
	/** A mapped column is empty in more than 95 % of rows. */
	mostly_empty: 'warning',
	/** Asterisk CDR with queues: an outbound call (to an outside number or a trunk), never offered: left out. */
	cdr_outbound: 'excluded',
	/** Asterisk CDR with queues: an internal call (extension to extension), never offered: left out. */
	cdr_internal: 'excluded',
	/** Leg log: an outbound call (no inbound leg, one outbound): counted apart, never in service level: left out. */
	legs_outbound: 'excluded',
	/** Leg log: an internal call (extension to extension, no inbound leg): counted apart: left out. */
	legs_internal: 'excluded',
	/** Leg log: agents rung who did not answer (ring-no-answer, busy): attempts within a call, not calls (count = legs). */
	legs_attempts: 'read',
	/** Leg log: a call answered by one agent and passed to another: one call, its transfers counted. */
	legs_transfers: 'read',
	/** Leg log: a call taken only by voicemail, an IVR or a closed-hours message: not an agent answer. */
	legs_voicemail: 'read',
	/** Lines above the header (a report title, an export date): not read as calls. */
	title_rows: 'read',
	/** Totals and footer rows (`Totals,3886`, `合计`, a row of one value at the end): not calls, left out. */
	footer_rows: 'excluded',
	/** Interval report: answered within T derived from the stated service level × its denominator (rounded). */
	interval_sl_derived: 'read',
	/** Interval report: the stated service level disagrees with the counts beyond rounding (the first example holds the largest difference, in points). */
	interval_sl_disagrees: 'warning',
	/** Interval report: offered, answered or abandoned derived from the other two. */
	interval_counts_derived: 'read',
	/** Interval report: the interval length read from a written range (`09:00-09:30`), the spacing of the starts, a day, or the count of interval numbers. */
	interval_length_range: 'read',
	interval_length_spacing: 'read',
	interval_length_day: 'read',
	interval_length_index_count: 'read',
	/** Interval report: intervals numbered from 1, kept 0-based. */
	interval_index_from_one: 'read',
	/** Interval report: no dates, the time axis is relative (starts on 1970-01-01). */
	interval_relative_time: 'warning',
	/** Interval report: an index without a length, or no time at all: totals and queues only, no time axis. */
	interval_no_time: 'warning'
} as const satisfies Record<string, Exclude<QualityKind, 'skipped'>>;
export type QualityCode = keyof typeof QUALITY_CODES;

export interface QualityExample {
	file: string;
	line: number;
	/** The value(s) involved, as text. */
	value?: string;
	/** Extra words from the check (e.g. the reader's own message). */
	detail?: string;
	/** Extra words of the app's own, in both languages (see `ImportErrorDetail.hint`). */
	hint?: Hint;
	column?: string;
}

export interface QualityEntry {
	kind: QualityKind;
	/** A `QualityCode`, or for skips the import problem. */
	code: string;
	/** Rows (skipped, excluded, merged away, repaired) or calls (warnings) it concerns. */
	count: number;
	examples: QualityExample[];
}

export interface QualityReport {
	/** Source rows read (records staged), before anything was skipped, excluded or merged. */
	rowsRead: number;
	/** Calls in the dataset. */
	calls: number;
	entries: QualityEntry[];
	/** Dataset-wide warnings that mark figures: e.g. `minute_precision` marks waits, ASA and service level. */
	flags: QualityCode[];
	/** Settings the repairs used. */
	settings: { clockSkewS: number };
	/** The mapping a mapped file was read with, as a mapping file holds it (saved with `--mapping`). */
	mapping?: UsedMapping;
}

/** The columns each field was read from, and each outcome value's meaning and why. */
export interface UsedMapping {
	fields: Mapping;
	outcomes?: { value: string; outcome: CanonicalOutcome; basis: OutcomeBasis; rows: number }[];
	/** A leg log's direction and status values: each one's class and why. */
	directions?: UsedLegValue[];
	statuses?: UsedLegValue[];
}

/** How many examples an entry keeps. */
export const QUALITY_EXAMPLES = 5;

export const DEFAULT_CLOCK_SKEW_S = 5;

export function isQualityCode(code: string): code is QualityCode {
	return code in QUALITY_CODES;
}

/** Adds `count` rows and up to QUALITY_EXAMPLES examples to the entry for (kind, code). */
export function addToReport(report: QualityReport, kind: QualityKind, code: string, count: number, examples: QualityExample[]) {
	if (count <= 0) return;
	let entry = report.entries.find((e) => e.kind === kind && e.code === code);
	if (!entry) report.entries.push((entry = { kind, code, count: 0, examples: [] }));
	entry.count += count;
	for (const example of examples) if (entry.examples.length < QUALITY_EXAMPLES) entry.examples.push(example);
}

export function emptyReport(clockSkewS = DEFAULT_CLOCK_SKEW_S): QualityReport {
	return { rowsRead: 0, calls: 0, entries: [], flags: [], settings: { clockSkewS } };
}

/** Title lines found above a file's header (`findUnderHeader`): reported, never read as rows. */
export function reportTitleRows(report: QualityReport, file: string, titles: readonly { line: number; text: string }[]) {
	addToReport(
		report,
		'read',
		'title_rows',
		titles.length,
		titles.map((t) => ({ file, line: t.line, value: t.text }))
	);
}
