import type { IntervalSize, ServiceFilter, ServiceSettings } from '$lib/metrics/service';

/**
 * What the app may ask a holdline server (`npm run serve`): a view by name, with a filter and
 * settings, never SQL. The server checks each value and renders the SQL (`lib/server/`).
 */
export const VIEW_NAMES = ['summary', 'intervals', 'queues', 'agents', 'waits', 'waitReach', 'options', 'incident', 'incidentQueues', 'afterOnset'] as const;
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
