import { DATASET_ID } from '$lib/imports/dataset-id';
import type { DatasetKind } from '$lib/imports/saved-dataset';
import { CANONICAL_OUTCOMES, type CanonicalOutcome } from '$lib/imports/canonical';
import { INTERVALS, SL_VARIANTS, type IntervalSize, type SlVariant } from '$lib/metrics/service';
import { MAX_LIST, type Filter } from '$lib/filters/dimensions';
import { askable, VIEW_NAMES, type NamedViewRequest, type ViewName } from '$lib/metrics/views/registry';
import type { ViewSettings } from '$lib/metrics/views/spec';
import { LONG_SERVICE_S } from '$lib/metrics/incident';
import { DEFAULT_CALLBACK_HOURS, MAX_CALLBACK_HOURS } from '$lib/metrics/callers';

export { VIEW_NAMES, type ViewName };

/**
 * A view request as the browser sends it (`POST /api/view`), checked value by value: every
 * field's type, range, enumeration, date and length, and no field the API does not know.
 * A refusal names the field and what it takes.
 */
export class RequestError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string
	) {
		super(message);
	}
}

export type ViewRequest = NamedViewRequest;

/** Longest queue or agent name a filter takes (the URL keeps 200 characters too). */
export const MAX_TEXT = 200;
/**
 * Most departments a filter lists (the `queues` dimension's limit, filters/dimensions.ts): a
 * report over a server may tick every department of a large center (ticked, they are not the
 * whole center: calls without a queue stay out). The body's 16 KB limit still applies (413),
 * which 500 names of up to 25 characters fit in.
 */
export { MAX_LIST } from '$lib/filters/dimensions';
const TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;

const bad = (field: string, message: string) => new RequestError(400, 'invalid_value', `${field}: ${message}`);
const shown = (value: unknown) => {
	const text = JSON.stringify(value) ?? String(value);
	return text.length > 40 ? `${text.slice(0, 40)}…` : text;
};

function object(value: unknown, field: string, keys: readonly string[]): Record<string, unknown> {
	if (value === undefined) return {};
	if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(field, `must be an object, not ${shown(value)}`);
	for (const key of Object.keys(value))
		if (!keys.includes(key))
			throw new RequestError(400, 'unknown_field', `${field ? `${field}.` : ''}${key}: not a field of this request (it takes ${keys.join(', ')})`);
	return value as Record<string, unknown>;
}

function text(value: unknown, field: string): string | null {
	if (value === undefined || value === null || value === '') return null;
	if (typeof value !== 'string') throw bad(field, `must be a string, not ${shown(value)}`);
	if (value.length > MAX_TEXT) throw bad(field, `at most ${MAX_TEXT} characters, not ${value.length}`);
	if (/[\u0000-\u001f\u007f]/.test(value)) throw bad(field, 'control characters are not allowed');
	return value;
}

function oneOf<T>(value: unknown, field: string, choices: readonly T[], fallback: T): T {
	if (value === undefined || value === null) return fallback;
	if (!choices.includes(value as T)) throw bad(field, `must be one of ${choices.map((c) => JSON.stringify(c)).join(', ')}, not ${shown(value)}`);
	return value as T;
}

function number(value: unknown, field: string, min: number, max: number, fallback: number): number {
	if (value === undefined || value === null) return fallback;
	if (typeof value !== 'number' || !Number.isFinite(value)) throw bad(field, `must be a number, not ${shown(value)}`);
	if (value < min || value > max) throw bad(field, `must be between ${min} and ${max}, not ${value}`);
	return value;
}

function flag(value: unknown, field: string): boolean {
	if (typeof value !== 'boolean') throw bad(field, `must be true or false, not ${shown(value)}`);
	return value;
}

/** A list of texts (the report's departments): at most MAX_LIST, each as `text` takes it. */
function texts(value: unknown, field: string): string[] | undefined {
	if (value === undefined || value === null) return undefined;
	if (!Array.isArray(value)) throw bad(field, `must be a list of strings, not ${shown(value)}`);
	if (value.length > MAX_LIST) throw bad(field, `at most ${MAX_LIST} values, not ${value.length}`);
	return value.map((item, i) => {
		const t = text(item, `${field}[${i}]`);
		if (t === null) throw bad(`${field}[${i}]`, 'must not be empty');
		return t;
	});
}

/** 'YYYY-MM-DD HH:MM[:SS]' that is a real time of day on a real date, as 'YYYY-MM-DD HH:MM:SS'. */
function time(value: unknown, field: string): string | null {
	const t = text(value, field);
	if (t === null) return null;
	const m = TIME.exec(t);
	const [y, mo, d, h, mi, s] = (m?.slice(1) ?? []).map((part) => Number(part ?? 0));
	const date = m ? new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!)) : null;
	const real = !!date && date.getUTCFullYear() === y && date.getUTCMonth() === mo! - 1 && date.getUTCDate() === d && h! < 24 && mi! < 60 && s! < 60;
	if (!real) throw bad(field, `must be a time like "2024-03-04 14:28:00", not ${shown(t)}`);
	return `${t.slice(0, 10)} ${t.slice(11, 16)}:${m![6] ?? '00'}`;
}

export function parseViewRequest(body: unknown): ViewRequest {
	const top = object(body, '', ['dataset', 'view', 'filter', 'settings', 'kind']);
	if (typeof top.dataset !== 'string' || !DATASET_ID.test(top.dataset))
		throw bad('dataset', `must be a dataset id like "ds_ab12cd34", not ${shown(top.dataset)}`);
	if (!VIEW_NAMES.includes(top.view as ViewName))
		throw new RequestError(400, 'unknown_view', `view: ${shown(top.view)} is not a view; the views are ${VIEW_NAMES.join(', ')}`);
	const f = object(top.filter, 'filter', ['queue', 'queues', 'agent', 'outcome', 'from', 'to']);
	const s = object(top.settings, 'settings', ['thresholdS', 'shortAbandonS', 'variant', 'interval', 'onset', 'end', 'longS', 'callbackHours', 'unmask']);
	const filter: Filter = {
		queue: text(f.queue, 'filter.queue'),
		queues: texts(f.queues, 'filter.queues'),
		agent: text(f.agent, 'filter.agent'),
		outcome: oneOf<CanonicalOutcome | null>(f.outcome, 'filter.outcome', CANONICAL_OUTCOMES, null),
		from: time(f.from, 'filter.from'),
		to: time(f.to, 'filter.to')
	};
	const settings: ViewSettings = {
		// The same ranges the Service level page's URL takes.
		thresholdS: number(s.thresholdS, 'settings.thresholdS', 0, 3600, 20),
		shortAbandonS: number(s.shortAbandonS, 'settings.shortAbandonS', 0, 600, 5),
		variant: oneOf<SlVariant>(s.variant, 'settings.variant', SL_VARIANTS, 'count'),
		interval: oneOf<IntervalSize>(s.interval, 'settings.interval', top.view === 'intervals' ? [...INTERVALS, 'week'] : INTERVALS, 60),
		onset: time(s.onset, 'settings.onset'),
		end: time(s.end, 'settings.end'),
		longS: number(s.longS, 'settings.longS', 0, 86_400, LONG_SERVICE_S),
		// Asked for by the page; whether it is granted is the server's to decide (api.ts).
		...(s.callbackHours !== undefined
			? { callbackHours: number(s.callbackHours, 'settings.callbackHours', 1, MAX_CALLBACK_HOURS, DEFAULT_CALLBACK_HOURS) }
			: {}),
		...(s.unmask !== undefined ? { unmask: flag(s.unmask, 'settings.unmask') } : {})
	};
	const view = top.view as ViewName;
	// What the dataset holds is the server's to know (`served-views.ts` takes its store's); a page says it too.
	const kind = oneOf<DatasetKind | null>(top.kind, 'kind', ['calls', 'intervals'], null) ?? undefined;
	const request = { dataset: top.dataset, view, filter, settings, ...(kind ? { kind } : {}) };
	if (!askable({ ...request, kind: undefined })) throw bad('settings.onset', `the ${view} view needs an onset time`);
	return request;
}
