import { hasMessage, MESSAGES, translate, translateMessage, type Lang, type Message, type MessageKey } from '$lib/i18n/messages';
import type { NotTextKind } from './sniff';
import type { OutcomeValue } from './outcome-values';
import type { LegColumnKind, LegValue } from './leg-values';

/**
 * What can go wrong with an import, said precisely enough to find it in the file:
 * the file, the line, the column and the offending value, when they are known.
 */
export type ImportProblem =
	| 'encoding'
	| 'malformed'
	| 'time'
	| 'date'
	| 'required'
	| 'answer_before_arrival'
	| 'end_before_arrival'
	| 'end_before_answer'
	| 'duration'
	| 'date_range'
	| 'unrecognised'
	| 'not_text'
	| 'too_wide'
	| 'missing_column'
	| 'mixed_layouts'
	| 'too_large'
	| 'empty'
	| 'unreadable'
	| 'memory'
	| 'cancelled'
	| 'time_without_date'
	| 'unassigned_outcomes'
	| 'not_outcome'
	| 'unassigned_leg_values'
	| 'not_leg_values'
	| 'silent_zero'
	| 'not_assembled'
	| 'sl_base_unknown';

export interface ImportErrorDetail {
	problem: ImportProblem;
	file?: string;
	/** Line of the record in its file (the header, if any, is line 1). */
	line?: number;
	column?: string;
	value?: string;
	/** For `not_text`: what the file is instead. */
	fileKind?: NotTextKind;
	/** Extra text from the reader (e.g. "Expected Number of Columns: 17 Found: 18"). */
	detail?: string;
	/** Extra words of the app's own, in its messages (both languages): shown instead of `detail`. */
	hint?: Hint;
	/** For `unassigned_outcomes`: every value of the outcome column, settled or not, for the user to assign. */
	outcomes?: OutcomeValue[];
	/** For `unassigned_leg_values`: every value of the direction or status column, settled or not. */
	legValues?: { kind: LegColumnKind; values: LegValue[] };
}

/** A message (`hint.*`) and its values: an i18n `Message`, kept with the error and translated where shown. */
export type Hint = Message;

/** The extra words of a problem or example in `lang`: its hint, else the reader's own text. */
export function extraText(d: { hint?: Hint; detail?: string }, lang: Lang): string | undefined {
	return d.hint ? translateMessage(lang, d.hint) : d.detail;
}

/**
 * The words of every problem are the app's messages (`problem.*`): the command line prints
 * the English ones, the Import page the user's language, so the two never disagree.
 */
export function problemKey(problem: ImportProblem): MessageKey {
	return `problem.${problem}`;
}

/** Whether a stored code (a quality entry's, for a skipped row) is an import problem this version has words for. */
export function isImportProblem(code: string): code is ImportProblem {
	return hasMessage(`problem.${code}`);
}

/** Where and what, in `lang`: `file a.csv, line 3, column "start"` and `a time cannot be read`. */
export function problemText(d: ImportErrorDetail, lang: Lang): { where: string; what: string } {
	const where = [
		d.file !== undefined ? translate(lang, 'problem.where.file', { file: d.file }) : null,
		d.line !== undefined ? translate(lang, 'problem.where.line', { line: d.line }) : null,
		d.column !== undefined ? translate(lang, 'problem.where.column', { column: d.column }) : null
	]
		.filter(Boolean)
		.join(lang === 'en' ? ', ' : '，');
	const known = Object.hasOwn(MESSAGES[lang], problemKey(d.problem));
	const values = {
		encoding: /not valid ([^\s:]+)/.exec(d.detail ?? '')?.[1] ?? '',
		kind: d.fileKind ? translate(lang, `filekind.${d.fileKind}`) : '',
		max: MAX_COLUMNS_READ
	};
	return { where, what: known ? translate(lang, problemKey(d.problem), values) : d.problem };
}

/** How many columns a file may have (see inspect.ts, which enforces it). */
export const MAX_COLUMNS_READ = 500;

export class ImportError extends Error {
	readonly detail: ImportErrorDetail;
	constructor(detail: ImportErrorDetail) {
		super(describeImportError(detail));
		this.name = 'ImportError';
		this.detail = detail;
	}
}

/** One line a person can act on, e.g. `file calls.csv, line 7, column "start": a time cannot be read: "2024-13-45"`. */
export function describeImportError(d: ImportErrorDetail): string {
	const { where, what } = problemText(d, 'en');
	const value = d.value !== undefined ? `: ${JSON.stringify(truncate(d.value))}` : '';
	const words = extraText(d, 'en');
	const extra = words ? ` (${truncate(words, 800)})` : '';
	return `${where ? where + ': ' : ''}${what}${value}${extra}`;
}

function truncate(text: string, max = 120): string {
	return text.length > max ? text.slice(0, max) + '…' : text;
}
