import { OUTCOMES, type Outcome } from '$lib/datasets/story';
import type { SqlParam } from '$lib/db/types';

/** What the user has narrowed the view to; `null` means "all". */
export interface Filter {
	department: string | null;
	agent: string | null;
	outcome: Outcome | null;
}

/** One department–agent pair that the filter menus offer. */
export interface FilterOption {
	department: string;
	department_en: string;
	agent: string;
	agent_pinyin: string;
}

export const EMPTY_FILTER: Filter = { department: null, agent: null, outcome: null };

const KEYS = { department: 'dept', agent: 'agent', outcome: 'outcome' } as const;

function isOutcome(value: string): value is Outcome {
	return (OUTCOMES as readonly string[]).includes(value);
}

/** URL query string → Filter. Unknown outcome codes are dropped, not trusted. */
export function parseFilter(params: URLSearchParams): Filter {
	const text = (key: string) => {
		const value = params.get(key)?.trim();
		return value ? value.slice(0, 200) : null;
	};
	const outcome = text(KEYS.outcome);
	return {
		department: text(KEYS.department),
		agent: text(KEYS.agent),
		outcome: outcome && isOutcome(outcome) ? outcome : null
	};
}

/** Filter → query string, keeping unrelated parameters; defaults are left out. */
export function serializeFilter(filter: Filter, base = new URLSearchParams()): URLSearchParams {
	const params = new URLSearchParams(base);
	for (const [field, key] of Object.entries(KEYS) as [keyof Filter, string][]) {
		const value = filter[field];
		if (value) params.set(key, value);
		else params.delete(key);
	}
	return params;
}

export function isFiltered(filter: Filter): boolean {
	return Boolean(filter.department || filter.agent || filter.outcome);
}

/**
 * The WHERE conditions for a filter: fixed column names, values as bound parameters.
 * Returns `TRUE` when nothing is filtered so callers can always write `WHERE ${where}`.
 */
export function filterWhere(filter: Filter): { where: string; params: SqlParam[] } {
	const conditions: string[] = [];
	const params: SqlParam[] = [];
	if (filter.department) {
		conditions.push('department = ?');
		params.push(filter.department);
	}
	if (filter.agent) {
		conditions.push('agent = ?');
		params.push(filter.agent);
	}
	if (filter.outcome) {
		conditions.push('outcome = ?');
		params.push(filter.outcome);
	}
	return { where: conditions.length ? conditions.join(' AND ') : 'TRUE', params };
}
