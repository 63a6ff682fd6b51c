import type { Mapping, MappableField, OutcomeValues, CanonicalOutcome } from './canonical';
import type { Guess } from './guess';
import { outcomeWord, type OutcomeBasis, type OutcomeValue } from './outcome-values';

/**
 * What the Import page's mapping step shows: the guess behind each field, samples of the
 * chosen columns, and the outcome column's values with their meanings (from the first rows
 * before an import, from the whole file once an import has listed them).
 */

/** The mapping can be imported: it has the arrival time, or the date (the time of day in another column or none). */
export const mappingReady = (mapping: Mapping) => Boolean(mapping.arrival || mapping.date);

/** The field that makes the mapping importable, if one is mapped. */
export const requiredField = (mapping: Mapping): 'arrival' | 'date' | null => (mapping.arrival ? 'arrival' : mapping.date ? 'date' : null);

/** The guess for `field`, when the column chosen is the one guessed. */
export function guessShown(guesses: Guess[], field: MappableField, column: string | undefined): Guess | null {
	if (!column) return null;
	return guesses.find((g) => g.field === field && g.column === column) ?? null;
}

/** Up to three non-empty values of `column` in the preview rows. */
export function columnSamples(columns: string[], preview: string[][], column: string | undefined, n = 3): string[] {
	const i = column ? columns.indexOf(column) : -1;
	if (i < 0) return [];
	return preview
		.map((row) => (row[i] ?? '').trim())
		.filter((v) => v !== '')
		.slice(0, n);
}

/** One value of the outcome column as the page lists it. */
export interface OutcomeRow {
	value: string;
	rows: number;
	/** The meaning the select shows: the user's choice, else the import's or the word's. */
	outcome: CanonicalOutcome | null;
	/** Why it has that meaning (null: not settled yet). */
	basis: OutcomeBasis | null;
	/** Rows with an answer or talk time, when the whole file was read. */
	withAnswer?: number;
	/** The import stopped at this value: it still needs a meaning. */
	missing: boolean;
}

/** The distinct values of `column` in the preview rows, most frequent first, with their counts. */
export function previewValues(columns: string[], preview: string[][], column: string): { value: string; rows: number }[] {
	const i = columns.indexOf(column);
	if (i < 0) return [];
	const counts = new Map<string, number>();
	for (const row of preview) {
		const value = (row[i] ?? '').trim();
		counts.set(value, (counts.get(value) ?? 0) + 1);
	}
	return [...counts].map(([value, rows]) => ({ value, rows })).sort((a, b) => b.rows - a.rows || a.value.localeCompare(b.value));
}

/**
 * The outcome table: the whole file's values when an import listed them (`listed`), else the
 * preview's; each with the user's choice over the word's (or the data's) meaning.
 */
export function outcomeRows(values: { value: string; rows: number }[], chosen: OutcomeValues, listed: OutcomeValue[] | null): OutcomeRow[] {
	if (listed)
		return listed.map((v) => {
			const choice = Object.hasOwn(chosen, v.value) ? chosen[v.value]! : null;
			return {
				value: v.value,
				rows: v.rows,
				withAnswer: v.withAnswer,
				outcome: choice ?? (v.basis === 'assigned' ? null : v.outcome),
				basis: choice ? 'assigned' : v.basis === 'assigned' ? null : v.basis,
				missing: !choice && (!v.outcome || v.basis === 'assigned')
			};
		});
	return values.map(({ value, rows }) => {
		const choice = Object.hasOwn(chosen, value) ? chosen[value]! : null;
		const word = value ? outcomeWord(value) : null;
		return { value, rows, outcome: choice ?? word, basis: choice ? 'assigned' : word ? 'word' : null, missing: false };
	});
}

/** The user's choices that concern the values listed (a saved mapping may hold others: kept, they do no harm). */
export function choose(chosen: OutcomeValues, value: string, outcome: CanonicalOutcome | ''): OutcomeValues {
	const next = { ...chosen };
	if (outcome) next[value] = outcome;
	else delete next[value];
	return next;
}
