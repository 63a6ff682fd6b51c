import type { ImportErrorDetail } from '../errors';
import { looksLikeFooter, TOTAL_WORD } from '../footers';
import type { QualityExample } from '../quality';
import type { IntervalDetection } from './detect';
import { COUNT_FIELDS, DURATION_FIELDS, INTERVAL_MINUTES, type IntervalField, type IntervalRow, type SlBase } from './fields';
import { epochSeconds, parseDate, parseStart, parseTimeOfDay, timestamp } from './times';
import { fractionColumn, parseCount, parseDuration, parsePercent } from './values';

export interface IntervalSettings {
	/** Denominator of a stated service level where the vendor's documentation does not say it (CLI `--sl-base`). */
	slBase?: SlBase;
	/** Interval length in minutes (CLI `--interval-length`); inferred from the starts when absent. */
	intervalMinutes?: number;
	/** T of a stated service level whose header does not say it (CLI `--sl-threshold`). */
	slThreshold?: number;
}

/** What the assembly did that the quality report tells. */
export interface IntervalNotes {
	footers: QualityExample[];
	bad: ImportErrorDetail[];
	/** Rows whose answered-within count was derived from the stated percentage. */
	slDerived: number;
	/** Rows whose stated service level disagrees with their counts beyond rounding, the largest difference (fraction) and examples. */
	slDisagrees: { count: number; largest: number; examples: QualityExample[] };
	/** Rows whose offered (or answered, or abandoned) count was derived from the other two. */
	countsDerived: number;
	/** The interval length, and how it was known. */
	minutes: number;
	lengthFrom: 'given' | 'range' | 'spacing' | 'day' | 'index_count';
	/** Interval numbers written from 1 (moved to 0-based). */
	indexFromOne: boolean;
	/** Only an index and no date: the time axis starts at 1970-01-01 (relative), or is absent (no length given). */
	relativeTime: boolean;
	noTime: boolean;
	/** The stated service level's denominator and T used. */
	slBase: SlBase | null;
	threshold: number | null;
}

/** A stated service level whose denominator is not known: the import asks for it. */
export class SlBaseNeeded extends Error {}

interface Parsed {
	line: number;
	date: string | null;
	seconds: number | null;
	rangeMinutes: number | null;
	index: number | null;
	values: Partial<Record<IntervalField, number>>;
	queue: string;
}

const COUNTS = new Set(COUNT_FIELDS);
const DURATIONS = new Set(DURATION_FIELDS);

/**
 * Rows of an interval report (split into fields, with their line numbers) into the interval table.
 * Averages become sums with their weights; a stated service level is a check where a count is
 * given and the source of the count (× its denominator) where not.
 */
export function assembleIntervals(
	fileName: string,
	detection: IntervalDetection,
	rows: { line: number; fields: string[] }[],
	settings: IntervalSettings = {}
): { rows: IntervalRow[]; notes: IntervalNotes } {
	const col = new Map(detection.columns.filter((c) => c.field !== 'unused').map((c) => [c.field, c]));
	const footers: QualityExample[] = [];
	const bad: ImportErrorDetail[] = [];
	const labels = ['start', 'date', 'time', 'queue', 'index'].flatMap((f) => (col.has(f as IntervalField) ? [col.get(f as IntervalField)!.index] : []));
	const body = rows.filter((r) => {
		const footer = looksLikeFooter(r.fields) || labels.some((i) => TOTAL_WORD.test(r.fields[i] ?? ''));
		if (footer) footers.push({ file: fileName, line: r.line, value: r.fields.join(',').replace(/,+$/, '') });
		return !footer;
	});
	const sl = col.get('sl_pct');
	const fraction = sl ? fractionColumn(body.map((r) => r.fields[sl.index] ?? '')) : false;

	const parsed: Parsed[] = [];
	for (const row of body) {
		const cell = (f: IntervalField) => {
			const c = col.get(f);
			return c ? (row.fields[c.index] ?? '').trim() : '';
		};
		const fail = (f: IntervalField) => bad.push({ problem: 'malformed', file: fileName, line: row.line, column: col.get(f)!.column, value: cell(f) });
		let date: string | null = null;
		let seconds: number | null = null;
		let rangeMinutes: number | null = null;
		if (col.has('start')) {
			const start = parseStart(cell('start'));
			if (!start) {
				fail('start');
				continue;
			}
			date = start.date;
			seconds = start.seconds;
		} else {
			if (col.has('date')) {
				date = parseDate(cell('date'));
				if (!date) {
					fail('date');
					continue;
				}
			}
			if (col.has('time')) {
				const time = parseTimeOfDay(cell('time'));
				if (!time) {
					fail('time');
					continue;
				}
				seconds = time.seconds;
				rangeMinutes = time.rangeMinutes;
			}
		}
		let index: number | null = null;
		if (col.has('index')) {
			index = parseCount(cell('index'));
			if (index === null || !Number.isFinite(index)) {
				fail('index');
				continue;
			}
		}
		const values: Partial<Record<IntervalField, number>> = {};
		let ok = true;
		for (const [field, c] of col) {
			if (!COUNTS.has(field) && !DURATIONS.has(field) && field !== 'sl_pct' && field !== 'sl_threshold' && field !== 'staffed_agents') continue;
			const text = row.fields[c.index] ?? '';
			const value =
				field === 'sl_pct'
					? parsePercent(text, fraction)
					: DURATIONS.has(field)
						? parseDuration(text)
						: field === 'staffed_agents'
							? parseDuration(text)
							: field === 'sl_threshold'
								? parseDuration(text)
								: parseCount(text);
			if (value === null) continue;
			if (!Number.isFinite(value)) {
				fail(field);
				ok = false;
				break;
			}
			values[field] = value;
		}
		if (!ok) continue;
		parsed.push({ line: row.line, date, seconds, rangeMinutes, index, values, queue: cell('queue') });
	}

	// The interval length: given, from a written range, from the spacing of the starts, a day, or the count of interval numbers.
	const indexFromOne = parsed.length > 0 && parsed.every((p) => p.index === null || p.index >= 1) && parsed.some((p) => p.index !== null);
	for (const p of parsed) if (p.index !== null && indexFromOne) p.index -= 1;
	let minutes: number;
	let lengthFrom: IntervalNotes['lengthFrom'];
	const ranges = parsed.flatMap((p) => (p.rangeMinutes ? [p.rangeMinutes] : []));
	const spacing = spacingMinutes(parsed);
	if (settings.intervalMinutes) [minutes, lengthFrom] = [settings.intervalMinutes, 'given'];
	else if (ranges.length) [minutes, lengthFrom] = [ranges[0]!, 'range'];
	else if (spacing) [minutes, lengthFrom] = [spacing, 'spacing'];
	else if (parsed.every((p) => p.seconds === null && p.index === null)) [minutes, lengthFrom] = [1440, 'day'];
	else {
		const most = Math.max(0, ...parsed.map((p) => p.index ?? 0)) + 1;
		[minutes, lengthFrom] = [most > 48 ? 15 : most > 24 ? 30 : 60, 'index_count'];
	}
	const timed = parsed.some((p) => p.date !== null || p.seconds !== null);
	const relativeTime = !parsed.some((p) => p.date !== null) && (parsed.some((p) => p.index !== null) || parsed.some((p) => p.seconds !== null));
	const noTime = !timed && lengthFrom !== 'given';

	const slBase = detection.slBase ?? settings.slBase ?? null;
	const thresholdColumn = col.get('sl_pct')?.threshold ?? col.get('answered_within')?.threshold ?? detection.threshold;
	const needsBase = parsed.some((p) => p.values.sl_pct !== undefined && p.values.answered_within === undefined);
	if (needsBase && !slBase) throw new SlBaseNeeded();

	const out: IntervalRow[] = [];
	let slDerived = 0;
	let countsDerived = 0;
	const disagrees = { count: 0, largest: 0, examples: [] as QualityExample[] };
	for (const p of parsed) {
		const v = p.values;
		let { offered, answered, abandoned } = v;
		if (offered === undefined && answered !== undefined && abandoned !== undefined) [offered, countsDerived] = [answered + abandoned, countsDerived + 1];
		if (answered === undefined && offered !== undefined && abandoned !== undefined) [answered, countsDerived] = [offered - abandoned, countsDerived + 1];
		if (abandoned === undefined && offered !== undefined && answered !== undefined) [abandoned, countsDerived] = [offered - answered, countsDerived + 1];
		offered ??= 0;
		answered ??= 0;
		abandoned ??= 0;
		const handled = v.handled ?? (v.aht !== undefined || v.handle_sum !== undefined ? answered : null);
		const stated = v.sl_pct ?? null;
		const denominator = slBase === 'answered' ? answered : offered;
		let within = v.answered_within ?? null;
		if (within === null && stated !== null) {
			within = Math.round(stated * denominator);
			slDerived++;
		} else if (within !== null && stated !== null && slBase && denominator > 0) {
			// Percentages are written to a hundredth of a percent at best: beyond that and half a call, they disagree.
			const difference = Math.abs(stated - within / denominator);
			if (difference > 0.5 / denominator + 0.00005 + 1e-9) {
				disagrees.count++;
				disagrees.largest = Math.max(disagrees.largest, difference);
				if (disagrees.examples.length < 5)
					disagrees.examples.push({ file: fileName, line: p.line, value: `${(stated * 100).toFixed(2)}% ≠ ${within}/${denominator}` });
			}
		}
		const sum = (total: IntervalField, average: IntervalField, weight: number | null) =>
			v[total] ?? (v[average] !== undefined && weight !== null ? v[average]! * weight : null);
		const talk = sum('talk_sum', 'talk_avg', answered);
		const hold = sum('hold_sum', 'hold_avg', answered);
		const wrap = sum('wrap_sum', 'wrap_avg', handled ?? answered);
		const handle = sum('handle_sum', 'aht', handled) ?? (talk !== null && wrap !== null ? talk + (hold ?? 0) + wrap : null);
		let start: string | null = null;
		if (p.date !== null && p.seconds !== null) start = timestamp(p.date, p.seconds);
		else if (p.date !== null && p.index !== null) start = timestamp(p.date, p.index * minutes * 60);
		else if (p.date !== null) start = timestamp(p.date, 0);
		else if (p.seconds !== null) start = timestamp('1970-01-01', p.seconds);
		else if (p.index !== null && lengthFrom === 'given') start = timestamp('1970-01-01', p.index * minutes * 60);
		out.push({
			interval_start: start,
			interval_index: p.index,
			interval_minutes: minutes,
			queue: p.queue,
			offered,
			answered,
			abandoned,
			short_abandoned: v.short_abandoned ?? null,
			sl_threshold_s: thresholdColumn ?? v.sl_threshold ?? settings.slThreshold ?? null,
			answered_within: within,
			stated_sl: stated,
			stated_sl_base: stated === null ? null : slBase,
			wait_s_sum: sum('wait_sum', 'asa', answered),
			talk_s_sum: talk,
			hold_s_sum: hold,
			wrap_s_sum: wrap,
			handled: handled ?? answered,
			handle_s_sum: handle,
			abandon_wait_s_sum: sum('abandon_wait_sum', 'abandon_wait_avg', abandoned),
			staffed_s: v.staffed_s ?? (v.staffed_agents !== undefined ? v.staffed_agents * minutes * 60 : null)
		});
	}
	const threshold = out.find((r) => r.sl_threshold_s !== null)?.sl_threshold_s ?? null;
	return {
		rows: out,
		notes: { footers, bad, slDerived, slDisagrees: disagrees, countsDerived, minutes, lengthFrom, indexFromOne, relativeTime, noTime, slBase, threshold }
	};
}

/** The most common positive gap between consecutive starts of one queue, when it is a known length. */
function spacingMinutes(parsed: Parsed[]): number | null {
	const byQueue = new Map<string, number[]>();
	for (const p of parsed) {
		if (p.seconds === null) continue;
		const at = p.date ? epochSeconds(timestamp(p.date, p.seconds)) : p.seconds;
		byQueue.set(p.queue, [...(byQueue.get(p.queue) ?? []), at]);
	}
	const gaps = new Map<number, number>();
	for (const starts of byQueue.values()) {
		const sorted = [...new Set(starts)].sort((a, b) => a - b);
		for (let i = 1; i < sorted.length; i++) {
			const gap = (sorted[i]! - sorted[i - 1]!) / 60;
			gaps.set(gap, (gaps.get(gap) ?? 0) + 1);
		}
	}
	// The smallest known length that every gap is a multiple of (quiet intervals may be left out of a report).
	const seen = [...gaps.keys()].filter((g) => g > 0);
	if (!seen.length) return null;
	const smallest = Math.min(...seen);
	return INTERVAL_MINUTES.includes(smallest) ? smallest : null;
}
