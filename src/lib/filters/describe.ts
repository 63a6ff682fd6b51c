import { dimensionsOf, labelOf, type Field, type Filter, type FilterSchema } from './dimensions';
import type { Lang } from '$lib/i18n/messages';
import { translate } from '$lib/i18n/messages';

/** How the page shows a name from the data in its language (the story's English department names). */
export type ValueNames = Partial<Record<Field, (value: string) => string>>;

function shown(field: Field, value: string, schema: FilterSchema, lang: Lang, names: ValueNames): string {
	return field === 'outcome' ? translate(lang, schema.outcomeLabel(value)) : (names[field]?.(value) ?? value);
}

/** Each active dimension as text: "部门 = 座席一部", "从 2024-03-01 08:00:00". */
export function filterParts(filter: Filter, schema: FilterSchema, lang: Lang, names: ValueNames = {}): string[] {
	const parts: string[] = [];
	for (const dim of dimensionsOf(schema)) {
		const value = filter[dim.field];
		const label = translate(lang, labelOf(dim, schema));
		if (value) parts.push(`${label}${dim.control === 'time' ? ' ' : ' = '}${shown(dim.field, value, schema, lang, names)}`);
		if (dim.field === 'queue' && filter.queues?.length) parts.push(`${label} = ${filter.queues.map((q) => names.queue?.(q) ?? q).join(', ')}`);
	}
	return parts;
}

/** The chosen values as shown (times left out), for export file names. */
export function filterValues(filter: Filter, schema: FilterSchema, lang: Lang, names: ValueNames = {}): string[] {
	return dimensionsOf(schema)
		.filter((dim) => dim.control === 'choice' && filter[dim.field])
		.map((dim) => shown(dim.field, filter[dim.field]!, schema, lang, names));
}

/** "部门 = 座席一部 · 结果 = 办理完毕", on the page, its exports and reports; "none" when nothing is filtered. */
export function describeFilter(filter: Filter, schema: FilterSchema, lang: Lang, names: ValueNames = {}): string {
	const parts = filterParts(filter, schema, lang, names);
	return parts.length ? parts.join(' · ') : translate(lang, 'filter.none');
}
