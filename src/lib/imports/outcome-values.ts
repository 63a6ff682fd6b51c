import type { Engine } from '$lib/engine/types';
import { quoteLiteral } from '$lib/sql/identifiers';
import { CANONICAL_OUTCOMES, type CanonicalOutcome, type OutcomeValues } from './canonical';
import { ImportError } from './errors';

/**
 * The values of a mapped outcome column and what each means. Nothing is classified silently:
 * a value is the user's assignment, a word whose meaning is not in doubt (`Y`, `Answered`,
 * `已接听`, `Abandoned`, `放弃` …), or a value whose rows all have (or all lack) an answer time
 * or talk time in the same file; any other value stops the import with the list, for the user
 * to assign. The import's quality report states every value's meaning and why.
 */

/** Words whose meaning is not in doubt, compared trimmed and lower-cased. Ambiguous ones (`dropped`, `resolved`) are left to the data or the user. */
const WORDS: Record<CanonicalOutcome, string[]> = {
	answered: [
		...['y', 'yes', '1', 'true', 't', 'answered', 'answer', 'agent', 'handled', 'completed', 'complete', 'connected', 'served', 'accepted'],
		...['接通', '已接通', '接听', '已接听', '已接', '应答', '已应答', '人工接听', '是']
	],
	interrupted: ['interrupted', '中断', '通话中断'],
	abandoned: [
		...['n', 'no', '0', 'false', 'f', 'abandoned', 'abandon', 'hang', 'hangup', 'hung up', 'caller hangup', 'missed'],
		...['放弃', '呼损', '客户挂断', '排队放弃', '未接通', '否']
	],
	unanswered: [
		...['timeout', 'time out', 'timed out', 'busy', 'failed', 'overflow', 'no answer', 'unanswered', 'not answered', 'exitwithtimeout', 'exitwithkey'],
		...['超时', '未接', '未接听', '无人接听', '忙', '失败']
	],
	other: ['voicemail', 'ivr', 'closed', 'out of hours', '语音信箱', '非工作时间']
};
// Built from WORDS' own keys: this module loads while canonical.ts is still loading (its assembly imports it).
const BY_WORD = new Map((Object.entries(WORDS) as [CanonicalOutcome, string[]][]).flatMap(([outcome, words]) => words.map((w) => [w, outcome] as const)));

const YES = new Set(['y', 'yes', '1', 'true', 't', '是']);
const NO = new Set(['n', 'no', '0', 'false', 'f', '否']);

/** A column that flags the calls NOT answered (`Abandoned (Y/N)`, `Missed`, `是否放弃`): its yes means abandoned. */
export const isInvertedFlagColumn = (column: string) => /abandon|missed|dropped|放弃|未接|呼损/i.test(column);

/**
 * The meaning of a value written in many exports, or null when it is not beyond doubt. In a
 * column that flags the calls not answered (`inverted`), yes means abandoned and no answered.
 */
export function outcomeWord(value: string, inverted = false): CanonicalOutcome | null {
	const v = value.trim().toLowerCase();
	if (inverted && YES.has(v)) return 'abandoned';
	if (inverted && NO.has(v)) return 'answered';
	return BY_WORD.get(v) ?? null;
}

/** How a value's meaning was settled. */
export type OutcomeBasis = 'assigned' | 'word' | 'data';

export interface OutcomeValue {
	/** The value as written, trimmed ('' for an empty cell). */
	value: string;
	rows: number;
	/** Rows of this value with an answer time or a talk time above zero. */
	withAnswer: number;
	outcome: CanonicalOutcome | null;
	basis: OutcomeBasis | null;
}

/** A value this frequent and this one-sided in its answer evidence is read from the data. */
const DATA_SHARE = 0.95;

/** At most this many distinct values: beyond it, the column is not an outcome. */
export const MAX_OUTCOME_VALUES = 60;

/**
 * The distinct values of the staged outcome column with their counts and their evidence
 * (`answered`: SQL, TRUE for a row with an answer or talk time; null when the mapping has
 * neither), each resolved as assigned, by word, or from the data.
 */
export async function findOutcomeValues(
	engine: Engine,
	stage: string,
	column: string,
	answered: string | null,
	assigned: OutcomeValues = {},
	inverted = false
): Promise<OutcomeValue[]> {
	const value = `coalesce(trim(${column}), '')`;
	const rows = await engine.query<{ v: string; n: number; a: number }>({
		sql: `SELECT ${value} AS v, count(*) AS n, ${answered ? `count(*) FILTER (WHERE ${answered})` : '0'} AS a
		      FROM ${stage} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${MAX_OUTCOME_VALUES + 1}`,
		params: []
	});
	return rows.map((r) => resolveValue(r.v, Number(r.n), Number(r.a), answered !== null, assigned, inverted));
}

export function resolveValue(value: string, rows: number, withAnswer: number, hasEvidence: boolean, assigned: OutcomeValues, inverted = false): OutcomeValue {
	const chosen = Object.hasOwn(assigned, value) ? assigned[value]! : null;
	if (chosen) return { value, rows, withAnswer, outcome: chosen, basis: 'assigned' };
	const word = value ? outcomeWord(value, inverted) : null;
	if (word) return { value, rows, withAnswer, outcome: word, basis: 'word' };
	if (hasEvidence && rows > 0) {
		if (withAnswer / rows >= DATA_SHARE) return { value, rows, withAnswer, outcome: 'answered', basis: 'data' };
		if (withAnswer / rows <= 1 - DATA_SHARE) return { value, rows, withAnswer, outcome: 'abandoned', basis: 'data' };
	}
	return { value, rows, withAnswer, outcome: null, basis: null };
}

/** The values' meanings for the assembly; throws the list when one is unassigned or the column is not an outcome. */
export function settledOutcomes(file: string, column: string, values: OutcomeValue[]): OutcomeValues {
	if (values.length > MAX_OUTCOME_VALUES)
		throw new ImportError({ problem: 'not_outcome', file, column, hint: { key: 'hint.not_outcome', values: { max: MAX_OUTCOME_VALUES } } });
	const open = values.filter((v) => !v.outcome);
	if (open.length)
		throw new ImportError({
			problem: 'unassigned_outcomes',
			file,
			column,
			value: open.map((v) => `${v.value === '' ? '(empty)' : v.value} (${v.rows})`).join(', '),
			hint: { key: 'hint.assign_outcomes' },
			outcomes: values
		});
	return Object.fromEntries(values.map((v) => [v.value, v.outcome!]));
}

/** SQL: the canonical outcome of the staged column's value, from settled meanings. */
export function outcomeCase(column: string, values: OutcomeValues): string {
	const entries = Object.entries(values);
	if (!entries.length) return `'other'`;
	const whens = entries.map(([value, outcome]) => `WHEN ${quoteLiteral(value)} THEN ${quoteLiteral(outcome)}`).join(' ');
	return `CASE coalesce(trim(${column}), '') ${whens} ELSE 'other' END`;
}

/** `--outcome VALUE=answered` (command line): the value and its meaning, or an Error saying what is wrong. */
export function parseOutcomeAssignment(text: string): [string, CanonicalOutcome] {
	const at = text.lastIndexOf('=');
	const outcome = text.slice(at + 1).trim() as CanonicalOutcome;
	if (at < 0 || !CANONICAL_OUTCOMES.includes(outcome)) throw new Error(`--outcome takes VALUE=${CANONICAL_OUTCOMES.join('|')}, not ${JSON.stringify(text)}`);
	return [
		text
			.slice(0, at)
			.trim()
			.replace(/^"(.*)"$/, '$1'),
		outcome
	];
}
