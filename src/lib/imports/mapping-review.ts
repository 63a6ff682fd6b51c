import { CANONICAL_OUTCOMES, type Mapping, type MappableField, type OutcomeValues } from './canonical';
import type { Guess } from './guess';
import { isInvertedFlagColumn, outcomeWord, type OutcomeBasis, type OutcomeValue } from './outcome-values';
import { DIRECTION_CLASSES, resolveLegValue, STATUS_CLASSES, type DirectionValues, type LegValue, type LegValueBasis, type StatusValues } from './leg-values';
import type { ImportErrorDetail } from './errors';
import type { FormatId } from './formats';
import type { Inspection } from './inspect';
import type { ImportPlan } from './pipeline';
import type { SavedMapping } from './saved-mappings';
import { isLegMapping } from './calls/legs';
import { legPresetFor } from './calls/leg-presets';

/**
 * What the Import page's mapping step shows: the guess behind each field, samples of the
 * chosen columns, and the values of the outcome column (a leg log's direction and status
 * columns) with their meanings: from the first rows before an import, from the whole file
 * once an import has listed them.
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

/** The columns whose values the page asks the meaning of: a call's outcome, a leg's direction and status. */
export type ValueKind = 'outcome' | 'direction' | 'status';

/** The meanings each kind's values can take. */
export const VALUE_CLASSES: Record<ValueKind, readonly string[]> = { outcome: CANONICAL_OUTCOMES, direction: DIRECTION_CLASSES, status: STATUS_CLASSES };

/** How a value's meaning was settled (outcome-values.ts and leg-values.ts). */
export type ValueBasis = OutcomeBasis | LegValueBasis;

/** A value as an import listed it, or as the page reads it from the first rows. */
export interface ListedValue {
	value: string;
	rows: number;
	meaning: string | null;
	basis: ValueBasis | null;
	/** Rows with an answer or talk time (outcomes, when the whole file was read). */
	withAnswer?: number;
}

/** One value of a column as the page lists it. */
export interface ValueRow extends ListedValue {
	/** The import stopped at this value: it still needs a meaning. */
	missing: boolean;
}

/** The user's meanings for each kind's values. */
export interface ValueChoices {
	outcome: OutcomeValues;
	direction: DirectionValues;
	status: StatusValues;
}

export const noChoices = (): ValueChoices => ({ outcome: {}, direction: {}, status: {} });

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

/** An import's list of the outcome column's values, as rows of any kind. */
export const listedOutcomes = (values: OutcomeValue[]): ListedValue[] =>
	values.map((v) => ({ value: v.value, rows: v.rows, withAnswer: v.withAnswer, meaning: v.outcome, basis: v.basis }));

/** An import's list of a leg log's direction or status values. */
export const listedLegValues = (values: LegValue[]): ListedValue[] => values.map((v) => ({ value: v.value, rows: v.rows, meaning: v.class, basis: v.basis }));

/**
 * What a value of the first rows means before an import, as the import would read it: the
 * common word (an outcome column that flags calls not answered reads yes as abandoned), or a
 * leg log's vendor word and its rule for empty cells. Null: the import will settle or ask.
 */
export function valueGuess(
	kind: ValueKind,
	column: string,
	vendor: Record<string, string> = {}
): (value: string) => Pick<ListedValue, 'meaning' | 'basis'> | null {
	if (kind === 'outcome')
		return (value) => {
			const word = value ? outcomeWord(value, isInvertedFlagColumn(column)) : null;
			return word ? { meaning: word, basis: 'word' } : null;
		};
	return (value) => {
		const v = resolveLegValue(kind, value, 0, {}, vendor);
		return v.basis ? { meaning: v.class, basis: v.basis } : null;
	};
}

/**
 * A column's table: the whole file's values when an import listed them (`listed`), else the
 * first rows' with `guess`; each with the user's choice over the listed or guessed meaning.
 * A listed value is missing when the import had no meaning for it (or only the user's, since
 * withdrawn) and none is chosen now.
 */
export function valueRows(
	values: { value: string; rows: number }[],
	chosen: Record<string, string>,
	listed: ListedValue[] | null,
	guess: (value: string) => Pick<ListedValue, 'meaning' | 'basis'> | null
): ValueRow[] {
	const choiceOf = (value: string) => (Object.hasOwn(chosen, value) ? chosen[value]! : null);
	if (listed)
		return listed.map((v) => {
			const choice = choiceOf(v.value);
			const open = v.basis === null || v.basis === 'assigned';
			return {
				value: v.value,
				rows: v.rows,
				...(v.withAnswer !== undefined && { withAnswer: v.withAnswer }),
				meaning: choice ?? (open ? null : v.meaning),
				basis: choice ? 'assigned' : open ? null : v.basis,
				missing: !choice && open
			};
		});
	return values.map(({ value, rows }) => {
		const choice = choiceOf(value);
		const guessed = choice ? null : guess(value);
		return { value, rows, meaning: choice ?? guessed?.meaning ?? null, basis: choice ? 'assigned' : (guessed?.basis ?? null), missing: false };
	});
}

/** The choices with `value` of `kind` set to `meaning` ('' withdraws it); a meaning the kind does not have is ignored. */
export function choose(chosen: ValueChoices, kind: ValueKind, value: string, meaning: string): ValueChoices {
	if (meaning && !VALUE_CLASSES[kind].includes(meaning)) return chosen;
	const next: Record<string, string> = { ...chosen[kind] };
	if (meaning) next[value] = meaning;
	else delete next[value];
	return { ...chosen, [kind]: next };
}

/** A column's values as an import listed them when it stopped at ones without a meaning. */
export interface ListedColumn {
	kind: ValueKind;
	column: string;
	values: ListedValue[];
}

/** The values an import stopped at (outcomes, or a leg log's directions or statuses); null for any other failure. */
export function listedFrom(detail: ImportErrorDetail): ListedColumn | null {
	if (!detail.column) return null;
	if (detail.problem === 'unassigned_outcomes' && detail.outcomes) return { kind: 'outcome', column: detail.column, values: listedOutcomes(detail.outcomes) };
	if (detail.problem === 'unassigned_leg_values' && detail.legValues)
		return { kind: detail.legValues.kind, column: detail.column, values: listedLegValues(detail.legValues.values) };
	return null;
}

/** Whether the file is read as a leg log: a named vendor's, or a mapping with a call id and a direction or status. */
export const readAsLegs = (format: FormatId, mapping: Mapping) => format === 'legs' || (format === 'mapped' && isLegMapping(mapping));

/** A table of the mapping step: a column's values and their meanings; `whole`: the rows are an import's list. */
export interface ValueTable {
	kind: ValueKind;
	column: string;
	rows: ValueRow[];
	whole: boolean;
}

/**
 * The value tables to show: a leg log's direction and status columns (a named vendor's words
 * guessed as its import reads them), else a mapped file's outcome column. A column an import
 * listed shows the list; a vendor's column written by an expression shows only that list.
 */
export function valueTables(
	inspection: Pick<Inspection, 'format' | 'layout' | 'preview'>,
	mapping: Mapping,
	choices: ValueChoices,
	listed: Partial<Record<ValueKind, ListedColumn>>
): ValueTable[] {
	const legs = readAsLegs(inspection.format, mapping);
	const preset = inspection.format === 'legs' ? legPresetFor(inspection.layout.columns) : null;
	const kinds: ValueKind[] = legs ? ['direction', 'status'] : inspection.format === 'mapped' ? ['outcome'] : [];
	const tables: ValueTable[] = [];
	for (const kind of kinds) {
		const column = mapping[kind] ?? (legs ? listed[kind]?.column : undefined);
		if (!column) continue;
		const list = listed[kind]?.column === column ? listed[kind]!.values : null;
		const vendor = kind === 'direction' ? preset?.directionWords : kind === 'status' ? preset?.statusWords : undefined;
		const values = previewValues(inspection.layout.columns, inspection.preview, column);
		const rows = valueRows(values, choices[kind], list, valueGuess(kind, column, vendor));
		if (rows.length) tables.push({ kind, column, rows, whole: Boolean(list) });
	}
	return tables;
}

/** The choices the import runs with: a leg log's directions and statuses, else the outcomes of a mapped outcome column. */
export function planValues(format: FormatId, mapping: Mapping, choices: ValueChoices): Pick<ImportPlan, 'outcomeValues' | 'directionValues' | 'statusValues'> {
	if (readAsLegs(format, mapping)) return { directionValues: choices.direction, statusValues: choices.status };
	return mapping.outcome && format === 'mapped' ? { outcomeValues: choices.outcome } : {};
}

/** The choices kept with a mapping (saved, or written in its file). */
export function keptValues(format: FormatId, mapping: Mapping, choices: ValueChoices): Omit<SavedMapping, 'mapping'> {
	const plan = planValues(format, mapping, choices);
	return {
		outcomes: plan.outcomeValues ?? {},
		...(plan.directionValues && { directions: plan.directionValues }),
		...(plan.statusValues && { statuses: plan.statusValues })
	};
}

/** The choices a saved mapping brings back. */
export const savedChoices = (saved: Omit<SavedMapping, 'mapping'> | null): ValueChoices => ({
	outcome: saved?.outcomes ?? {},
	direction: saved?.directions ?? {},
	status: saved?.statuses ?? {}
});
