import { DATASET_ID } from '$lib/imports/dataset-id';
import { DEFAULT_MIN_SAMPLE } from './fractions';
import { DEFAULT_SETTINGS, INTERVALS, SL_VARIANTS, type IntervalSize, type ServiceSettings, type SlVariant } from './service';
import { CALLS_SCHEMA, parseFilter, serializeFilter, type Filter } from '$lib/filters/filter';
import { normaliseTime } from '$lib/filters/time';

/** Everything the Service level page shows, as it lives in the URL. */
export interface ServiceView {
	dataset: string | null;
	filter: Filter;
	settings: ServiceSettings;
	/** Service-level goal as a share (e.g. 0.8 for the common 80/20). */
	goal: number;
	/** Rates from fewer calls than this are shown faded and marked (URL `minn`). */
	minSample: number;
	/** The chart's interval as chosen (URL `interval`); null: the page picks one for the data's span (`intervalFor`). */
	interval: Exclude<IntervalSize, 'week'> | null;
	onset: string | null;
	end: string | null;
}

function number(value: string | null, fallback: number, max: number): number {
	const n = Number(value);
	return value !== null && value !== '' && Number.isFinite(n) && n >= 0 && n <= max ? n : fallback;
}

export function parseServiceView(params: URLSearchParams): ServiceView {
	const variant = params.get('abandons');
	const interval = params.get('interval');
	return {
		dataset: DATASET_ID.test(params.get('ds') ?? '') ? params.get('ds') : null,
		filter: parseFilter(params, CALLS_SCHEMA),
		settings: {
			thresholdS: number(params.get('t'), DEFAULT_SETTINGS.thresholdS, 3600),
			shortAbandonS: number(params.get('short'), DEFAULT_SETTINGS.shortAbandonS, 600),
			variant: SL_VARIANTS.includes(variant as SlVariant) ? (variant as SlVariant) : DEFAULT_SETTINGS.variant
		},
		goal: number(params.get('goal'), 80, 100) / 100,
		minSample: Math.round(number(params.get('minn'), DEFAULT_MIN_SAMPLE, 100_000)),
		interval: INTERVALS.map(String).includes(interval ?? '') ? ((interval === 'day' ? 'day' : Number(interval)) as Exclude<IntervalSize, 'week'>) : null,
		onset: normaliseTime(params.get('onset')),
		end: normaliseTime(params.get('end'))
	};
}

/** Only values that differ from the defaults are written, so links stay short. */
export function serializeServiceView(view: ServiceView): URLSearchParams {
	let p = new URLSearchParams();
	const set = (key: string, value: string | number | null, fallback: string | number | null = null) => {
		if (value !== null && value !== fallback) p.set(key, String(value));
	};
	set('ds', view.dataset);
	p = serializeFilter(view.filter, CALLS_SCHEMA, p);
	set('t', view.settings.thresholdS, DEFAULT_SETTINGS.thresholdS);
	set('short', view.settings.shortAbandonS, DEFAULT_SETTINGS.shortAbandonS);
	set('abandons', view.settings.variant, DEFAULT_SETTINGS.variant);
	set('goal', Math.round(view.goal * 100), 80);
	set('minn', view.minSample, DEFAULT_MIN_SAMPLE);
	set('interval', view.interval);
	set('onset', view.onset);
	set('end', view.end);
	return p;
}

/** Longest span, in days, charted hourly by default: a month is 744 bars; longer spans are charted by day. */
export const HOURLY_UP_TO_DAYS = 31;

/**
 * The interval a dataset is charted in when none is chosen: hourly up to a month, else daily.
 * (A 16-month dataset hourly drew 11,800 bars: 12.8 s of main-thread work per filter change.)
 */
export function intervalFor(from: string | null | undefined, to: string | null | undefined): Exclude<IntervalSize, 'week'> {
	const days = from && to ? (Date.parse(`${to.replace(' ', 'T')}Z`) - Date.parse(`${from.replace(' ', 'T')}Z`)) / 86_400_000 : NaN;
	return days > HOURLY_UP_TO_DAYS ? 'day' : 60;
}
