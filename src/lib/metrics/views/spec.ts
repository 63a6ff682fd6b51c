import type { Query, Row } from '$lib/sql/query';
import type { Filter } from '$lib/filters/filter';
import type { Dialect } from '$lib/sql/dialect';
import type { DatasetKind } from '$lib/imports/saved-dataset';
import { LONG_SERVICE_S } from '../incident';
import type { IntervalSize, ServiceSettings, ViewSpec } from '../service';

/** Which of ClickHouse's pre-aggregate's views answers a view exactly (preagg/service-aggregate-clickhouse.ts renders it). */
export type AggregateQuestion =
	| { view: 'summary' }
	| { view: 'intervals'; size: IntervalSize }
	| { view: 'queues'; limit: number }
	| { view: 'agents'; limit: number }
	| { view: 'waits'; binS: number; maxS: number };

/** The settings a view is asked with: the service settings, its interval and the incident window. */
export interface ViewSettings extends ServiceSettings {
	/** `week` for the intervals view only (the report's weekly table). */
	interval: IntervalSize;
	/** The incident window (the windowed views: incident, incidentQueues, incidentAgents, afterOnset). */
	onset: string | null;
	end: string | null;
	longS: number;
	/** The call-back list's window, hours (`metrics/callers.ts`; 24 unless said). */
	callbackHours?: number;
	/** Callers' numbers in full, where the viewer may see them (a server decides: `server/api.ts`); masked otherwise. */
	unmask?: boolean;
}

/** A view's settings from the service settings, with the long-service threshold every window uses. */
export function viewSettings(
	settings: ServiceSettings,
	{ interval = 60, onset = null, end = null }: { interval?: IntervalSize; onset?: string | null; end?: string | null } = {}
): ViewSettings {
	return { ...settings, interval, onset, end, longS: LONG_SERVICE_S };
}

/** A question by a view's name: the dataset, the filter and the settings (the registry names the view). */
export interface ViewQuestion<N extends string = string> {
	dataset: string;
	view: N;
	filter: Filter;
	settings: ViewSettings;
	/** What the dataset's table holds: calls (the default) or an interval report (`interval-views.ts`). */
	kind?: DatasetKind;
}

interface ViewTraits {
	/**
	 * Another view whose rows this one's SQL reads (bins up to the reach it measures): asked
	 * first, and its rows passed in as `needed`, on every path (page, report, command line, server).
	 */
	needs?: string;
	/** Asked only within an incident window: not without an onset. */
	windowed?: boolean;
	/** ClickHouse's pre-aggregate's question, for the views it answers exactly (`service-aggregate-clickhouse.ts`). */
	aggregate?: (request: ViewQuestion, needed: Row[]) => AggregateQuestion;
}

/**
 * One view, rendered per dialect. A view cubes can answer (the Service level page's, which a
 * filter change repaints) is a `ViewSpec` (`service.ts`), asked of the calls table or of a
 * cube; any other is its SQL over the calls table.
 */
export type NamedViewSpec = ViewTraits &
	(
		| { spec: (request: ViewQuestion, d: Dialect, needed: Row[]) => ViewSpec }
		| { query: (request: ViewQuestion, table: string, d: Dialect, needed: Row[]) => Query }
	);

/** The first row's value of `key` as a number, or null. */
export const firstNumber = <K extends string>(rows: readonly { [key in K]?: unknown }[], key: K): number | null =>
	rows[0]?.[key] == null ? null : Number(rows[0][key]);
