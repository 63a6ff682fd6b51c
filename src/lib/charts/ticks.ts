import { range } from 'd3';

/**
 * Evenly spaced ticks from `lo` to `hi` with the smallest step from `steps` that keeps
 * labels at least `minSpacing` pixels apart over `pixels` of axis.
 */
export function spacedTicks(lo: number, hi: number, steps: number[], pixels: number, minSpacing = 48): number[] {
	const fits = (step: number) => ((hi - lo) / step) * minSpacing <= pixels;
	const step = steps.find(fits) ?? steps[steps.length - 1]!;
	const first = Math.ceil(lo / step) * step + 0; // + 0 turns -0 into 0
	return range(first, hi + step / 2, step);
}

/** Steps for durations in seconds and for clock axes: 30 s … 1 h. */
export const TIME_STEPS = [30, 60, 120, 300, 600, 900, 1800, 3600];

/**
 * The date format for ticks between `start` and `end`: month and day within one year; with
 * the year once the span crosses a year's end, so ticks a year apart never read alike
 * (a span from 1900 to 2999 once showed five ticks of "1月1日").
 */
export function dateTickFormat(lang: string, start: Date, end: Date): Intl.DateTimeFormat {
	const sameYear = start.getFullYear() === new Date(+end - 1).getFullYear();
	return sameYear ? dayTickFormat(lang) : dateFormat(lang, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** Month and day on an axis: "5月12日". */
export const dayTickFormat = (lang: string) => dateFormat(lang, { month: 'short', day: 'numeric' });

/** Clock times on an axis: "14:28". */
export const clockTickFormat = (lang: string) => dateFormat(lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

// Made once per language and options: the time charts made theirs on every filter change, and
// making them was 187 ms of 60 changes' main-thread time (profiled at 1,000,000 calls).
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(lang: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
	const key = `${lang}|${JSON.stringify(options)}`;
	let found = dateFormats.get(key);
	if (!found) dateFormats.set(key, (found = new Intl.DateTimeFormat(lang, options)));
	return found;
}
