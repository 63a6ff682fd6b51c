import { describe, expect, it } from 'vitest';
import { timeDay, timeYear } from 'd3';
import { dateTickFormat } from '$lib/charts/ticks';

/** Labels for midnight ticks across [start, end), as the time chart writes them. */
function labels(lang: string, start: Date, end: Date, every: (s: Date, e: Date) => Date[]): string[] {
	const format = dateTickFormat(lang, start, end);
	return every(start, end).map((d) => format.format(d));
}

describe('time axis labels', () => {
	for (const lang of ['zh-CN', 'en']) {
		it(`never repeat a label across years (${lang})`, () => {
			// Years 1900 and 2999 in one dataset once gave five ticks all reading "1月1日".
			const years = labels(lang, new Date(1900, 0, 1), new Date(2999, 11, 31), (s, e) => timeYear.every(200)!.range(s, e));
			expect(new Set(years).size).toBe(years.length);
			const newYear = labels(lang, new Date(2023, 11, 20), new Date(2024, 0, 10), (s, e) => timeDay.range(s, e));
			expect(new Set(newYear).size).toBe(newYear.length);
			expect(newYear.some((l) => l.includes('2024'))).toBe(true);
		});

		it(`within one year, month and day are enough (${lang})`, () => {
			const days = labels(lang, new Date(2024, 2, 1), new Date(2024, 2, 8), (s, e) => timeDay.range(s, e));
			expect(new Set(days).size).toBe(7);
			expect(days.every((l) => !l.includes('2024'))).toBe(true);
		});
	}
});
