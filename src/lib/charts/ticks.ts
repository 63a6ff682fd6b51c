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
	return new Intl.DateTimeFormat(lang, sameYear ? { month: 'short', day: 'numeric' } : { year: 'numeric', month: 'short', day: 'numeric' });
}
