/** Dates and times of interval reports, read to `YYYY-MM-DD` and seconds of the day. */

/** `2024-03-01`, `2024/3/1`, `2024.03.01`; `03/01/2024` month first unless the first number is above 12. */
export function parseDate(text: string): string | null {
	const t = text.trim();
	let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})/.exec(t);
	if (m) return ymd(+m[1]!, +m[2]!, +m[3]!);
	m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})/.exec(t);
	if (m) return +m[1]! > 12 ? ymd(+m[3]!, +m[2]!, +m[1]!) : ymd(+m[3]!, +m[1]!, +m[2]!);
	return null;
}

function ymd(y: number, mo: number, d: number): string | null {
	const date = new Date(Date.UTC(y, mo - 1, d));
	if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
	return date.toISOString().slice(0, 10);
}

/** Seconds of the day of `8:30`, `08:30:00`, `8:30 PM`; of a range `09:00-09:30` its start, and its length in minutes. */
export function parseTimeOfDay(text: string): { seconds: number; rangeMinutes: number | null } | null {
	const parts = text.trim().split(/\s*[-–~至]\s*/);
	const start = clockSeconds(parts[0] ?? '');
	if (start === null || parts.length > 2) return null;
	const end = parts.length === 2 ? clockSeconds(parts[1]!) : null;
	const range = end === null ? null : (end - start + 86400) % 86400 || 86400;
	return { seconds: start, rangeMinutes: range === null ? null : range / 60 };
}

function clockSeconds(text: string): number | null {
	const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap])?\.?m?\.?$/i.exec(text.trim());
	if (!m) return null;
	let hours = +m[1]!;
	const pm = m[4]?.toLowerCase();
	if (pm) {
		if (hours < 1 || hours > 12) return null;
		hours = (hours % 12) + (pm === 'p' ? 12 : 0);
	}
	if (hours > 24 || +m[2]! > 59 || +(m[3] ?? 0) > 59) return null;
	return hours * 3600 + +m[2]! * 60 + +(m[3] ?? 0);
}

/** A date and time `2024-03-01 08:30[:00]` (or `T`), as date and seconds of the day. */
export function parseStart(text: string): { date: string; seconds: number } | null {
	const m = /^(.+?)[ T](\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:\s*[ap]\.?m\.?)?)\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(text.trim());
	if (!m) return null;
	const date = parseDate(m[1]!);
	const time = parseTimeOfDay(m[2]!.replace(/\.\d+$/, ''));
	return date && time ? { date, seconds: time.seconds } : null;
}

/** `YYYY-MM-DD HH:MM:SS` of a date plus seconds (which may pass midnight). */
export function timestamp(date: string, seconds: number): string {
	const ms = Date.parse(`${date}T00:00:00Z`) + seconds * 1000;
	return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Seconds since 1970 of a `YYYY-MM-DD HH:MM:SS` (wall clock, no zone). */
export const epochSeconds = (stamp: string) => Date.parse(stamp.replace(' ', 'T') + 'Z') / 1000;
