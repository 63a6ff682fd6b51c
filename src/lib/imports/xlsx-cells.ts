/**
 * An Excel cell as the text a CSV export of the same records would hold, so a workbook is
 * read by the same checks and mappings as text. Nothing the cell holds is lost: a date keeps
 * its seconds, a duration its hours past 24, a number its digits (without the binary noise
 * Excel itself never shows).
 */

const MS_PER_DAY = 86_400_000;
/** Days from Excel's day 0 (1899-12-30) to 1970-01-01. */
const EPOCH_SERIAL = 25_569;
/** A 1904-based workbook counts its days from 1904-01-01: 1,462 days later. */
const DAYS_1904 = 1_462;

/** What a number format shows: a duration past 24 hours, a time of day, a date, both, or a plain number. */
export type FormatShape = 'elapsed' | 'time' | 'date' | 'datetime' | 'number';

/**
 * Reads the format's codes with quoted text, escapes and bracketed parts (colours, locales)
 * taken out; `[h]`, `[mm]`, `[ss]` (elapsed time) are looked for first.
 */
export function formatShape(numFmt: string | undefined | null): FormatShape {
	if (!numFmt) return 'number';
	if (/\[(h+|m+|s+)\]/i.test(numFmt)) return 'elapsed';
	const codes = numFmt
		.replace(/"[^"]*"/g, '')
		.replace(/\\./g, '')
		.replace(/\[[^\]]*\]/g, '')
		.replace(/AM\/PM|A\/P/gi, '')
		.split(';')[0]!;
	// `m` beside an hour or a second is minutes; elsewhere it is the month.
	const months = codes.replace(/(h+[^a-z]*)m+/gi, '$1').replace(/m+([^a-z]*s)/gi, '$1');
	const date = /[yd]/i.test(codes) || /m/i.test(months);
	const time = /[hs]/i.test(codes);
	if (date && time) return 'datetime';
	if (date) return 'date';
	if (time) return 'time';
	return 'number';
}

/** A JS Date from exceljs (its UTC fields are the wall-clock value) → Excel's serial day number. */
export function dateToSerial(date: Date, date1904 = false): number {
	return date.getTime() / MS_PER_DAY + EPOCH_SERIAL - (date1904 ? DAYS_1904 : 0);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Whole milliseconds as `H:MM:SS` (hours not wrapped at 24), with `.mmm` only when there are any. */
function clock(ms: number): string {
	const sign = ms < 0 ? '-' : '';
	const abs = Math.abs(ms);
	const seconds = Math.floor(abs / 1000);
	const fraction = abs % 1000;
	const text = `${Math.floor(seconds / 3600)}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
	return sign + text + (fraction ? `.${pad(fraction, 3)}` : '');
}

/** An Excel serial day number shown the way its format says. */
export function serialText(serial: number, shape: FormatShape, date1904 = false): string {
	const ms = Math.round(serial * MS_PER_DAY);
	if (shape === 'elapsed') return clock(ms);
	// A time with no date (day 0) or a time-only format: the time of day.
	if (shape === 'time' || (serial >= 0 && serial < 1 && shape !== 'date')) return clock(((ms % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY);
	const date = new Date(ms + (date1904 ? DAYS_1904 : 0) * MS_PER_DAY - EPOCH_SERIAL * MS_PER_DAY);
	const day = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
	const timeOfDay = date.getTime() % MS_PER_DAY;
	if (shape === 'date' && timeOfDay === 0) return day;
	const fraction = date.getUTCMilliseconds();
	return `${day} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}${fraction ? `.${pad(fraction, 3)}` : ''}`;
}

/**
 * A number as its shortest decimal text. Excel keeps 15 significant digits and shows no more,
 * so `109.00000000000001` (a sum's binary noise) is the 109 the user sees.
 */
export function numberText(value: number): string {
	if (!Number.isFinite(value)) return '';
	return String(Number(value.toPrecision(15)));
}

/** What `cellText` needs of an exceljs cell. */
export interface CellLike {
	value: unknown;
	numFmt?: string | null;
}

/** A cell's value as text; errors (`#N/A`) and empty cells are empty. */
export function cellText({ value, numFmt }: CellLike, date1904 = false): string {
	const shape = formatShape(numFmt ?? undefined);
	return valueText(value, shape, date1904);
}

function valueText(value: unknown, shape: FormatShape, date1904: boolean): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
	if (typeof value === 'number') return shape === 'number' ? numberText(value) : Number.isFinite(value) ? serialText(value, shape, date1904) : '';
	if (value instanceof Date) {
		if (Number.isNaN(value.getTime())) return '';
		return serialText(dateToSerial(value, date1904), shape === 'number' ? 'datetime' : shape, date1904);
	}
	if (typeof value === 'object') {
		const v = value as { richText?: { text?: string }[]; text?: unknown; result?: unknown; error?: unknown; formula?: unknown; sharedFormula?: unknown };
		if (Array.isArray(v.richText)) return v.richText.map((run) => run.text ?? '').join('');
		if ('error' in v) return '';
		if ('formula' in v || 'sharedFormula' in v || 'result' in v) return valueText(v.result, shape, date1904);
		// A hyperlink: the text shown (itself plain or rich text).
		if ('text' in v) return valueText(v.text, shape, date1904);
	}
	return '';
}

/** Whether the cell holds words (the header's kind of cell), not a number, date, time or flag. */
export function isWords(value: unknown): boolean {
	if (typeof value === 'string') return value.trim() !== '' && !(/^\s*-?[\d.,:/ T+Z-]+\s*$/.test(value) && /\d/.test(value));
	return !!value && typeof value === 'object' && Array.isArray((value as { richText?: unknown }).richText);
}
