import { DATASET_ID } from '$lib/imports/dataset-id';
import { DEFAULT_SETTINGS, SL_VARIANTS, type ServiceSettings, type SlVariant } from '$lib/metrics/service';
import { normaliseTime } from '$lib/filters/time';
import { EMPTY_FILTER, parseFilter, REPORT_SCHEMA, serializeFilter, type Filter } from '$lib/filters/filter';
import { QUEUES } from '$lib/filters/dimensions';
import { listLine } from '$lib/filters/describe';
import type { Lang } from '$lib/i18n/messages';

/**
 * What a report covers, as the Report page's URL and the command line's options give it:
 * whole days `from`…`to` (both included), the departments/queues chosen (none = all), the
 * interval of the time tables, the metric settings and an optional incident window.
 */
export type ReportBy = 'day' | 'week';
export const REPORT_BYS: ReportBy[] = ['day', 'week'];

export interface ReportSpec {
	/** First day, 'YYYY-MM-DD'. */
	from: string;
	/** Last day, 'YYYY-MM-DD', included. */
	to: string;
	queues: string[];
	by: ReportBy;
	settings: ServiceSettings;
	/** Service-level goal as a share (0.8 for 80/20). */
	goal: number;
	onset: string | null;
	end: string | null;
	/** Agents' wrap-up seconds (queue_log does not log them): `20`, or `sales=30,support=15,10` (`parseWrapSeconds`); 0 when absent. */
	wrapSeconds?: string;
	/** Callers' numbers in full in the call-back section (`--unmask`, the page's box); masked unless said. */
	unmask?: boolean;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** A real calendar day 'YYYY-MM-DD' (2024-02-30 is not one), else null. */
export function parseDay(text: string | null | undefined): string | null {
	if (!text || !DAY.test(text)) return null;
	const ms = Date.parse(`${text}T00:00:00Z`);
	return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === text ? text : null;
}

/** `day` moved by `n` days (calendar arithmetic in UTC: no time zone shifts a date). */
export function addDays(day: string, n: number): string {
	return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
export function daysIn(from: string, to: string): number {
	return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** The period of equal length just before: what the summary compares with. */
export function previousPeriod(spec: Pick<ReportSpec, 'from' | 'to'>): { from: string; to: string } {
	const length = daysIn(spec.from, spec.to);
	return { from: addDays(spec.from, -length), to: addDays(spec.from, -1) };
}

/** The calls filter of a period: arrival from its first midnight up to (not including) the midnight after its last day. */
export function periodFilter(period: { from: string; to: string }, queues: readonly string[]): Filter {
	return {
		queue: null,
		agent: null,
		outcome: null,
		from: `${period.from} 00:00:00`,
		to: `${addDays(period.to, 1)} 00:00:00`,
		queues: queues.length ? [...queues] : null
	};
}

/** The default period: the last 7 days of the data (its last day included). */
export function defaultPeriod(dataTo: string | null): { from: string; to: string } | null {
	const last = parseDay(dataTo?.slice(0, 10));
	return last ? { from: addDays(last, -6), to: last } : null;
}

/** Why a spec cannot be reported, or null: the command line prints it, the page shows it. */
export function specProblem(spec: Pick<ReportSpec, 'from' | 'to'>): string | null {
	if (!parseDay(spec.from)) return `from: not a date (YYYY-MM-DD): ${JSON.stringify(spec.from)}`;
	if (!parseDay(spec.to)) return `to: not a date (YYYY-MM-DD): ${JSON.stringify(spec.to)}`;
	if (spec.to < spec.from) return `the period ends (${spec.to}) before it starts (${spec.from})`;
	if (daysIn(spec.from, spec.to) > 3660) return 'the period is longer than ten years';
	return null;
}

function number(value: string | null, fallback: number, max: number): number {
	const n = Number(value);
	return value !== null && value !== '' && Number.isFinite(n) && n >= 0 && n <= max ? n : fallback;
}

/** The Report page's URL → a spec; from/to may be missing (the page then proposes the data's last week). */
export function parseReportParams(
	params: URLSearchParams
): Omit<ReportSpec, 'from' | 'to'> & { from: string | null; to: string | null; dataset: string | null } {
	const variant = params.get('abandons');
	return {
		dataset: DATASET_ID.test(params.get('ds') ?? '') ? params.get('ds') : null,
		from: parseDay(params.get('from')),
		to: parseDay(params.get('to')),
		// The filter model's `queues` dimension (`dept=A&dept=B`, as report links have always been).
		queues: [...(parseFilter(params, REPORT_SCHEMA).queues ?? [])],
		by: params.get('by') === 'week' ? 'week' : 'day',
		settings: {
			thresholdS: number(params.get('t'), DEFAULT_SETTINGS.thresholdS, 3600),
			shortAbandonS: number(params.get('short'), DEFAULT_SETTINGS.shortAbandonS, 600),
			variant: SL_VARIANTS.includes(variant as SlVariant) ? (variant as SlVariant) : DEFAULT_SETTINGS.variant
		},
		goal: number(params.get('goal'), 80, 100) / 100,
		onset: normaliseTime(params.get('onset')),
		end: normaliseTime(params.get('end')),
		...(params.get('unmask') === '1' ? { unmask: true } : {})
	};
}

/** Only values that differ from the defaults are written, so links stay short. */
export function serializeReportParams(
	spec: Partial<Omit<ReportSpec, 'from' | 'to'>> & { from?: string | null; to?: string | null; dataset?: string | null }
): URLSearchParams {
	let p = new URLSearchParams();
	const set = (key: string, value: string | number | null | undefined, fallback: string | number | null = null) => {
		if (value !== null && value !== undefined && value !== fallback) p.set(key, String(value));
	};
	set('ds', spec.dataset);
	set('from', spec.from);
	set('to', spec.to);
	p = serializeFilter({ ...EMPTY_FILTER, queues: spec.queues ?? null }, REPORT_SCHEMA, p);
	set('by', spec.by, 'day');
	set('t', spec.settings?.thresholdS, DEFAULT_SETTINGS.thresholdS);
	set('short', spec.settings?.shortAbandonS, DEFAULT_SETTINGS.shortAbandonS);
	set('abandons', spec.settings?.variant, DEFAULT_SETTINGS.variant);
	set('goal', spec.goal === undefined ? null : Math.round(spec.goal * 100), 80);
	set('onset', spec.onset);
	set('end', spec.end);
	set('unmask', spec.unmask ? 1 : null);
	return p;
}

/** The report's departments/queues as the filter model describes them: "部门/队列: 座席一部、座席二部" ("全部" when none is chosen). */
export function departmentsLine(spec: Pick<ReportSpec, 'queues'>, lang: Lang): { label: string; values: string } {
	return listLine({ ...EMPTY_FILTER, queues: spec.queues }, QUEUES, REPORT_SCHEMA, lang);
}
