import type { Lang } from '$lib/i18n/messages';
import type { FilterOption } from './filter';
import type { ValueNames } from './describe';

/** A value a filter menu offers; an agent's `queue` ties it to its department (the story's menus). */
export interface Choice {
	value: string;
	label: string;
	queue?: string;
}

export type Choices = { queue: Choice[]; agent: Choice[] };

/** The story's department–agent pairs: names as written, with their English gloss in English. */
export function storyChoices(options: FilterOption[], lang: Lang): Choices {
	const en = lang === 'en';
	return {
		queue: options.map((o) => ({ value: o.department, label: en ? o.department_en : o.department })),
		agent: options.map((o) => ({ value: o.agent, label: en ? `${o.agent_pinyin} (${o.agent})` : o.agent, queue: o.department }))
	};
}

/** An imported dataset's menus (`optionsQuery` rows): names as the data has them. */
export function datasetChoices(rows: { field: string; value: string }[]): Choices {
	const of = (field: string) => rows.filter((r) => r.field === field).map((r) => ({ value: r.value, label: r.value }));
	return { queue: of('queue'), agent: of('agent') };
}

/** Choices once each, and an agent tied to other departments left out while one is chosen. */
export function offered(choices: Choice[], queue: string | null): Choice[] {
	return [...new Map(choices.filter((c) => !queue || c.queue === undefined || c.queue === queue).map((c) => [c.value, c])).values()];
}

/** Whether an agent still belongs to the view once the department changes (else it would empty it). */
export function agentFits(agents: Choice[], agent: string | null, queue: string | null): boolean {
	return !!agent && agents.some((c) => c.value === agent && (!queue || c.queue === undefined || c.queue === queue));
}

/** The story's names in the page's language, for the description line and file names. */
export function storyNames(options: FilterOption[], lang: Lang): ValueNames {
	if (lang !== 'en') return {};
	const department = new Map(options.map((o) => [o.department, o.department_en]));
	const agent = new Map(options.map((o) => [o.agent, o.agent_pinyin]));
	return { queue: (d) => department.get(d) ?? d, agent: (a) => agent.get(a) ?? a };
}

/** A list dimension's values with one ticked or unticked, in the order the choices offer them (none: null). */
export function toggled(chosen: readonly string[] | null | undefined, value: string, on: boolean, choices: Choice[]): string[] | null {
	const next = new Set(chosen);
	if (on) next.add(value);
	else next.delete(value);
	const values = choices.map((c) => c.value).filter((v) => next.has(v));
	return values.length ? values : null;
}
