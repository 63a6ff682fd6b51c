import type { IntervalColumn, IntervalField, SlBase } from './fields';
import { INTERVAL_VENDORS, vendorOf, type IntervalLayoutId } from './layouts';
import { fieldOfName } from './names';
import { parseCount } from './values';
import { looksLikeFooter } from '../footers';

/** An interval report recognised from its header and first rows. */
export interface IntervalDetection {
	layout: IntervalLayoutId;
	columns: IntervalColumn[];
	/** The stated service level's denominator, where the vendor's documentation says it. */
	slBase: SlBase | null;
	/** T of the stated service level, from the header (null: not said). */
	threshold: number | null;
}

const DATE_TIME = /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[ T]\d{1,2}:\d{2}/;
const DATE_ONLY = /^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})$/;
const TIME_ONLY = /^\d{1,2}:\d{2}(:\d{2})?(\s*[ap]\.?m\.?)?(\s*[-–~至]\s*\d{1,2}:\d{2}(:\d{2})?(\s*[ap]\.?m\.?)?)?$/i;

/** A time-ish column's role from its values: a date and time, a date, a time of day, or an interval number. */
function timeRole(values: string[], named: IntervalField): IntervalField {
	const filled = values.map((v) => v.trim()).filter(Boolean);
	if (!filled.length) return named;
	const all = (re: RegExp) => filled.every((v) => re.test(v));
	if (all(DATE_TIME)) return 'start';
	if (all(DATE_ONLY)) return 'date';
	if (all(TIME_ONLY)) return 'time';
	if (all(/^\d{1,3}$/)) return 'index';
	return named;
}

const TIME_FIELDS = new Set<IntervalField>(['start', 'date', 'time', 'index']);
const COUNT_FIELDS: IntervalField[] = ['offered', 'answered', 'abandoned'];

/**
 * Whether a header and its first rows are an interval report: counts of offered or answered calls
 * and of abandoned calls (or a service level or an ASA) by name, whose values are counts. Null
 * for anything else (a per-call file keeps its own path).
 */
export function detectIntervals(columns: string[], rows: string[][]): IntervalDetection | null {
	const preview = rows.filter((r) => !looksLikeFooter(r));
	const taken = new Set<IntervalField>();
	const found: IntervalColumn[] = [];
	for (const [index, column] of columns.entries()) {
		const named = fieldOfName(column);
		if (!named) continue;
		let field = named.field;
		if (TIME_FIELDS.has(field))
			field = timeRole(
				preview.map((r) => r[index] ?? ''),
				field
			);
		if (field !== 'unused' && taken.has(field)) field = 'unused';
		taken.add(field);
		found.push({ column, index, field, ...(named.threshold !== undefined ? { threshold: named.threshold } : {}) });
	}
	const has = (f: IntervalField) => taken.has(f);
	if (!(has('offered') || has('answered'))) return null;
	if (!(has('abandoned') || has('sl_pct') || has('asa') || has('answered_within'))) return null;
	if (COUNT_FIELDS.filter(has).length < 2 && !has('sl_pct')) return null;
	// The counts must be counts in the rows seen (a per-call file's `answered` holds times or flags).
	for (const c of found.filter((c) => COUNT_FIELDS.includes(c.field))) {
		const values = preview.map((r) => r[c.index] ?? '').filter((v) => v.trim() !== '');
		const counts = values.filter((v) => Number.isFinite(parseCount(v))).length;
		// One bad cell in the rows seen is a bad row (reported at import), not another kind of file.
		if (values.length && (counts === 0 || (counts < values.length - 1 && counts < values.length * 0.8))) return null;
	}
	if (perCallTimes(preview)) return null;
	const layout = vendorOf(columns);
	const thresholds = found.flatMap((c) => (c.threshold !== undefined && c.field === 'sl_pct' ? [c.threshold] : []));
	return { layout, columns: found, slBase: INTERVAL_VENDORS[layout].slBase, threshold: thresholds[0] ?? null };
}

/** Whether the report states a service level only as a percentage whose denominator its layout does not say (the import asks). */
export function needsSlBase(detection: IntervalDetection): boolean {
	const has = (field: IntervalField) => detection.columns.some((c) => c.field === field);
	return !detection.slBase && has('sl_pct') && !has('answered_within');
}

/**
 * Whether a column holds date-times off the interval grid (seconds, or minutes not a multiple of
 * five) in most rows: the arrival of single calls, so the file is call records, whatever counts it has.
 */
function perCallTimes(rows: string[][]): boolean {
	const width = Math.max(0, ...rows.map((r) => r.length));
	for (let c = 0; c < width; c++) {
		const stamps = rows.map((r) => (r[c] ?? '').trim()).filter((v) => DATE_TIME.test(v));
		if (stamps.length < Math.max(1, rows.length / 2)) continue;
		const offGrid = stamps.filter((v) => {
			const m = /(\d{1,2}):(\d{2})(?::(\d{2}))?/.exec(v.slice(8))!;
			return Number(m[3] ?? 0) !== 0 || Number(m[2]) % 5 !== 0;
		});
		if (offGrid.length * 2 > stamps.length) return true;
	}
	return false;
}
