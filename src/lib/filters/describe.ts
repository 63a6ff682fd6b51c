import { dimensionsOf, labelOf, listsOf, type Field, type Filter, type FilterSchema, type ListDimension } from './dimensions';
import type { Lang } from '$lib/i18n/messages';
import { translate } from '$lib/i18n/messages';

/** How the page shows a name from the data in its language (the story's English department names). */
export type ValueNames = Partial<Record<Field, (value: string) => string>>;

function shown(field: Field, value: string, schema: FilterSchema, lang: Lang, names: ValueNames): string {
	if (field !== 'outcome') return names[field]?.(value) ?? value;
	const key = schema.outcomeLabel(value);
	return key ? translate(lang, key) : value;
}

/** Each active dimension as text: "部门 = 座席一部", "从 2024-03-01 08:00:00". */
export function filterParts(filter: Filter, schema: FilterSchema, lang: Lang, names: ValueNames = {}): string[] {
	const parts: string[] = [];
	for (const dim of dimensionsOf(schema)) {
		const value = filter[dim.field];
		const label = translate(lang, labelOf(dim, schema));
		if (value) parts.push(`${label}${dim.control === 'time' ? ' ' : ' = '}${shown(dim.field, value, schema, lang, names)}`);
		for (const list of listsOf(schema).filter((l) => l.of === dim.field && filter[l.field]?.length))
			parts.push(`${label} = ${listedValues(filter, list, lang, names)}`);
	}
	return parts;
}

/** A list's chosen values as shown ("座席一部、座席二部", "8001, 8002"), or its `none` ("全部") when none is. */
export function listedValues(filter: Filter, dim: ListDimension, lang: Lang, names: ValueNames = {}): string {
	const values = filter[dim.field];
	if (!values?.length) return translate(lang, dim.none);
	return values.map((v) => names[dim.of]?.(v) ?? v).join(lang === 'en' ? ', ' : '、');
}

/** One list dimension as its line: "部门/队列: 座席一部、座席二部" (the report's title page and subtitle). */
export function listLine(filter: Filter, dim: ListDimension, schema: FilterSchema, lang: Lang, names: ValueNames = {}): { label: string; values: string } {
	return { label: translate(lang, labelOf(dim, schema)), values: listedValues(filter, dim, lang, names) };
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
