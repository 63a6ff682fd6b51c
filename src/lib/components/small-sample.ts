import { locale } from '$lib/i18n/locale.svelte';
import { formatNumber } from '$lib/i18n/format';
import { isSmallSample } from '$lib/metrics/fractions';

/** A card's rate from fewer calls than the minimum says so (the Service level page's KPI and incident cards). */
export function smallSampleWarning(den: number | null, minSample: number): string | null {
	return isSmallSample(den, minSample) ? locale.t('kpi.small', { n: formatNumber(den, locale.lang), min: minSample }) : null;
}
