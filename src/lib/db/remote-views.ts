import type { IntervalSize, ServiceFilter, ServiceSettings } from '$lib/metrics/service';

/**
 * What the app may ask a holdline server (`npm run serve`): a view by name, with a filter and
 * settings, never SQL. The server checks each value and renders the SQL (`lib/server/`).
 */
export const VIEW_NAMES = [
	'summary',
	'intervals',
	'queues',
	'agents',
	'waits',
	'waitReach',
	'options',
	'incident',
	'incidentQueues',
	'afterOnset',
	'staffingLoad'
] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

export interface ViewSettings extends ServiceSettings {
	interval: IntervalSize;
	/** The incident window (views incident, incidentQueues, afterOnset). */
	onset: string | null;
	end: string | null;
	longS: number;
}

export interface NamedViewRequest {
	dataset: string;
	view: ViewName;
	filter: ServiceFilter;
	settings: ViewSettings;
}

/** Set by the holdline server on the pages it serves; without it the page is a static build. */
export const SERVER_COOKIE = 'holdline-server';
