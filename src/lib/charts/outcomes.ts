import type { Outcome } from '$lib/story/dataset';
import { locale } from '$lib/i18n/locale.svelte';
import { layoutLegend, type LegendItem } from './legend';
import { outcomeColor } from './palette';

/** An outcome's name in the page's language. */
export const outcomeName = (outcome: Outcome) => locale.t(`outcome.${outcome}`);

/** A legend of these outcomes (and `extra` items after them), laid out within a chart `width` wide. */
export function outcomeLegend(outcomes: Iterable<Outcome>, width: number, extra: LegendItem[] = []) {
	const items = [...new Set(outcomes)].map((o) => ({ key: o, label: outcomeName(o), color: outcomeColor(o) }));
	return layoutLegend([...items, ...extra], Math.max(120, width - 16));
}
