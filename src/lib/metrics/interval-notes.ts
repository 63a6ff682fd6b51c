import type { Message, MessageKey } from '$lib/i18n/messages';
import { INTERVALS, type IntervalSize } from './service';

/** What an interval dataset cannot draw, and why (in the user's language where it is shown). */
export const NEEDS_CALLS = {
	waits: 'service.intervals.why.waits',
	agents: 'service.intervals.why.agents',
	incident: 'service.intervals.why.incident'
} as const satisfies Record<string, MessageKey>;

/** The row of an interval view, as far as its reasons go (`interval-measures.ts`). */
interface Reasons {
	service_level_reason?: unknown;
	abandon_rate_reason?: unknown;
	file_threshold_s?: unknown;
}

/** Why an interval view's service level (or abandon rate) is null, or null when it is not. */
export function intervalNote(answer: object | undefined, thresholdS: number): Message | null {
	const row = answer as Reasons | undefined;
	const reason = row?.service_level_reason ?? row?.abandon_rate_reason;
	if (reason === 'threshold') return { key: 'service.intervals.why.threshold', values: { fileT: Number(row?.file_threshold_s), t: thresholdS } };
	if (reason === 'not_given') return { key: 'service.intervals.why.notGiven' };
	if (reason === 'short_abandons') return { key: 'service.intervals.why.shortAbandons' };
	return null;
}

type ChartInterval = Exclude<IntervalSize, 'week'>;

/** The chart's interval on an interval dataset: the one chosen, or the file's own length where that is longer (never finer than the file). */
export function intervalAtLeast(chosen: ChartInterval, fileMinutes: number | undefined): ChartInterval {
	const minutes = (size: ChartInterval) => (size === 'day' ? 1440 : size);
	if (!fileMinutes || minutes(chosen) >= fileMinutes) return chosen;
	return INTERVALS.find((size) => minutes(size) >= fileMinutes && minutes(size) % fileMinutes === 0) ?? 'day';
}
