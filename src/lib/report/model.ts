import type { Message, MessageKey } from '$lib/i18n/messages';
import type { Row } from '$lib/engine/types';
import type { AfterOnsetBin, KeyedIncidentRow, KeyedRow } from '$lib/metrics/views/rows';
import type { AskView } from '$lib/query/named-views';
import { answers, type NamedViewRequest, type ViewName, type ViewRows } from '$lib/metrics/views/registry';
import { viewSettings } from '$lib/metrics/views/spec';
import { waitBins } from '$lib/metrics/views/service-views';
import type { FormatId } from '$lib/imports/formats';
import type { DatasetKind } from '$lib/imports/saved-dataset';
import type { QualityReport } from '$lib/imports/quality';
import { afterOnsetRange, incidentWindow, type IncidentRow, type IncidentWindow } from '$lib/metrics/incident';
import type { ServiceRow, WaitBin } from '$lib/metrics/service';
import { periodFilter, previousPeriod, type ReportSpec } from './spec';
import { staffingSection } from './staffing-section';
import { agentStatesSection } from './agent-states-section';
import { callbackSection } from './callback-section';

/**
 * The report's figures, computed once by the same named views as the Service level page
 * (`metrics/views/registry.ts`) and rendered three ways: the Report page
 * (which prints to PDF), the XLSX workbook and the command line. Plain data, no language:
 * words are chosen when it is rendered (`tables.ts`), so it can travel as JSON.
 */
export type { KeyedRow } from '$lib/metrics/views/rows';

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
	/** An interval report's dataset: the sections that need calls say so instead (absent: calls). */
	kind?: DatasetKind;
	/** An interval dataset's interval length in minutes. */
	intervalMinutes?: number;
}

/**
 * A section beyond the service metrics (a later one: staffing, agents needed vs seen per
 * interval) adds itself here: rows computed from the same table, period and filter, and the
 * columns it shows them with. The page, the workbook and the PDF render every section. Its
 * words are messages, put into the report's language where it is shown, as for every section.
 */
export interface ExtraSection {
	id: string;
	title: MessageKey;
	columns: { key: string; header: MessageKey; kind: 'text' | 'int' | 'number' | 'percent' | 'duration' | 'datetime' }[];
	rows: Row[];
	/** Sentences shown above the table, one per line. */
	note?: Message[];
}
/** `source`: the dataset the report is of (a section for one format only, the agents' of a queue_log, reads it). */
export type SectionBuilder = (ask: AskView, question: ReportQuestion, spec: ReportSpec, source?: ReportSource) => Promise<ExtraSection | null>;

export interface ReportIncident {
	window: IncidentWindow;
	total: IncidentRow;
	byQueue: KeyedIncidentRow[];
	afterOnset: AfterOnsetBin[];
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

/** The report's questions, minus the view's name: the dataset, the period's filter, the settings. */
export type ReportQuestion = Omit<NamedViewRequest, 'view'>;

/** The sections added beyond the service metrics, in report order. */
export const EXTRA_SECTIONS: SectionBuilder[] = [staffingSection, agentStatesSection, callbackSection];

/**
 * Every figure of the report, asked as named views (`metrics/views/registry.ts`): of a holdline server
 * when one serves the page, else rendered here as SQL over the dataset's table (`localViews`).
 * `dataset` is the id the views are asked of.
 */
export async function computeReport(ask: AskView, dataset: string, spec: ReportSpec, source: ReportSource, quality: QualityReport | null): Promise<ReportData> {
	const previous = previousPeriod(spec);
	const window = spec.onset ? incidentWindow(spec.onset, spec.end) : null;
	// The interval is the intervals view's alone (day or week); the others take a day's.
	const settings = viewSettings(spec.settings, { interval: 'day', onset: window?.onset, end: window?.end });
	const question: ReportQuestion = { dataset, filter: periodFilter(spec, spec.queues), settings, ...(source.kind ? { kind: source.kind } : {}) };
	// A view the dataset cannot answer (an interval report's agents, waits, incident) has no rows: its section says why.
	const view = <N extends ViewName>(name: N, filter = question.filter, viewSettings = settings): Promise<ViewRows[N][]> =>
		answers(name, source.kind) ? ask({ ...question, filter, settings: viewSettings, view: name }) : Promise.resolve([]);
	// The same bins as the Service level page: up to the dataset's 99th-percentile wait (the
	// `waits` view asks the same reach).
	const { binS, maxS } = waitBins(spec.settings, await view('waitReach'));
	// Asked together: the coordinator (or the server) queues them.
	const [summary, previousSummary, intervals, queues, agents, waits, incident, extra] = await Promise.all([
		view('summary'),
		view('summary', periodFilter(previous, spec.queues)),
		view('intervals', question.filter, { ...settings, interval: spec.by }),
		view('reportQueues'),
		view('reportAgents'),
		view('waits'),
		window && answers('incident', source.kind)
			? Promise.all([view('incident'), view('incidentQueues')]).then(async ([total, byQueue]) => {
					// As on the Service level page (and the afterOnset view): bins to the 90th percentile of service after onset.
					const after = afterOnsetRange(total[0]);
					const afterOnset = await view('afterOnset');
					return { window, total: total[0]!, byQueue, afterOnset, afterBinS: after.binS, afterMaxS: after.maxS };
				})
			: Promise.resolve(null),
		Promise.all(EXTRA_SECTIONS.map((build) => build(ask, question, spec, source))).then((sections) => sections.filter((x): x is ExtraSection => !!x))
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
