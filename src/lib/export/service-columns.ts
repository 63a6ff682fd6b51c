import type { Column } from './csv';
import { translator, type Lang } from '$lib/i18n/messages';
import { abandonFraction, isSmallSample, percentCell, slFraction } from '$lib/metrics/fractions';
import type { ServiceRow, ServiceSettings } from '$lib/metrics/service';
import type { IncidentRow } from '$lib/metrics/incident';

/**
 * The columns of the Service level page's tables and CSV files, in the page's language:
 * rates as percentages beside the counts they are computed from and that count's size
 * check; the CSV alone also keeps each rate as a share of 1 for programs.
 */
type Keyed = ServiceRow & { key: string };

const num = (v: unknown) => (v == null ? null : Number(v));
const round1 = (v: unknown) => (v == null ? null : Number(Number(v).toFixed(1)));

export function serviceMetricColumns<R extends Keyed>(lang: Lang, keyHeader: string, settings: ServiceSettings, minSample: number): Column<R>[] {
	const t = translator(lang);
	const sl = (r: R) => slFraction(r, settings.variant);
	const ab = (r: R) => abandonFraction(r, settings.variant);
	return [
		{ key: 'key', header: keyHeader, value: (r) => r.key },
		{ key: 'volume', header: t('kpi.volume'), value: (r) => num(r.volume) },
		{ key: 'offered', header: t('col.offered'), value: (r) => num(r.offered) },
		{ key: 'answered', header: t('chart.answered'), value: (r) => num(r.answered) },
		{ key: 'abandoned', header: t('chart.abandoned'), value: (r) => num(r.abandoned) },
		{ key: 'answered_within', header: t('col.answeredWithin', { t: settings.thresholdS }), value: (r) => sl(r).num },
		{ key: 'sl_denominator', header: t('col.slDenominator'), value: (r) => sl(r).den },
		{ key: 'service_level_pct', header: t('col.slPercent'), value: (r) => percentCell(r.service_level) },
		{ key: 'service_level', header: t('col.slShare'), value: (r) => num(r.service_level), csvOnly: true },
		{ key: 'sl_small', header: t('col.slSmall', { min: minSample }), value: (r) => (isSmallSample(sl(r).den, minSample) ? t('yes') : '') },
		{ key: 'asa_s', header: t('col.asa'), value: (r) => round1(r.asa_s) },
		{ key: 'aht_s', header: t('col.aht'), value: (r) => round1(r.aht_s) },
		{ key: 'abandon_numerator', header: t('col.abandonNumerator'), value: (r) => ab(r).num },
		{ key: 'abandon_denominator', header: t('col.abandonDenominator'), value: (r) => ab(r).den },
		{ key: 'abandon_rate_pct', header: t('col.abandonPercent'), value: (r) => percentCell(r.abandon_rate) },
		{ key: 'abandon_rate', header: t('col.abandonShare'), value: (r) => num(r.abandon_rate), csvOnly: true },
		{ key: 'abandon_small', header: t('col.abandonSmall', { min: minSample }), value: (r) => (isSmallSample(ab(r).den, minSample) ? t('yes') : '') }
	];
}

/**
 * Per agent: what an agent's calls say (answered, how fast, how long). Abandons have no
 * agent, so abandon counts and rates are not per-agent figures and are left out.
 */
export function agentColumns<R extends Keyed>(lang: Lang, settings: ServiceSettings): Column<R>[] {
	const t = translator(lang);
	return [
		{ key: 'key', header: t('filter.agent'), value: (r) => r.key || t('chart.noAgent') },
		{ key: 'answered', header: t('chart.answered'), value: (r) => num(r.answered) },
		{ key: 'answered_within', header: t('col.answeredWithin', { t: settings.thresholdS }), value: (r) => num(r.answered_within) },
		{ key: 'asa_s', header: t('col.asa'), value: (r) => round1(r.asa_s) },
		{ key: 'aht_s', header: t('col.aht'), value: (r) => round1(r.aht_s) }
	];
}

/** Per queue at an incident's onset; `completed` is empty when the data cannot record an interrupted call. */
export function incidentColumns<R extends IncidentRow & { key: string }>(lang: Lang, tellsInterruptions: boolean): Column<R>[] {
	const t = translator(lang);
	return [
		{ key: 'key', header: t('service.queue'), value: (r) => r.key },
		{ key: 'in_progress', header: t('incident.inProgress'), value: (r) => num(r.in_progress) },
		{ key: 'in_service', header: t('col.inService'), value: (r) => num(r.in_service) },
		{ key: 'completed', header: t('col.completed'), value: (r) => (tellsInterruptions ? num(r.completed) : null) },
		{ key: 'waiting', header: t('col.waiting'), value: (r) => num(r.waiting) },
		{
			key: 'ended_early',
			header: tellsInterruptions ? t('col.endedEarly') : t('col.waitingEnded'),
			value: (r) => Number(r.ended_early) - (tellsInterruptions ? 0 : Number(r.interrupted))
		},
		{ key: 'median_after_onset_s', header: t('col.medianAfter'), value: (r) => num(r.median_after_onset_s) }
	];
}
