/**
 * Independent reference for the conformance tests on real call-center exports: plain
 * TypeScript, row by row, written from the formats' documentation and the product's
 * documented rules. It must never import anything from `src/` (no SQL, no importers): it is
 * what the app's SQL pipeline is checked against.
 *
 * Times are local wall-clock times held in a `Date`'s UTC fields (so `2024-03-04 09:00:00`
 * is `Date.UTC(2024, 2, 4, 9, 0, 0)`), and differences are plain millisecond arithmetic.
 */

export type RefOutcome = 'answered' | 'abandoned' | 'unanswered' | 'other';

export interface RefCall {
	id: string;
	queue: string | null;
	agent: string | null;
	/** Local wall-clock time as a UTC Date. */
	arrival: Date;
	answer: Date | null;
	ended: Date | null;
	wait_s: number | null;
	talk_s: number | null;
	outcome: RefOutcome;
}

export interface RefResult {
	calls: RefCall[];
	/** Source rows read (see each format for what a row is). */
	rowsRead: number;
	/** Rows (or calls) left out, by reason. */
	excluded: Record<string, number>;
	/** Rows merged away into another row's call, by reason. */
	merged: Record<string, number>;
	/** Rows whose values were repaired, by reason. */
	repaired: Record<string, number>;
	/** Calls a warning concerns, by reason. */
	warnings: Record<string, number>;
	/** Bad rows left out (the app's default: skip and report), by the check that failed. */
	skipped: Record<string, number>;
}

export function emptyResult(): RefResult {
	return { calls: [], rowsRead: 0, excluded: {}, merged: {}, repaired: {}, warnings: {}, skipped: {} };
}

/** counts[key] += n (keys only appear once counted). */
export function bump(counts: Record<string, number>, key: string, n = 1): void {
	if (n <= 0) return;
	counts[key] = (counts[key] ?? 0) + n;
}

/** Text of a file's bytes (UTF-8; a leading BOM dropped). */
export function text(input: string | Uint8Array): string {
	const s = typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input);
	return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

/**
 * The file's lines, without their `\n` / `\r\n` endings. A final line break does not start
 * another line (a file `a\nb\n` has two lines, `a\nb` too).
 */
export function lines(input: string): string[] {
	const out = input.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
	if (out.length > 0 && out[out.length - 1] === '') out.pop();
	return out;
}

/**
 * One CSV line's fields. A quote opens a quoted field only at the field's start; inside a
 * quoted field `""` is one quote and a lone `"` closes it (anything after the closing quote,
 * up to the delimiter, is kept as text). Elsewhere a quote is an ordinary character. (The files
 * here have no line breaks inside quotes.)
 */
export function splitCsvLine(line: string, delimiter = ','): string[] {
	const fields: string[] = [];
	let field = '';
	let i = 0;
	let atStart = true;
	let quoted = false;
	while (i < line.length) {
		const c = line[i]!;
		if (quoted) {
			if (c === '"') {
				if (line[i + 1] === '"') {
					field += '"';
					i += 2;
					continue;
				}
				quoted = false;
				i += 1;
				continue;
			}
			field += c;
			i += 1;
			continue;
		}
		if (c === delimiter) {
			fields.push(field);
			field = '';
			atStart = true;
			i += 1;
			continue;
		}
		if (c === '"' && atStart) {
			quoted = true;
			atStart = false;
			i += 1;
			continue;
		}
		field += c;
		atStart = false;
		i += 1;
	}
	fields.push(field);
	return fields;
}

const DATE_TIME = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/**
 * 'YYYY-MM-DD HH:MM:SS' or 'YYYY/M/D H:MM' (seconds 0) as a wall-clock Date; empty → null.
 * Anything else throws: the reference never guesses.
 */
export function parseDateTime(value: string): Date | null {
	const v = value.trim();
	if (v === '') return null;
	const m = DATE_TIME.exec(v);
	if (!m) throw new Error(`reference: not a date-time: ${JSON.stringify(value)}`);
	const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
	const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
	if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59)
		throw new Error(`reference: not a valid date-time: ${JSON.stringify(value)}`);
	return date;
}

/** Whether a date-time text has seconds 0 (true for 'YYYY/M/D H:MM', which has none). */
export function onWholeMinute(value: string): boolean {
	const m = DATE_TIME.exec(value.trim());
	return m !== null && Number(m[6] ?? '0') === 0;
}

/**
 * Epoch seconds as wall-clock: the instant shifted by `utcOffsetHours`, then read as a
 * wall-clock time (the tests use 0).
 */
export function epochToWallClock(value: string, utcOffsetHours = 0): Date {
	const v = value.trim();
	if (!/^\d+(\.\d+)?$/.test(v)) throw new Error(`reference: not epoch seconds: ${JSON.stringify(value)}`);
	return new Date((Number(v) + utcOffsetHours * 3600) * 1000);
}

/** b − a in seconds. */
export function secondsBetween(a: Date, b: Date): number {
	return (b.getTime() - a.getTime()) / 1000;
}

/** A number field; empty → null; anything not a number throws. */
export function numberOrNull(value: string | undefined): number | null {
	const v = (value ?? '').trim();
	if (v === '') return null;
	const n = Number(v);
	if (!Number.isFinite(n)) throw new Error(`reference: not a number: ${JSON.stringify(value)}`);
	return n;
}

/** 'YYYY-MM-DD HH:MM:SS' of a wall-clock Date (for messages and debugging). */
export function wallClock(date: Date | null): string | null {
	return date ? date.toISOString().slice(0, 19).replace('T', ' ') : null;
}
