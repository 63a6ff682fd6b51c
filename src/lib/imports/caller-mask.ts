/**
 * How a caller's number is shown when it is not shown in full: the one rule, in TypeScript for
 * the page and the exports, and in SQL for the views and the quality report (both the same).
 *
 * - Text with fewer than 7 digits is shown as written: an extension (`100`), a service number
 *   (`95588`) or a word (`anonymous`) says nothing about a person.
 * - A number of 7 digits or more is shown as its digits (spaces, dashes, brackets and a name
 *   around it dropped; a leading `+` kept): the last 4 digits, and the first 3 of a number of
 *   11 digits or more (fewer of a shorter one: 2 of 10, 1 of 9, none of 8 or less), every
 *   digit between them a `*`. A mobile number `13812345678` → `138****5678`; a landline
 *   `87654321` → `****4321`; an international `+86 138 1234 5678` → `+861******5678`.
 */

/** Fewer digits than this are not masked. */
export const MASK_FROM_DIGITS = 7;
const KEPT_END = 4;
const KEPT_START = 3;
/** Stars the SQL form can write (a number of more digits than this is junk anyway). */
const STARS = '*'.repeat(32);

/** A leading `+` after spaces (no backslash: ClickHouse would read it as an escape in the literal). */
const LEADING_PLUS = '^ *[+]';

/** How many leading digits a number of `n` digits keeps. */
const keptStart = (n: number) => Math.max(0, Math.min(KEPT_START, n - 8));

/** A caller's number masked (see above); null stays null. */
export function maskCaller(value: string | null | undefined): string | null {
	if (value == null) return null;
	const digits = value.replace(/[^0-9]/g, '');
	const n = digits.length;
	if (n < MASK_FROM_DIGITS) return value;
	const k = keptStart(n);
	const plus = /^ *\+/.test(value) ? '+' : '';
	return plus + digits.slice(0, k) + '*'.repeat(Math.min(STARS.length, n - k - KEPT_END)) + digits.slice(n - KEPT_END);
}

/** A caller as shown: masked unless the viewer may and chose to see it whole. */
export const shownCaller = (value: string | null | undefined, unmask: boolean): string | null => (unmask ? (value ?? null) : maskCaller(value));

/** The text functions the SQL form needs, which differ between engines (`sql/dialect.ts`). */
export interface TextFunctions {
	/** The digits of a text. */
	digits(expr: string): string;
	/** Whether a text matches a regular expression (a trusted literal). */
	matches(expr: string, pattern: string): string;
}

/** The same rule as `maskCaller`, in SQL over `expr` (trusted SQL). */
export function maskCallerSql(expr: string, f: TextFunctions): string {
	const d = f.digits(expr);
	const n = `length(${d})`;
	const k = `greatest(least(${KEPT_START}, ${n} - 8), 0)`;
	return `CASE WHEN ${expr} IS NULL THEN NULL WHEN ${n} < ${MASK_FROM_DIGITS} THEN ${expr}
    ELSE concat(CASE WHEN ${f.matches(expr, LEADING_PLUS)} THEN '+' ELSE '' END, substring(${d}, 1, ${k}),
      substring('${STARS}', 1, ${n} - ${k} - ${KEPT_END}), substring(${d}, ${n} - ${KEPT_END - 1}, ${KEPT_END})) END`;
}

/** DuckDB's text functions (an import runs on DuckDB only). */
export const DUCKDB_TEXT: TextFunctions = {
	digits: (expr) => `regexp_replace(${expr}, '[^0-9]', '', 'g')`,
	matches: (expr, pattern) => `regexp_matches(${expr}, '${pattern}')`
};

/** A number masked in DuckDB SQL: what the quality report's examples show of a party's number. */
export const maskedNumber = (expr: string) => maskCallerSql(expr, DUCKDB_TEXT);
