import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reportPeriod } from '$lib/report/periods';

/**
 * The scheduled report's periods against an independent computation: every candidate period
 * is listed by walking the calendar one day at a time with JavaScript's own Date (no helper of
 * the app), the ones lying wholly within the data's days are kept, and the latest one wins.
 */
const DAY_MS = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const msOf = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** Every day from `first` to `last`, both included. */
function daysBetween(first: string, last: string): string[] {
	const days: string[] = [];
	for (let ms = msOf(first); ms <= msOf(last); ms += DAY_MS) days.push(dayOf(ms));
	return days;
}

/** Monday–Sunday weeks wholly within the days: a Monday whose Sunday is still among them. */
function fullWeeks(first: string, last: string): { from: string; to: string }[] {
	return daysBetween(first, last)
		.filter((day) => new Date(msOf(day)).getUTCDay() === 1 && dayOf(msOf(day) + 6 * DAY_MS) <= last)
		.map((day) => ({ from: day, to: dayOf(msOf(day) + 6 * DAY_MS) }));
}

/** Calendar months wholly within the days: the 1st among them, and the day before the next 1st too. */
function fullMonths(first: string, last: string): { from: string; to: string }[] {
	return daysBetween(first, last)
		.filter((day) => day.endsWith('-01'))
		.map((day) => {
			const d = new Date(msOf(day));
			return { from: day, to: dayOf(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - DAY_MS) };
		})
		.filter((month) => month.to <= last);
}

const START = Date.UTC(2019, 0, 1);
const END = Date.UTC(2031, 11, 31);
/** Data: a first and last arrival (wall-clock time), from the same day up to about four months apart. */
const data = fc.record({ start: fc.integer({ min: START, max: END }), span: fc.integer({ min: 0, max: 130 * DAY_MS }) }).map(({ start, span }) => {
	const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
	return { from: stamp(start), to: stamp(start + span) };
});

describe('the scheduled report’s period', () => {
	it('last-week: a Monday–Sunday week, wholly within the data’s days, the latest such (none when there is none)', () => {
		fc.assert(
			fc.property(data, ({ from, to }) => {
				const weeks = fullWeeks(from.slice(0, 10), to.slice(0, 10));
				const week = reportPeriod('last-week', from, to);
				expect(week).toEqual(weeks.at(-1) ?? null);
				if (!week) return;
				expect(new Date(msOf(week.from)).getUTCDay()).toBe(1);
				expect(new Date(msOf(week.to)).getUTCDay()).toBe(0);
				expect((msOf(week.to) - msOf(week.from)) / DAY_MS).toBe(6);
				expect(week.from >= from.slice(0, 10) && week.to <= to.slice(0, 10)).toBe(true);
				// The latest: the week after it ends past the data's last day.
				expect(dayOf(msOf(week.to) + 7 * DAY_MS) > to.slice(0, 10)).toBe(true);
			}),
			{ numRuns: 500 }
		);
	});

	it('last-month: a whole calendar month within the data’s days, the latest such', () => {
		fc.assert(
			fc.property(data, ({ from, to }) => {
				expect(reportPeriod('last-month', from, to)).toEqual(fullMonths(from.slice(0, 10), to.slice(0, 10)).at(-1) ?? null);
			}),
			{ numRuns: 500 }
		);
	});

	it('all: the data’s first day to its last', () => {
		fc.assert(
			fc.property(data, ({ from, to }) => {
				expect(reportPeriod('all', from, to)).toEqual({ from: from.slice(0, 10), to: to.slice(0, 10) });
			})
		);
	});

	it('data ending on a Sunday evening reports that week; ending on the Monday after, still that week; mid-week, the week before', () => {
		expect(reportPeriod('last-week', '2024-03-04 09:33:04', '2024-03-17 15:27:20')).toEqual({ from: '2024-03-11', to: '2024-03-17' });
		expect(reportPeriod('last-week', '2024-03-04 09:33:04', '2024-03-18 00:02:00')).toEqual({ from: '2024-03-11', to: '2024-03-17' });
		expect(reportPeriod('last-week', '2024-03-04 09:33:04', '2024-03-16 23:59:59')).toEqual({ from: '2024-03-04', to: '2024-03-10' });
		// Starting on a Tuesday: its week is not whole, the next one is; ending the Sunday after, no week is.
		expect(reportPeriod('last-week', '2024-03-05 00:00:00', '2024-03-17 23:00:00')).toEqual({ from: '2024-03-11', to: '2024-03-17' });
		expect(reportPeriod('last-week', '2024-03-12 00:00:00', '2024-03-17 23:00:00')).toBeNull();
		// A leap February, ending on its 29th.
		expect(reportPeriod('last-month', '2024-01-15 08:00:00', '2024-02-29 17:00:00')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
		expect(reportPeriod('last-month', '2024-01-15 08:00:00', '2024-02-28 17:00:00')).toBeNull();
		expect(reportPeriod('last-week', null, null)).toBeNull();
	});
});
