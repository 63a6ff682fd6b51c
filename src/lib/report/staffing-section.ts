import { staffIntervals } from '$lib/metrics/staffing-plan';
import { staffingMessages } from '$lib/metrics/staffing-summary';
import type { ExtraSection, SectionBuilder } from './model';

/**
 * The report's staffing section: per hour of the period, the agents Erlang C (and Erlang A,
 * with abandonment) needed for the goal beside the agents the data shows handling calls, and
 * the sentences naming the hours short of the most, as on the Service level page. Hours,
 * whatever the report's day/week grouping: staffing is planned per interval of the day.
 */
const HOUR_S = 3600;
const WORST = 3;

export const staffingSection: SectionBuilder = async (ask, question, spec) => {
	const rows = await ask({ ...question, view: 'staffingLoad', settings: { ...question.settings, interval: 60 } });
	// An interval report of days (or of intervals longer than an hour) cannot be staffed per hour.
	if (rows.some((r) => Number((r as { interval_minutes?: unknown }).interval_minutes) > 60)) return null;
	const { thresholdS, shortAbandonS, variant } = spec.settings;
	const plan = staffIntervals(rows, { goal: spec.goal, thresholdS, shortAbandonS, variant, intervalS: HOUR_S });
	const busy = plan.intervals.filter((i) => i.offered > 0);
	if (!busy.length) return null;
	// An interval report without agents' logged-in time: no agents seen, so no shortfall to name; the reason instead.
	const seenUnknown = rows.every((r) => (r as { agents_seen?: unknown }).agents_seen == null);
	const section: ExtraSection = {
		id: 'staffing',
		title: 'staffing.title',
		note: seenUnknown ? [{ key: 'service.intervals.why.staffed' }] : staffingMessages(busy, { goal: spec.goal, thresholdS, intervalMinutes: 60, count: WORST }),
		columns: [
			{ key: 'key', header: 'report.col.hour', kind: 'datetime' },
			{ key: 'offered', header: 'staffing.offered', kind: 'int' },
			{ key: 'aht_s', header: 'staffing.aht', kind: 'duration' },
			{ key: 'agents_seen', header: 'staffing.seen', kind: 'int' },
			{ key: 'needed_c', header: 'staffing.neededC', kind: 'int' },
			{ key: 'needed_a', header: 'staffing.neededA', kind: 'int' },
			{ key: 'sl_c_seen', header: 'staffing.slSeen', kind: 'percent' }
		],
		rows: busy.map((i) => ({
			key: i.key,
			offered: i.offered,
			aht_s: i.aht_s,
			agents_seen: seenUnknown ? null : i.agents_seen,
			needed_c: i.needed_c,
			needed_a: i.needed_a,
			sl_c_seen: seenUnknown ? null : i.sl_c_seen
		}))
	};
	return section;
};
