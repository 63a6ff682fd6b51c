import type { SqlParam } from '$lib/sql/query';
import { columnName } from '$lib/sql/identifiers';
import type { Dialect } from '$lib/sql/dialect';
import { DUCKDB } from '$lib/sql/dialect-duckdb';
import { dimensionsOf, EMPTY_FILTER, listsOf, offeredBy, type Filter, type FilterSchema, type ListDimension } from './dimensions';

export { EMPTY_FILTER, CALLS_SCHEMA, REPORT_SCHEMA, type Filter, type FilterSchema } from './dimensions';

/** One department–agent pair that the story's filter menus offer. */
export interface FilterOption {
	department: string;
	department_en: string;
	agent: string;
	agent_pinyin: string;
}

/** A list's values from every occurrence of its keys: parsed, each once, at most `max`. */
function parseList(params: URLSearchParams, dim: ListDimension): string[] | null {
	const raw = [dim.key, ...dim.aliases].flatMap((key) => params.getAll(key));
	const values = [...new Set(raw.map((v) => dim.parse(v)).filter((v): v is string => v !== null))].slice(0, dim.max);
	return values.length ? values : null;
}

/** URL query string → Filter: each dimension the page offers, from its key or an older alias. */
export function parseFilter(params: URLSearchParams, schema: FilterSchema): Filter {
	const filter: Filter = { ...EMPTY_FILTER };
	for (const dim of offeredBy(schema)) {
		if ('of' in dim) {
			filter[dim.field] = parseList(params, dim);
			continue;
		}
		const raw = [dim.key, ...dim.aliases].map((key) => params.get(key)).find((value) => value?.trim());
		filter[dim.field] = raw ? dim.parse(raw, schema) : null;
	}
	return filter;
}

/** Filter → query string, keeping unrelated parameters; defaults (and old aliases) are left out; a list repeats its key. */
export function serializeFilter(filter: Filter, schema: FilterSchema, base = new URLSearchParams()): URLSearchParams {
	const params = new URLSearchParams(base);
	for (const dim of offeredBy(schema)) {
		for (const key of [dim.key, ...dim.aliases]) params.delete(key);
		const value = filter[dim.field];
		for (const v of typeof value === 'string' ? [value] : (value ?? []).slice(0, 'of' in dim ? dim.max : 1)) params.append(dim.key, v);
	}
	return params;
}

export function isFiltered(filter: Filter): boolean {
	return Boolean(filter.queue || filter.agent || filter.outcome || filter.from || filter.to || filter.queues?.length);
}

/**
 * The WHERE conditions for a filter on a dataset: its fixed column names, values bound
 * (DuckDB) or inlined as escaped literals (ClickHouse). `TRUE` (the dialect's) when nothing is
 * filtered, so callers can always write `WHERE ${where}`. An outcome the dataset does not
 * have is no condition, as the URL would have dropped it.
 */
export function filterWhere(filter: Filter, schema: FilterSchema, d: Dialect = DUCKDB): { where: string; params: SqlParam[] } {
	const conditions: string[] = [];
	const params: SqlParam[] = [];
	for (const dim of dimensionsOf(schema)) {
		const column = columnName(schema.columns[dim.field]!);
		const value = filter[dim.field];
		if (value && (dim.field !== 'outcome' || schema.outcomes.includes(value)))
			conditions.push(
				dim.control !== 'time'
					? `${column} ${dim.op} ${d.value(value, params)}`
					: schema.timesNotNull
						? `${column} ${dim.op} ${d.timestamp(value, params)}`
						: d.timeCondition(`${column} ${dim.op} ${d.timestamp(value, params)}`)
			);
	}
	for (const dim of listsOf(schema)) {
		const values = filter[dim.field];
		if (values?.length) conditions.push(`${columnName(schema.columns[dim.of]!)} IN (${values.map((v) => d.value(v, params)).join(', ')})`);
	}
	return { where: conditions.length ? conditions.join(' AND ') : d.always, params };
}
