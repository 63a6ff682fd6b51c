import {
	groupView,
	intervalView,
	optionsQuery,
	summaryView,
	TOP,
	waitHistogramRange,
	waitHistogramView,
	waitReachQuery,
	type ServiceSettings
} from '../service';
import { firstNumber, type NamedViewSpec } from './spec';

/** The wait histogram's bins from the `waitReach` view's rows (the dataset's 99th-percentile wait) and T. */
export const waitBins = (settings: ServiceSettings, reach: readonly { reach_s?: unknown }[]) =>
	waitHistogramRange(settings.thresholdS, firstNumber(reach, 'reach_s'));

/** The key figures under the filter. */
export const summary: NamedViewSpec = { spec: (r, d) => summaryView(r.settings, d), aggregate: () => ({ view: 'summary' }) };

/** Per interval of arrival (`settings.interval`; weeks for the report's weekly table). */
export const intervals: NamedViewSpec = {
	spec: (r, d) => intervalView(r.settings, r.settings.interval, d),
	aggregate: (r) => ({ view: 'intervals', size: r.settings.interval })
};

/** The page's busiest departments and agents (the report's hold them all: below). */
export const queues: NamedViewSpec = {
	spec: (r, d) => groupView(r.settings, 'queue', TOP.queues, d),
	aggregate: () => ({ view: 'queues', limit: TOP.queues })
};
export const agents: NamedViewSpec = {
	spec: (r, d) => groupView(r.settings, 'agent', TOP.agents, d),
	aggregate: () => ({ view: 'agents', limit: TOP.agents })
};

/** The dataset's reach of waits, which the wait histogram's bins go up to (not moved by the filter). */
export const waitReach: NamedViewSpec = { query: (_r, table, d) => waitReachQuery(table, d) };

/** The wait histogram: its bins from `waitReach`, asked first. */
export const waits: NamedViewSpec = {
	needs: 'waitReach',
	spec: (r, d, reach) => {
		const { binS, maxS } = waitBins(r.settings, reach);
		return waitHistogramView(binS, maxS, d);
	},
	aggregate: (r, reach) => ({ view: 'waits', ...waitBins(r.settings, reach) })
};

/** The filter menus' choices (not moved by the filter). */
export const options: NamedViewSpec = { query: (_r, table, d) => optionsQuery(table, d) };

/** The report's tables: every department and agent (up to 1000), not the page's top 40 / 30. */
export const reportQueues: NamedViewSpec = {
	spec: (r, d) => groupView(r.settings, 'queue', TOP.report, d),
	aggregate: () => ({ view: 'queues', limit: TOP.report })
};
export const reportAgents: NamedViewSpec = {
	spec: (r, d) => groupView(r.settings, 'agent', TOP.report, d),
	aggregate: () => ({ view: 'agents', limit: TOP.report })
};
