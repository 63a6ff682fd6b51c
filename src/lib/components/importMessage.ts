import { problemText, type ImportErrorDetail, type ImportProblem } from '$lib/imports/errors';
import type { Lang } from '$lib/i18n/messages';
import type { QualityCode } from '$lib/imports/quality';
import type { MessageKey } from '$lib/i18n/messages';

/** Every import problem's words (the type makes a new problem without them a check error). */
export const PROBLEM_TEXT: Record<ImportProblem, MessageKey> = {
	encoding: 'problem.encoding',
	malformed: 'problem.malformed',
	time: 'problem.time',
	date: 'problem.date',
	required: 'problem.required',
	answer_before_arrival: 'problem.answer_before_arrival',
	end_before_arrival: 'problem.end_before_arrival',
	end_before_answer: 'problem.end_before_answer',
	duration: 'problem.duration',
	date_range: 'problem.date_range',
	unrecognised: 'problem.unrecognised',
	not_text: 'problem.not_text',
	too_wide: 'problem.too_wide',
	missing_column: 'problem.missing_column',
	mixed_layouts: 'problem.mixed_layouts',
	too_large: 'problem.too_large',
	empty: 'problem.empty',
	unreadable: 'problem.unreadable',
	memory: 'problem.memory',
	cancelled: 'problem.cancelled',
	time_without_date: 'problem.time_without_date',
	unassigned_outcomes: 'problem.unassigned_outcomes',
	not_outcome: 'problem.not_outcome',
	silent_zero: 'problem.silent_zero',
	not_assembled: 'problem.not_assembled',
	unassigned_leg_values: 'problem.unassigned_leg_values',
	not_leg_values: 'problem.not_leg_values',
	sl_base_unknown: 'problem.sl_base_unknown'
};

/** Every data-quality code's sentence, likewise. */
export const QUALITY_CODE_TEXT: Record<QualityCode, MessageKey> = {
	invalid_bytes: 'quality.code.invalid_bytes',
	clock_skew: 'quality.code.clock_skew',
	phantom: 'quality.code.phantom',
	in_progress_waiting: 'quality.code.in_progress_waiting',
	legs: 'quality.code.legs',
	duplicate_id: 'quality.code.duplicate_id',
	duplicate_rows: 'quality.code.duplicate_rows',
	conflicting_duplicates: 'quality.code.conflicting_duplicates',
	minute_precision: 'quality.code.minute_precision',
	in_progress_answered: 'quality.code.in_progress_answered',
	no_enterqueue: 'quality.code.no_enterqueue',
	no_call_id: 'quality.code.no_call_id',
	date_order_dmy_data: 'quality.code.date_order_dmy_data',
	date_order_mdy_data: 'quality.code.date_order_mdy_data',
	date_order_dmy_choice: 'quality.code.date_order_dmy_choice',
	date_order_mdy_choice: 'quality.code.date_order_mdy_choice',
	date_order_dmy_assumed: 'quality.code.date_order_dmy_assumed',
	next_day: 'quality.code.next_day',
	placeholder_date: 'quality.code.placeholder_date',
	no_answered: 'quality.code.no_answered',
	no_offered: 'quality.code.no_offered',
	zero_waits: 'quality.code.zero_waits',
	wait_unknown: 'quality.code.wait_unknown',
	midnight_times: 'quality.code.midnight_times',
	mostly_empty: 'quality.code.mostly_empty',
	cdr_outbound: 'quality.code.cdr_outbound',
	cdr_internal: 'quality.code.cdr_internal',
	dump_tables: 'quality.code.dump_tables',
	dump_tables_ignored: 'quality.code.dump_tables_ignored',
	legs_outbound: 'quality.code.legs_outbound',
	legs_internal: 'quality.code.legs_internal',
	legs_attempts: 'quality.code.legs_attempts',
	legs_transfers: 'quality.code.legs_transfers',
	legs_voicemail: 'quality.code.legs_voicemail',
	title_rows: 'quality.code.title_rows',
	footer_rows: 'quality.code.footer_rows',
	interval_sl_derived: 'quality.code.interval_sl_derived',
	interval_sl_disagrees: 'quality.code.interval_sl_disagrees',
	interval_counts_derived: 'quality.code.interval_counts_derived',
	interval_length_range: 'quality.code.interval_length_range',
	interval_length_spacing: 'quality.code.interval_length_spacing',
	interval_length_day: 'quality.code.interval_length_day',
	interval_length_index_count: 'quality.code.interval_length_index_count',
	interval_index_from_one: 'quality.code.interval_index_from_one',
	interval_relative_time: 'quality.code.interval_relative_time',
	interval_no_time: 'quality.code.interval_no_time'
};

/** The message for a problem or quality code; undefined for a code this version does not know (e.g. from a stored report). */
export function codeText(code: string, skipped: boolean): MessageKey | undefined {
	const table: Record<string, MessageKey> = skipped ? PROBLEM_TEXT : QUALITY_CODE_TEXT;
	return Object.hasOwn(table, code) ? table[code] : undefined;
}

/** Where and what, in the user's language: `文件 a.csv，第 3 行，列“start”：无法识别的时间`. */
export function importProblemText(d: ImportErrorDetail, lang: Lang): { where: string; what: string } {
	return problemText(d, lang);
}

/** The encoding a reader's message names (`… not valid GB18030 …`), for `problem.encoding`. */
export function encodingNamed(detail: string | undefined): string | undefined {
	return /not valid ([^\s:]+)/.exec(detail ?? '')?.[1];
}
