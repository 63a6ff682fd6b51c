import { timeDay, type ScaleTime, type TimeInterval } from 'd3';
import { fitTicks } from './fit';
import { textWidth } from './legend';
import { clockTickFormat, dateTickFormat } from './ticks';

/**
 * Bottom-axis ticks for per-interval charts: only on interval boundaries (so none falls inside
 * a bar), labelled with dates (with the year when the span crosses one) over more than two days or for daily intervals, else clock times
 * with the date at midnight; as many as fit without touching.
 */
export function intervalTimeTicks(x: ScaleTime<number, number>, bucket: TimeInterval, intervalMinutes: number, lang: string, fontSize: number) {
	const [start, end] = x.domain() as [Date, Date];
	const byDate = intervalMinutes >= 1440 || +end - +start > 2 * 86_400_000;
	const dates = dateTickFormat(lang, start, end);
	const clock = clockTickFormat(lang);
	const atMidnight = (t: number) => +timeDay.floor(new Date(t)) === t;
	const label = (t: number) => (byDate || atMidnight(t) ? dates : clock).format(new Date(t));
	const [left, right] = x.range() as [number, number];
	const ticks = fitTicks(
		(n) =>
			x
				.ticks(n)
				.map(Number)
				.filter((t) => +bucket.floor(new Date(t)) === t && (!byDate || atMidnight(t))),
		(t) => x(t),
		(t) => textWidth(label(t), fontSize),
		(right - left) / 64
	);
	return { ticks: ticks.length ? ticks : [+start], label };
}
