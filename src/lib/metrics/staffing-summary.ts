import { translateMessage, type Lang, type Message } from '$lib/i18n/messages';
import { shortIntervals, type StaffedInterval } from './staffing-plan';

export interface SummaryOptions {
	goal: number;
	thresholdS: number;
	/** Interval length in minutes (1440 for days). */
	intervalMinutes: number;
	lang: Lang;
	/** How many of the worst intervals to describe. */
	count?: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** '2024-03-04 14:00:00' + 60 min → '14:00–15:00' (with the date when `withDate`), or the date for days. */
export function intervalLabel(key: string, minutes: number, withDate: boolean): string {
	const [date, time = '00:00:00'] = key.split(' ');
	if (minutes >= 1440) return date!;
	const [h, m] = time.split(':').map(Number) as [number, number];
	const end = h * 60 + m + minutes;
	const clock = `${pad(h)}:${pad(m)}–${pad(Math.floor(end / 60) % 24)}:${pad(end % 60)}`;
	return withDate ? `${date} ${clock}` : clock;
}

/**
 * One sentence per interval short of agents, the worst first: "14:00–15:00: 23 agents needed
 * for 80/20 (Erlang C), 6 seen", with Erlang A's figure where abandons allowed it. The date is
 * written when the intervals span more than one day. No short interval: one sentence saying so.
 * (The Service level page shows the first; a report can ask for more.) As messages, so that a
 * report built once is read in either language.
 */
export function staffingMessages(intervals: StaffedInterval[], { goal, thresholdS, intervalMinutes, count = 1 }: Omit<SummaryOptions, 'lang'>): Message[] {
	const goalText = `${Math.round(goal * 100)}/${thresholdS}`;
	const days = new Set(intervals.map((i) => i.key.slice(0, 10)));
	const short = shortIntervals(intervals).slice(0, Math.max(1, count));
	if (!short.length) return intervals.length ? [{ key: 'staffing.line.none', values: { goal: goalText } }] : [];
	return short.map((i) => ({
		key: i.needed_a == null ? 'staffing.line' : 'staffing.line.a',
		values: {
			when: intervalLabel(i.key, intervalMinutes, days.size > 1),
			needed: i.needed_c!,
			// English needs the noun's number ("1 agent"); Chinese writes 名座席员 in the sentence.
			agents: { key: i.needed_c === 1 ? 'staffing.agent' : 'staffing.agents' },
			neededA: i.needed_a ?? '',
			goal: goalText,
			seen: i.agents_seen
		}
	}));
}

/** The same sentences in `lang`. */
export function staffingLines(intervals: StaffedInterval[], options: SummaryOptions): string[] {
	return staffingMessages(intervals, options).map((message) => translateMessage(options.lang, message));
}
