import { addDays, parseDay } from './spec';

/**
 * The periods a scheduled report can take from the data itself, so a cron line needs no dates:
 *
 * - `last-week`: the latest Monday–Sunday week lying wholly within the data's days;
 * - `last-month`: the latest calendar month lying wholly within them;
 * - `all`: every day of the data.
 *
 * The data's days run from the day of its first arrival to the day of its last, both included:
 * a day with any arrival counts as covered (a call center's last call of a Sunday may come at
 * 18:00, and its Sunday is still complete). So data ending on a Sunday reports the week ending
 * that day; data ending mid-week (on a Monday to Saturday) reports the week before. Days are
 * calendar days of the data's own wall-clock times, as every filter of the app reads them.
 */
export type ReportPeriodKind = 'last-week' | 'last-month' | 'all';
export const REPORT_PERIODS: ReportPeriodKind[] = ['last-week', 'last-month', 'all'];

export interface DayRange {
	from: string;
	to: string;
}

/** 0 = Monday … 6 = Sunday. */
function weekdayFromMonday(day: string): number {
	return (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** The last day of `day`'s calendar month. */
function monthEnd(day: string): string {
	const d = new Date(`${day.slice(0, 7)}-01T00:00:00Z`);
	return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
}

/**
 * The period `kind` of data whose first and last arrivals are `dataFrom` and `dataTo`
 * ('YYYY-MM-DD HH:MM:SS', or a bare day). Null when the data holds no such period (fewer
 * than seven days from a Monday, no whole month) or has no dates.
 */
export function reportPeriod(kind: ReportPeriodKind, dataFrom: string | null, dataTo: string | null): DayRange | null {
	const first = parseDay(dataFrom?.slice(0, 10));
	const last = parseDay(dataTo?.slice(0, 10));
	if (!first || !last || last < first) return null;
	let period: DayRange;
	if (kind === 'all') return { from: first, to: last };
	if (kind === 'last-week') {
		// The Sunday on or before the last day ends the week.
		const sunday = addDays(last, -((weekdayFromMonday(last) + 1) % 7));
		period = { from: addDays(sunday, -6), to: sunday };
	} else {
		// The month ending on the last day, if it does; else the month before.
		const to = monthEnd(last) === last ? last : addDays(`${last.slice(0, 7)}-01`, -1);
		period = { from: `${to.slice(0, 7)}-01`, to };
	}
	return period.from >= first ? period : null;
}
