import { CANONICAL_OUTCOMES } from '$lib/imports/canonical';
import type { MessageKey } from '$lib/i18n/messages';
import { normaliseTime } from './time';

/** What the user has narrowed the view to; `null` means "all". */
export interface Filter {
	/** Department or queue: the story's `department`, an imported table's `queue`. */
	queue: string | null;
	agent: string | null;
	/** An outcome code of the dataset (the story's and the canonical model's differ). */
	outcome: string | null;
	/** Arrival in [from, to), local time 'YYYY-MM-DD HH:MM:SS'. */
	from: string | null;
	to: string | null;
	/** Several departments/queues at once (the report's choice): calls of any of them. */
	queues?: readonly string[] | null;
}

/** The dimensions holding one value each. */
export type Field = 'queue' | 'agent' | 'outcome' | 'from' | 'to';
/** The dimensions holding several values (calls of any of them). */
export type ListField = 'queues';

export const EMPTY_FILTER: Filter = { queue: null, agent: null, outcome: null, from: null, to: null };

/** What a dataset's calls table calls each dimension, and which values it knows. */
export interface FilterSchema {
	/** Each dimension's column (a fixed identifier); a dimension without one is not offered. */
	columns: Partial<Record<Field, string>>;
	outcomes: readonly string[];
	/** The message naming an outcome code; undefined for a code the dataset does not know. */
	outcomeLabel(code: string): MessageKey | undefined;
	/** A dimension's name in this dataset, where it is not the dimension's own (the story has departments). */
	labels?: Partial<Record<Field, MessageKey>>;
	/**
	 * The dimensions a page of this dataset offers in its URL and controls, in order; by default
	 * every one-value dimension it has a column for. The WHERE and the description line take
	 * every dimension the filter holds, offered or not.
	 */
	offers?: readonly (Field | ListField)[];
	/** Time columns that are never NULL (the pre-aggregate's quarter hour): compared plainly, so an engine may use its order. */
	timesNotNull?: boolean;
}

/**
 * Outcome codes to their messages. The key is built from the code's type, so an outcome added
 * without its message fails the type check; a code from elsewhere (a URL) finds none.
 */
export function labelsOf<O extends string>(outcomes: readonly O[], key: (outcome: O) => MessageKey): (code: string) => MessageKey | undefined {
	return (code) => {
		const known = outcomes.find((outcome) => outcome === code);
		return known === undefined ? undefined : key(known);
	};
}

/** An imported dataset's canonical calls table (imports/canonical.ts). */
export const CALLS_SCHEMA: FilterSchema = {
	columns: { queue: 'queue', agent: 'agent', outcome: 'outcome', from: 'arrival', to: 'arrival' },
	outcomes: CANONICAL_OUTCOMES,
	outcomeLabel: labelsOf(CANONICAL_OUTCOMES, (outcome) => `service.outcome.${outcome}`)
};

/** The Report page: several departments/queues at once (its period is whole days, its own). */
export const REPORT_SCHEMA: FilterSchema = { ...CALLS_SCHEMA, offers: ['queues'] };

/**
 * One filter dimension, described once: URL, SQL, text and control all follow from it.
 * - `key` is written to the URL; `aliases` are read too, so links made before keep working
 *   (`/service?queue=…` from when that page named the department/queue dimension apart).
 * - `op` compares the dataset's column with the value (bound, never in the SQL text).
 * - `parse` takes URL text to a value, or null when it is not one (never trusted as is).
 */
export interface Dimension {
	field: Field;
	key: string;
	aliases: readonly string[];
	label: MessageKey;
	op: '=' | '>=' | '<';
	control: 'choice' | 'time';
	parse(raw: string, schema: FilterSchema): string | null;
}

/** Free text (a name from the data): trimmed, and at most 200 characters like every URL value. */
const text = (raw: string) => raw.trim().slice(0, 200) || null;

/**
 * A dimension of several values, described once like the others: its URL key repeated
 * (`dept=A&dept=B`), each value parsed like free text, at most `max` of them (the server's
 * limit on a request's list too), and `none` said when nothing is chosen ("all").
 */
export interface ListDimension {
	field: ListField;
	/** The one-value dimension whose column it matches: `IN (…)` on that column. */
	of: Field;
	key: string;
	aliases: readonly string[];
	label: MessageKey;
	max: number;
	none: MessageKey;
	parse(raw: string): string | null;
}

/** At most this many values in a list (a report over every department of a large center). */
export const MAX_LIST = 500;

/** The report's departments/queues: `?dept=A&dept=B`, as report links have always written them. */
export const QUEUES: ListDimension = {
	field: 'queues',
	of: 'queue',
	key: 'dept',
	aliases: [],
	label: 'service.queue',
	max: MAX_LIST,
	none: 'report.allDepts',
	parse: text
};

export const LIST_DIMENSIONS: readonly ListDimension[] = [QUEUES];

export const DIMENSIONS: readonly Dimension[] = [
	{ field: 'queue', key: 'dept', aliases: ['queue'], label: 'service.queue', op: '=', control: 'choice', parse: text },
	{ field: 'agent', key: 'agent', aliases: [], label: 'filter.agent', op: '=', control: 'choice', parse: text },
	{
		field: 'outcome',
		key: 'outcome',
		aliases: [],
		label: 'filter.outcome',
		op: '=',
		control: 'choice',
		parse: (raw, schema) => (schema.outcomes.includes(raw.trim()) ? raw.trim() : null)
	},
	{ field: 'from', key: 'from', aliases: [], label: 'service.from', op: '>=', control: 'time', parse: normaliseTime },
	{ field: 'to', key: 'to', aliases: [], label: 'service.to', op: '<', control: 'time', parse: normaliseTime }
];

/** The one-value dimensions a dataset has a column for, in the order controls and text show them. */
export function dimensionsOf(schema: FilterSchema): Dimension[] {
	return DIMENSIONS.filter((d) => schema.columns[d.field]);
}

/** The list dimensions a dataset has a column for (their one-value dimension's). */
export function listsOf(schema: FilterSchema): ListDimension[] {
	return LIST_DIMENSIONS.filter((d) => schema.columns[d.of]);
}

/** The dimensions a page of this dataset reads from and writes to its URL, and shows controls for. */
export function offeredBy(schema: FilterSchema): (Dimension | ListDimension)[] {
	const all = [...dimensionsOf(schema), ...listsOf(schema)];
	return schema.offers ? all.filter((d) => schema.offers!.includes(d.field)) : dimensionsOf(schema);
}

export function labelOf(dimension: Dimension | ListDimension, schema: FilterSchema): MessageKey {
	return schema.labels?.['of' in dimension ? dimension.of : dimension.field] ?? dimension.label;
}
