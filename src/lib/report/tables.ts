import { translate, translateMessage, translator, type Lang } from '$lib/i18n/messages';
import { intervalNote, NEEDS_CALLS } from '$lib/metrics/interval-notes';
import { formatDuration, formatNumber } from '$lib/i18n/format';
import { isQualityCode } from '$lib/imports/quality';
import { isImportProblem, problemText } from '$lib/imports/errors';
import { agentDefinitions, metricDefinitions, type DefinedMeasure } from '$lib/metrics/definitions';
import type { KeyedRow, ReportData } from './model';
import { addDays, daysIn, departmentsLine } from './spec';

/**
 * The report's tables in one language: the Report page shows them, the workbook writes one
 * sheet per table with the Excel format of each column's kind. Values stay numbers
 * (shares as 0–1, durations in seconds, times as 'YYYY-MM-DD HH:MM:SS'); only `formatCell`
 * turns them into text, for the page.
 */
export type CellKind = 'text' | 'int' | 'number' | 'percent' | 'duration' | 'date' | 'datetime' | 'change_pct' | 'change_pp';
export type Cell = string | number | null;
export type ReportRow = Record<string, Cell>;

export interface ReportColumn {
	key: string;
	header: string;
	/** `by_row`: each row names the kind in `row['<key>:kind']` (the summary mixes counts, shares and durations). */
	kind: CellKind | 'by_row';
}

export interface ReportTable {
	id: string;
	title: string;
	/** Worksheet name (at most 31 characters, none of []:*?/\). */
	sheet: string;
	columns: ReportColumn[];
	rows: ReportRow[];
}

export function cellKind(row: ReportRow, column: ReportColumn): CellKind {
	return column.kind === 'by_row' ? ((row[`${column.key}:kind`] as CellKind | undefined) ?? 'text') : column.kind;
}

const signed = (text: string, value: number) => (value > 0 ? `+${text}` : text);

/** A cell as the page prints it. */
export function formatCell(value: Cell, kind: CellKind, lang: Lang): string {
	if (value === null || value === undefined || value === '') return '—';
	if (typeof value === 'string') return kind === 'date' ? value.slice(0, 10) : kind === 'datetime' ? value.slice(0, 16) : value;
	switch (kind) {
		case 'int':
			return formatNumber(value, lang);
		case 'number':
			return formatNumber(value, lang);
		case 'percent':
			return `${(value * 100).toFixed(1)}%`;
		case 'duration':
			return formatDuration(value, lang);
		case 'change_pct':
			return signed(`${(value * 100).toFixed(1)}%`, value);
		case 'change_pp':
			return signed(translate(lang, 'report.pp', { v: value.toFixed(1) }), value);
		default:
			return String(value);
	}
}

/** The measures the report shows: the ones defined beside the measures (metrics/definitions.ts). */
type Metric = DefinedMeasure;
const METRIC_KIND: Record<Metric, CellKind> = {
	volume: 'int',
	offered: 'int',
	answered: 'int',
	abandoned: 'int',
	short_abandoned: 'int',
	unanswered: 'int',
	answered_within: 'int',
	service_level: 'percent',
	asa_s: 'duration',
	aht_s: 'duration',
	abandon_rate: 'percent'
};
const METRICS = Object.keys(METRIC_KIND) as Metric[];

/** A metric's name in a header. */
function metricName(lang: Lang, metric: Metric, data: ReportData, short = false): string {
	const t = translator(lang);
	switch (metric) {
		case 'volume':
			return t('kpi.volume');
		case 'service_level':
			return t('kpi.sl');
		case 'asa_s':
			return short ? 'ASA' : t('kpi.asa');
		case 'aht_s':
			return short ? 'AHT' : t('kpi.aht');
		case 'abandon_rate':
			return t('kpi.abandon');
		case 'answered_within':
			return t('report.col.within', { t: data.spec.settings.thresholdS });
		case 'short_abandoned':
			return t('report.col.short', { s: data.spec.settings.shortAbandonS });
		default:
			return t(`report.col.${metric}`);
	}
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Change from the previous period: relative for counts and durations, in points for shares. */
function change(kind: CellKind, now: number | null, before: number | null): { value: number | null; kind: CellKind } {
	if (now === null || before === null) return { value: null, kind: 'text' };
	if (kind === 'percent') return { value: Math.round((now - before) * 1000) / 10, kind: 'change_pp' };
	return { value: before === 0 ? null : (now - before) / before, kind: 'change_pct' };
}

/** The filters, period and settings in one line: on the title page, every sheet and the PDF. */
export function reportSubtitle(data: ReportData, lang: Lang): string {
	const t = translator(lang);
	const s = data.spec;
	const departments = departmentsLine(s, lang);
	return [
		`${t('report.period')}: ${s.from} – ${s.to}`,
		`${departments.label}: ${departments.values}`,
		`T = ${s.settings.thresholdS} s`,
		`${t('service.variant')}: ${t(`service.variant.${s.settings.variant}`)}`,
		data.source.name
	].join(' · ');
}

function metricColumns(lang: Lang, data: ReportData, keyHeader: string, keyKind: CellKind, metrics: Metric[]): ReportColumn[] {
	return [{ key: 'key', header: keyHeader, kind: keyKind }, ...metrics.map((m) => ({ key: m, header: metricName(lang, m, data, true), kind: METRIC_KIND[m] }))];
}

function metricRows(rows: KeyedRow[], metrics: Metric[]): ReportRow[] {
	return rows.map((r) => Object.fromEntries([['key', r.key], ...metrics.map((m) => [m, num(r[m])])]));
}

/** The report's tables, in report order. */
export function reportTables(data: ReportData, lang: Lang): ReportTable[] {
	const t = translator(lang);
	const s = data.spec;
	const tables: ReportTable[] = [];
	/** A table's id, and its title and sheet name in this language. */
	const named = (id: 'summary' | 'queues' | 'agents' | 'waits' | 'abandonment' | 'incident' | 'quality' | 'definitions') => ({
		id,
		title: t(`report.section.${id}`),
		sheet: t(`report.sheet.${id}`)
	});

	tables.push({
		...named('summary'),
		columns: [
			{ key: 'metric', header: t('report.col.metric'), kind: 'text' },
			{ key: 'now', header: `${t('report.current')} (${s.from} – ${s.to})`, kind: 'by_row' },
			{ key: 'before', header: `${t('report.previous')} (${data.previous.from} – ${data.previous.to})`, kind: 'by_row' },
			{ key: 'change', header: t('report.change'), kind: 'by_row' }
		],
		rows: [
			...METRICS.map((m) => {
				const kind = METRIC_KIND[m];
				const now = num(data.summary[m]);
				const before = num(data.previousSummary[m]);
				const diff = change(kind, now, before);
				return { metric: metricName(lang, m, data), now, before, change: diff.value, 'now:kind': kind, 'before:kind': kind, 'change:kind': diff.kind };
			}),
			...summaryNote(data, lang)
		]
	});

	const timeKey = s.by === 'week' ? t('report.col.week') : t('report.col.day');
	// Nine columns fit an A4 page; offered, short abandons and unanswered are in the abandonment table.
	const allMetrics: Metric[] = ['volume', 'answered', 'answered_within', 'service_level', 'asa_s', 'aht_s', 'abandoned', 'abandon_rate'];
	tables.push({
		id: 'intervals',
		title: t(s.by === 'week' ? 'report.section.weeks' : 'report.section.days'),
		sheet: t(s.by === 'week' ? 'report.sheet.weeks' : 'report.sheet.days'),
		columns: metricColumns(lang, data, timeKey, 'date', allMetrics),
		rows: metricRows(data.intervals, allMetrics)
	});
	tables.push({
		...named('queues'),
		columns: metricColumns(lang, data, t('service.queue'), 'text', allMetrics),
		rows: metricRows(data.queues, allMetrics)
	});
	const agentMetrics: Metric[] = ['answered', 'answered_within', 'asa_s', 'aht_s'];
	// An interval report: what needs calls is a table of one sentence saying why, on the page, the sheet and the PDF.
	const noteTable = (id: 'agents' | 'waits' | 'incident'): ReportTable => ({
		...named(id),
		columns: [{ key: 'note', header: t('report.col.note'), kind: 'text' }],
		rows: [{ note: t(NEEDS_CALLS[id]) }]
	});
	const intervals = data.source.kind === 'intervals';
	if (intervals) tables.push(noteTable('agents'), noteTable('waits'));
	else
		tables.push({
			...named('agents'),
			columns: metricColumns(lang, data, t('filter.agent'), 'text', agentMetrics),
			rows: metricRows(data.agents, agentMetrics)
		});
	if (!intervals)
		tables.push({
			...named('waits'),
			columns: [
				{ key: 'bin_start', header: t('report.col.waitFrom'), kind: 'duration' },
				{ key: 'bin_end', header: t('report.col.waitTo'), kind: 'duration' },
				{ key: 'answered', header: t('report.col.answered'), kind: 'int' },
				{ key: 'abandoned', header: t('report.col.abandoned'), kind: 'int' }
			],
			// The last bin holds every longer wait: it has no upper end.
			rows: data.waits.map((b) => ({
				bin_start: num(b.bin_start),
				bin_end: b.bin_end == null ? null : num(b.bin_end), // null: the overflow bin (every longer wait)
				answered: num(b.answered),
				abandoned: num(b.abandoned)
			}))
		});
	const abandonMetrics: Metric[] = ['offered', 'abandoned', 'short_abandoned', 'unanswered', 'abandon_rate'];
	tables.push({
		...named('abandonment'),
		columns: metricColumns(lang, data, timeKey, 'date', abandonMetrics),
		rows: metricRows(data.intervals, abandonMetrics)
	});

	if (intervals && s.onset) tables.push(noteTable('incident'));
	if (data.incident) {
		const i = data.incident.total;
		const w = data.incident.window;
		const row = (label: string, value: Cell, kind: CellKind): ReportRow => ({ metric: label, value, 'value:kind': kind });
		tables.push({
			id: 'incident',
			title: t('report.section.incident'),
			sheet: t('report.sheet.incident'),
			columns: [
				{ key: 'metric', header: t('report.col.metric'), kind: 'text' },
				{ key: 'value', header: t('report.col.value'), kind: 'by_row' }
			],
			rows: [
				row(t('incident.onset'), w.onset, 'datetime'),
				row(t('report.incidentEnd'), w.end, 'datetime'),
				row(t('incident.inProgress'), num(i.in_progress), 'int'),
				row(t('report.incident.inService'), num(i.in_service), 'int'),
				row(t('report.incident.waiting'), num(i.waiting), 'int'),
				row(t('incident.completed'), num(i.completed_share), 'percent'),
				row(t('incident.endedEarly'), num(i.ended_early), 'int'),
				row(t('incident.after'), num(i.median_after_onset_s), 'duration'),
				row(t('report.incident.longest'), num(i.max_after_onset_s), 'duration'),
				row(t('report.incident.longShare'), num(i.long_share), 'percent')
			]
		});
	}

	for (const section of data.extra)
		tables.push({
			id: section.id,
			title: t(section.title),
			sheet: t(section.title).slice(0, 31),
			columns: section.columns.map((c) => ({ key: c.key, header: t(c.header), kind: c.kind })),
			rows: section.rows.map((r) => Object.fromEntries(section.columns.map((c) => [c.key, (r[c.key] ?? null) as Cell])))
		});

	tables.push({
		...named('quality'),
		columns: [
			{ key: 'kind', header: t('quality.col.kind'), kind: 'text' },
			{ key: 'code', header: t('quality.col.code'), kind: 'text' },
			{ key: 'reason', header: t('quality.reason'), kind: 'text' },
			{ key: 'count', header: t('quality.count'), kind: 'int' },
			{ key: 'examples', header: t('quality.examples'), kind: 'text' }
		],
		rows: (data.quality?.entries ?? []).map((e) => ({
			kind: t(`quality.kind.${e.kind}`),
			code: e.code,
			reason: isQualityCode(e.code) ? t(`quality.code.${e.code}`) : isImportProblem(e.code) ? problemText({ problem: e.code }, lang).what : e.code,
			count: e.count,
			examples: e.examples
				.slice(0, 3)
				.map((x) => `${x.file}:${x.line}${x.value !== undefined ? ` ${JSON.stringify(x.value)}` : ''}`)
				.join('; ')
		}))
	});

	tables.push({
		...named('definitions'),
		columns: [
			{ key: 'term', header: t('report.col.term'), kind: 'text' },
			{ key: 'definition', header: t('report.col.definition'), kind: 'text' }
		],
		rows: definitionRows(data, lang)
	});
	return tables;
}

/** Under the summary, on an interval dataset: why a figure is empty (another T, no short abandons), as one row. */
function summaryNote(data: ReportData, lang: Lang): ReportRow[] {
	const note = intervalNote(data.summary, data.spec.settings.thresholdS);
	return note
		? [{ metric: translateMessage(lang, note), now: null, before: null, change: null, 'now:kind': 'text', 'before:kind': 'text', 'change:kind': 'text' }]
		: [];
}

/** Settings, metric definitions and the source, as term–definition rows. */
function definitionRows(data: ReportData, lang: Lang): ReportRow[] {
	const t = translator(lang);
	const s = data.spec.settings;
	const src = data.source;
	const q = data.quality;
	// The measures' own words, in the report's language (metrics/definitions.ts).
	const defined = metricDefinitions(s, lang);
	return [
		{ term: t('service.threshold'), definition: String(s.thresholdS) },
		{ term: t('service.variant'), definition: t(`service.variant.${s.variant}`) },
		{ term: t('service.short'), definition: String(s.shortAbandonS) },
		{ term: t('service.goal'), definition: `${Math.round(data.spec.goal * 100)}%` },
		{ term: t('service.interval'), definition: t(data.spec.by === 'week' ? 'report.by.week' : 'report.by.day') },
		{ term: t('report.period'), definition: `${data.spec.from} – ${data.spec.to} (${daysIn(data.spec.from, data.spec.to)})` },
		{ term: t('report.previous'), definition: `${data.previous.from} – ${data.previous.to}` },
		{ term: t('report.periodRule'), definition: t('report.periodRule.text', { from: data.spec.from, next: addDays(data.spec.to, 1) }) },
		...METRICS.map((m) => ({ term: metricName(lang, m, data), definition: defined[m] })),
		...agentDefinitionRows(data, lang),
		{ term: t('report.source.dataset'), definition: `${src.name}${src.synthetic ? ` (${t('datasets.synthetic')})` : ''}` },
		{ term: t('report.source.files'), definition: src.files.join(', ') },
		{ term: t('report.source.format'), definition: src.format },
		...(src.kind === 'intervals'
			? [{ term: t('service.intervals.badge'), definition: t('service.intervals.intro', { minutes: intervalMinutesOf(data) }) }]
			: []),
		{ term: t('report.source.rows'), definition: q ? t('quality.summary', { rows: q.rowsRead, calls: src.rows }) : String(src.rows) },
		{ term: t('report.source.range'), definition: `${src.from ?? '?'} – ${src.to ?? '?'}` },
		{ term: t('print.generated'), definition: data.generatedAt.slice(0, 19).replace('T', ' ') + ' UTC' }
	];
}

/** The agents table's measures, where the report has one (a queue_log's): its columns' headers and definitions. */
function agentDefinitionRows(data: ReportData, lang: Lang): ReportRow[] {
	const section = data.extra.find((x) => x.id === 'agent_states');
	if (!section) return [];
	const t = translator(lang);
	const defined = agentDefinitions(lang);
	return section.columns.filter((c) => c.key in defined).map((c) => ({ term: t(c.header), definition: defined[c.key as keyof typeof defined] }));
}

/** An interval dataset's interval length as its intervals show it (the report's source names no length). */
function intervalMinutesOf(data: ReportData): number | string {
	return data.source.intervalMinutes ?? '?';
}
