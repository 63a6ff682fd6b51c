/**
 * Values of interval reports in the forms ACD exports write them. Each parser returns null for
 * an empty cell and NaN for a cell it cannot read (the caller names the row and column).
 */

const EMPTY = /^\s*(|-|--|n\/a|na|null)\s*$/i;

/** A count: `1,234`, `1 234`, `12.0` (a whole number written by a spreadsheet). */
export function parseCount(text: string): number | null {
	if (EMPTY.test(text)) return null;
	const cleaned = text.trim().replace(/[,\s]/g, '');
	if (!/^\d+(\.0+)?$/.test(cleaned)) return NaN;
	return Number(cleaned);
}

/**
 * A duration in seconds: `0:02:14`, `2:14` (minutes and seconds), `134`, `134.0`, `134s`,
 * `1:02:14.5`. An average of a report is often fractional, so fractions are kept.
 */
export function parseDuration(text: string): number | null {
	if (EMPTY.test(text)) return null;
	const t = text.trim().replace(/\s*(s|sec|secs|秒)$/i, '');
	if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
	const parts = t.split(':');
	if (parts.length < 2 || parts.length > 3 || !parts.every((p) => /^\d+(\.\d+)?$/.test(p))) return NaN;
	const numbers = parts.map(Number);
	// Only the last part may have a fraction; minutes and seconds stay below 60.
	if (numbers.slice(0, -1).some((n) => !Number.isInteger(n)) || numbers.slice(1).some((n) => n >= 60)) return NaN;
	return numbers.reduce((sum, n) => sum * 60 + n, 0);
}

/**
 * A percentage as a fraction 0..1: `94.01%` and `94.01` are percent, `0.9401` a fraction. A bare
 * number is a fraction when at most 1 and the column's other values are too (`asFraction`), so a
 * file that writes `0.5` for half and one that writes `0.5` for half a percent are told apart by
 * the column as a whole (see `fractionColumn`).
 */
export function parsePercent(text: string, asFraction: boolean): number | null {
	if (EMPTY.test(text)) return null;
	const t = text.trim().replace(/\s+/g, '');
	const percent = t.endsWith('%') || t.endsWith('％');
	const body = percent ? t.slice(0, -1) : t;
	if (!/^\d+(\.\d+)?$/.test(body.replace(',', '.'))) return NaN;
	const value = Number(body.replace(',', '.'));
	const fraction = percent || !asFraction ? value / 100 : value;
	return fraction > 1 + 1e-9 ? NaN : fraction;
}

/** Whether a percentage column writes fractions: no `%` sign and every value at most 1 (with one between 0 and 1, or a 1 written `1.0`). */
export function fractionColumn(values: string[]): boolean {
	const filled = values.map((v) => v.trim()).filter((v) => !EMPTY.test(v));
	if (!filled.length || filled.some((v) => /[%％]/.test(v))) return false;
	const numbers = filled.map((v) => Number(v.replace(',', '.')));
	// A column of only 0 and 1 is fractions when a 1 is written with decimals (`1.000000`), else percent.
	return numbers.every((n) => n >= 0 && n <= 1) && (numbers.some((n) => n > 0 && n < 1) || filled.some((v) => /^1[.,]0+$/.test(v)));
}

/** The service level's T from a column name: `Service Level (20 Seconds)`, `Service level 20 seconds`, `服务水平(20秒)`, `SL 20s`. */
export function thresholdFromName(name: string): number | null {
	const m = /(\d+)\s*(?:s\b|sec\b|secs\b|second|秒)/i.exec(name);
	return m ? Number(m[1]) : null;
}
