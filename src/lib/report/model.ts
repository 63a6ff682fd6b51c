import type { Query, Row } from '$lib/db/types';
import type { FormatId } from '$lib/imports/formats';
import type { QualityReport } from '$lib/imports/quality';
import { afterOnsetHistogramQuery, incidentByQuery, incidentQuery, type IncidentRow, type IncidentWindow } from '$lib/metrics/incident';
import {
	groupView,
	histogramRange,
	intervalView,
	summaryView,
	viewQuery,
	waitHistogramRange,
	waitHistogramView,
	waitReachQuery,
	type ServiceFilter,
	type ServiceRow,
	type WaitBin
} from '$lib/metrics/service';
import { periodFilter, previousPeriod, type ReportSpec } from './spec';
import { staffingSection } from './staffing-section';

/**
 * The report's figures, computed once by the same view SQL as the Service level page
 * (`metrics/service.ts`, `metrics/incident.ts`) and rendered three ways: the Report page
 * (which prints to PDF), the XLSX workbook and the command line. Plain data, no language:
 * words are chosen when it is rendered (`tables.ts`), so it can travel as JSON.
 */
export type KeyedRow = ServiceRow & { key: string };

export interface ReportSource {
	/** The dataset's name. */
	name: string;
	files: string[];
	format: FormatId | string;
	rows: number;
	/** First and last arrival in the dataset, 'YYYY-MM-DD HH:MM:SS'. */
	from: string | null;
	to: string | null;
	synthetic?: boolean;
}

/**
 * A section beyond the service metrics (a later one: staffing, agents needed vs seen per
 * interval) adds itself here: rows computed from the same table, period and filter, and the
 * columns it shows them with. The page, the workbook and the PDF render every section.
 */
export interface ExtraSection {
	id: string;
	/** Title in each language. */
	title: Record<'zh-CN' | 'en', string>;
	columns: { key: string; header: Record<'zh-CN' | 'en', string>; kind: 'text' | 'int' | 'number' | 'percent' | 'duration' | 'datetime' }[];
	rows: Row[];
	/** Sentences shown above the table, in each language (one per line). */
	note?: Record<'zh-CN' | 'en', string>;
}
export type SectionBuilder = (ask: Ask, table: string, filter: ServiceFilter, spec: ReportSpec) => Promise<ExtraSection | null>;

export interface ReportIncident {
	window: IncidentWindow;
	total: IncidentRow;
	byQueue: (IncidentRow & { key: string })[];
	afterOnset: { bin_start: number; bin_end: number | null; calls: number }[];
	/** The after-onset histogram's bin width and the start of its overflow bin. */
	afterBinS: number;
	afterMaxS: number;
}

export interface ReportData {
	spec: ReportSpec;
	source: ReportSource;
	quality: QualityReport | null;
	/** The period before, of equal length. */
	previous: { from: string; to: string };
	summary: ServiceRow;
	previousSummary: ServiceRow;
	intervals: KeyedRow[];
	queues: KeyedRow[];
	agents: KeyedRow[];
	waits: WaitBin[];
	/** The wait histogram's bin width, and where its overflow bin (every longer wait) starts. */
	waitBinS: number;
	waitMaxS: number;
	incident: ReportIncident | null;
	extra: ExtraSection[];
	/** When the figures were computed, ISO 8601. */
	generatedAt: string;
}

export type Ask = <T>(query: Query) => Promise<T[]>;

/** The sections added beyond the service metrics, in report order. */
export const EXTRA_SECTIONS: SectionBuilder[] = [staffingSection];

/** Every figure of the report, from `table` (a canonical calls table) through `ask`. */
export async function computeReport(ask: Ask, table: string, spec: ReportSpec, source: ReportSource, quality: QualityReport | null): Promise<ReportData> {
	const filter = periodFilter(spec, spec.queues);
	const previous = previousPeriod(spec);
	const s = spec.settings;
	// The same bins as the Service level page: up to the dataset's 99th-percentile wait.
	const [reach] = await ask<{ reach_s: number | null }>(waitReachQuery(table));
	const { binS, maxS } = waitHistogramRange(s.thresholdS, reach?.reach_s == null ? null : Number(reach.reach_s));
	const window = spec.onset ? { onset: spec.onset, end: spec.end, longS: 120 } : null;
	// Asked together: the browser's engine queues them, the native one runs them in turn.
	const [summary, previousSummary, intervals, queues, agents, waits, incident, extra] = await Promise.all([
		ask<ServiceRow>(viewQuery(table, summaryView(s), filter)),
		ask<ServiceRow>(viewQuery(table, summaryView(s), periodFilter(previous, spec.queues))),
		ask<KeyedRow>(viewQuery(table, intervalView(s, spec.by), filter)),
		ask<KeyedRow>(viewQuery(table, groupView(s, 'queue'), filter)),
		ask<KeyedRow>(viewQuery(table, groupView(s, 'agent'), filter)),
		ask<WaitBin>(viewQuery(table, waitHistogramView(binS, maxS), filter)),
		window
			? Promise.all([
					ask<IncidentRow>(incidentQuery(table, window, filter)),
					ask<IncidentRow & { key: string }>(incidentByQuery(table, window, filter, 'queue'))
				]).then(async ([total, byQueue]) => {
					// As on the Service level page: bins to the 90th percentile of service after onset, one long call the overflow bar.
					const reachAfter = total[0]?.reach_after_onset_s;
					const after = histogramRange(reachAfter == null ? null : Number(reachAfter), 180);
					const afterOnset = await ask<{ bin_start: number; bin_end: number | null; calls: number }>(
						afterOnsetHistogramQuery(table, window, filter, after.binS, after.maxS)
					);
					return { window, total: total[0]!, byQueue, afterOnset, afterBinS: after.binS, afterMaxS: after.maxS };
				})
			: Promise.resolve(null),
		Promise.all(EXTRA_SECTIONS.map((build) => build(ask, table, filter, spec))).then((sections) => sections.filter((x): x is ExtraSection => !!x))
	]);
	return {
		spec,
		source,
		quality,
		previous,
		summary: summary[0]!,
		previousSummary: previousSummary[0]!,
		intervals,
		queues,
		agents,
		waits,
		waitBinS: binS,
		waitMaxS: maxS,
		incident,
		extra,
		generatedAt: new Date().toISOString()
	};
}
