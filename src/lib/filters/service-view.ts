import { CANONICAL_OUTCOMES, type CanonicalOutcome } from '$lib/imports/canonical';
import { DEFAULT_MIN_SAMPLE } from '$lib/metrics/fractions';
import { DEFAULT_SETTINGS, INTERVALS, SL_VARIANTS, type IntervalSize, type ServiceFilter, type ServiceSettings, type SlVariant } from '$lib/metrics/service';

/** Everything the Service level page shows, as it lives in the URL. */
export interface ServiceView {
	dataset: string | null;
	filter: ServiceFilter;
	settings: ServiceSettings;
	/** Service-level goal as a share (e.g. 0.8 for the common 80/20). */
	goal: number;
	/** Rates from fewer calls than this are shown faded and marked (URL `minn`). */
	minSample: number;
	interval: IntervalSize;
	onset: string | null;
	end: string | null;
}

const TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/;
const DATASET = /^ds_[a-z0-9]{6,20}$/;

/** 'YYYY-MM-DD HH:MM[:SS]' or a datetime-local value ('…T…') → 'YYYY-MM-DD HH:MM:SS', else null. */
export function normaliseTime(value: string | null): string | null {
	const v = value?.replace('T', ' ').trim();
	if (!v || !TIME.test(v)) return null;
	return v.length === 16 ? `${v}:00` : v;
}

function number(value: string | null, fallback: number, max: number): number {
	const n = Number(value);
	return value !== null && value !== '' && Number.isFinite(n) && n >= 0 && n <= max ? n : fallback;
}

function text(value: string | null): string | null {
	const v = value?.trim();
	return v ? v.slice(0, 200) : null;
}

export function parseServiceView(params: URLSearchParams): ServiceView {
	const outcome = params.get('outcome');
	const variant = params.get('abandons');
	const interval = params.get('interval');
	return {
		dataset: DATASET.test(params.get('ds') ?? '') ? params.get('ds') : null,
		filter: {
			queue: text(params.get('queue')),
			agent: text(params.get('agent')),
			outcome: CANONICAL_OUTCOMES.includes(outcome as CanonicalOutcome) ? (outcome as CanonicalOutcome) : null,
			from: normaliseTime(params.get('from')),
			to: normaliseTime(params.get('to'))
		},
		settings: {
			thresholdS: number(params.get('t'), DEFAULT_SETTINGS.thresholdS, 3600),
			shortAbandonS: number(params.get('short'), DEFAULT_SETTINGS.shortAbandonS, 600),
			variant: SL_VARIANTS.includes(variant as SlVariant) ? (variant as SlVariant) : DEFAULT_SETTINGS.variant
		},
		goal: number(params.get('goal'), 80, 100) / 100,
		minSample: Math.round(number(params.get('minn'), DEFAULT_MIN_SAMPLE, 100_000)),
		interval: (INTERVALS.map(String).includes(interval ?? '') ? (interval === 'day' ? 'day' : Number(interval)) : 60) as IntervalSize,
		onset: normaliseTime(params.get('onset')),
		end: normaliseTime(params.get('end'))
	};
}

/** Only values that differ from the defaults are written, so links stay short. */
export function serializeServiceView(view: ServiceView): URLSearchParams {
	const p = new URLSearchParams();
	const set = (key: string, value: string | number | null, fallback: string | number | null = null) => {
		if (value !== null && value !== fallback) p.set(key, String(value));
	};
	set('ds', view.dataset);
	set('queue', view.filter.queue);
	set('agent', view.filter.agent);
	set('outcome', view.filter.outcome);
	set('from', view.filter.from);
	set('to', view.filter.to);
	set('t', view.settings.thresholdS, DEFAULT_SETTINGS.thresholdS);
	set('short', view.settings.shortAbandonS, DEFAULT_SETTINGS.shortAbandonS);
	set('abandons', view.settings.variant, DEFAULT_SETTINGS.variant);
	set('goal', Math.round(view.goal * 100), 80);
	set('minn', view.minSample, DEFAULT_MIN_SAMPLE);
	set('interval', view.interval, 60);
	set('onset', view.onset);
	set('end', view.end);
	return p;
}

/** 'YYYY-MM-DD HH:MM:SS' → the value of a `datetime-local` input (to the minute). */
export function toTimeInput(value: string | null): string {
	return value ? value.slice(0, 16).replace(' ', 'T') : '';
}
