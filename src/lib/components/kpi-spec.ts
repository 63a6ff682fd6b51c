import { formatDuration, formatNumber, formatPercent } from '$lib/i18n/format';
import type { Lang, MessageKey } from '$lib/i18n/messages';

/** How a card's figure is written: a count, a share, a duration, or text chosen by the page. */
export type KpiFormat = 'count' | 'percent' | 'duration' | 'text';

/**
 * One key-figure card as a page lists it: its id (the card's `data-kpi` and test ids), its
 * label's message key, the raw figure and how it is written, and the sentences under it
 * (already in the page's language). `value` undefined: not answered yet ("…").
 */
export interface KpiSpec {
	id: string;
	label: MessageKey;
	value: number | string | null | undefined;
	format: KpiFormat;
	detail: string;
	basis: string;
	warning?: string | null;
	/** The article's aggregate beside the computed figure (the story's cards). */
	reported?: string | null;
	reportedLabel?: string;
}

/** The card's figure as shown: "…" until answered, "—" for a figure the data cannot give. */
export function kpiValue(spec: Pick<KpiSpec, 'value' | 'format'>, lang: Lang): string {
	const v = spec.value;
	if (v === undefined) return '…';
	if (spec.format === 'text') return v === null ? '—' : String(v);
	const n = v === null ? null : Number(v);
	if (spec.format === 'percent') return formatPercent(n, lang);
	if (spec.format === 'duration') return formatDuration(n, lang);
	return formatNumber(n, lang);
}
