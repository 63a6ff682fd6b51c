import { timeDay, timeHour, timeMinute, type TimeInterval } from 'd3';

const pad = (n: number) => String(n).padStart(2, '0');

/** 'YYYY-MM-DD HH:MM:SS' as local time: the keys are wall-clock buckets, not UTC instants. */
export function parseLocalKey(key: string): Date {
	const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(key);
	if (!m) return new Date(NaN);
	const [y, mo, d, h, mi, s] = m.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
	return new Date(y, mo - 1, d, h, mi, s);
}

/** The inverse of `parseLocalKey`. */
export function formatLocalKey(date: Date): string {
	return (
		`${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` + `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
	);
}

/** Interval boundaries as the query buckets them (minutes of the hour, hours of the day, days). */
export function bucketInterval(minutes: number): TimeInterval {
	if (minutes >= 1440 && minutes % 1440 === 0) return timeDay.every(minutes / 1440) ?? timeDay;
	if (minutes >= 60 && minutes % 60 === 0) return timeHour.every(minutes / 60) ?? timeHour;
	return timeMinute.every(Math.max(1, Math.round(minutes))) ?? timeMinute;
}

/** A row keyed by its interval's start, with the interval it covers. */
export interface Span<T> {
	row: T;
	start: Date;
	end: Date;
}

/** Each row's interval: from its key to one bucket later. */
export function intervalSpans<T extends { key: string }>(rows: readonly T[], bucket: TimeInterval): Span<T>[] {
	return rows.map((row) => {
		const start = parseLocalKey(row.key);
		return { row, start, end: bucket.offset(start, 1) };
	});
}
