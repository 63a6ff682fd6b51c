/**
 * Interval reports by definition, in plain TypeScript (never imports `src/`): per-call records
 * rolled up into the interval table (one row per queue per interval of arrival, the columns of
 * the interval contract), and the service measures over such a table as weighted sums.
 *
 * Roll-up of the calls of one queue and interval (T, S the settings):
 *   offered          outcome ≠ other;  answered  answered or interrupted;  abandoned
 *   short_abandoned  abandoned with (wait ?? 0) < S
 *   answered_within  answered with wait ≤ T (sl_threshold_s = T)
 *   wait_s_sum       Σ wait of answered calls;  talk/hold/wrap sums of answered calls
 *   handled          answered calls with a talk time; handle_s_sum Σ talk + hold + wrap of them
 *   abandon_wait_s_sum  Σ wait of abandoned calls
 *
 * Measures over rows (a selection of them, grouped):
 *   volume = offered = Σ offered; answered, abandoned, Σ; unanswered Σ max(offered − answered − abandoned, 0)
 *   short_abandoned  Σ, or null when a row does not give it
 *   answered_within  Σ, or null when a row does not give it at the T asked
 *   service_level    answered_within / (offered | answered | offered − short) by the variant
 *   asa_s = Σ wait_s_sum / Σ answered (rows with a wait sum); aht_s = Σ handle / Σ handled
 *   abandon_rate     abandoned / offered, or (abandoned − short) / (offered − short)
 */

export type RefVariant = 'count' | 'exclude' | 'exclude_short';

export interface RefIntervalCall {
	queue: string | null;
	/** 'YYYY-MM-DD HH:MM:SS', local time. */
	arrival: string;
	outcome: 'answered' | 'interrupted' | 'abandoned' | 'unanswered' | 'other';
	wait_s: number | null;
	talk_s: number | null;
	hold_s: number | null;
	wrap_s: number | null;
}

export interface RefIntervalRow {
	interval_start: string | null;
	interval_index: number | null;
	interval_minutes: number;
	queue: string;
	offered: number;
	answered: number;
	abandoned: number;
	short_abandoned: number | null;
	sl_threshold_s: number | null;
	answered_within: number | null;
	stated_sl: number | null;
	stated_sl_base: string | null;
	wait_s_sum: number | null;
	talk_s_sum: number | null;
	hold_s_sum: number | null;
	wrap_s_sum: number | null;
	handled: number | null;
	handle_s_sum: number | null;
	abandon_wait_s_sum: number | null;
	staffed_s: number | null;
}

const ms = (text: string) => Date.parse(`${text.replace(' ', 'T')}Z`);
const text = (time: number) => new Date(time).toISOString().slice(0, 19).replace('T', ' ');
/** Σ of the values given, over `of` calls: 0 over no call, null when none of them gives one. */
const sumOf = (xs: number[], of: number) => (of === 0 ? 0 : xs.length ? xs.reduce((a, b) => a + b, 0) : null);

/** Start of the interval of `minutes` (or a week from Monday, `'week'`) a time falls in. */
export function refBucket(time: string, minutes: number | 'week'): string {
	const t = ms(time);
	if (minutes === 'week') {
		const day = Math.floor(t / 86_400_000);
		// 1970-01-01 was a Thursday: days since a Monday are (day + 3) mod 7.
		return text((day - ((day + 3) % 7)) * 86_400_000);
	}
	const width = minutes * 60_000;
	return text(Math.floor(t / width) * width);
}

export function refRollup(calls: RefIntervalCall[], minutes: number, { thresholdS = 20, shortAbandonS = 5 } = {}): RefIntervalRow[] {
	const groups = new Map<string, RefIntervalCall[]>();
	for (const c of calls) {
		const key = JSON.stringify([refBucket(c.arrival, minutes), c.queue ?? '']);
		groups.set(key, [...(groups.get(key) ?? []), c]);
	}
	return [...groups.entries()]
		.map(([key, group]) => {
			const [start, queue] = JSON.parse(key) as [string, string];
			const answered = group.filter((c) => c.outcome === 'answered' || c.outcome === 'interrupted');
			const abandoned = group.filter((c) => c.outcome === 'abandoned');
			const talked = answered.filter((c) => c.talk_s !== null);
			return {
				interval_start: start,
				interval_index: null,
				interval_minutes: minutes,
				queue,
				offered: group.filter((c) => c.outcome !== 'other').length,
				answered: answered.length,
				abandoned: abandoned.length,
				short_abandoned: abandoned.filter((c) => (c.wait_s ?? 0) < shortAbandonS).length,
				sl_threshold_s: thresholdS,
				answered_within: answered.filter((c) => c.wait_s !== null && c.wait_s <= thresholdS).length,
				stated_sl: null,
				stated_sl_base: null,
				wait_s_sum: sumOf(
					answered.flatMap((c) => (c.wait_s === null ? [] : [c.wait_s])),
					answered.length
				),
				talk_s_sum: sumOf(
					answered.flatMap((c) => (c.talk_s === null ? [] : [c.talk_s])),
					answered.length
				),
				hold_s_sum: sumOf(
					answered.flatMap((c) => (c.hold_s === null ? [] : [c.hold_s])),
					answered.length
				),
				wrap_s_sum: sumOf(
					answered.flatMap((c) => (c.wrap_s === null ? [] : [c.wrap_s])),
					answered.length
				),
				handled: talked.length,
				handle_s_sum: sumOf(
					talked.map((c) => c.talk_s! + (c.hold_s ?? 0) + (c.wrap_s ?? 0)),
					answered.length
				),
				abandon_wait_s_sum: sumOf(
					abandoned.flatMap((c) => (c.wait_s === null ? [] : [c.wait_s])),
					abandoned.length
				),
				staffed_s: null
			};
		})
		.sort((a, b) => a.interval_start.localeCompare(b.interval_start) || (a.queue < b.queue ? -1 : a.queue > b.queue ? 1 : 0));
}

export interface RefIntervalMetrics {
	volume: number;
	offered: number;
	answered: number;
	abandoned: number;
	short_abandoned: number | null;
	unanswered: number;
	answered_within: number | null;
	asa_s: number | null;
	aht_s: number | null;
	service_level: number | null;
	abandon_rate: number | null;
	service_level_reason: 'threshold' | 'not_given' | 'short_abandons' | null;
	abandon_rate_reason: 'short_abandons' | null;
}

const ratio = (num: number | null, den: number | null) => (num === null || den === null || den === 0 ? null : num / den);

export function refIntervalMetrics(rows: RefIntervalRow[], { thresholdS = 20, variant = 'count' as RefVariant } = {}): RefIntervalMetrics {
	let offered = 0;
	let answered = 0;
	let abandoned = 0;
	let unanswered = 0;
	let short = 0;
	let within = 0;
	let waitSum = 0;
	let waitN = 0;
	let handleSum = 0;
	let handleN = 0;
	let shortKnown = true;
	let withinAtT = true;
	let withinGiven = true;
	for (const r of rows) {
		offered += r.offered;
		answered += r.answered;
		abandoned += r.abandoned;
		unanswered += Math.max(r.offered - r.answered - r.abandoned, 0);
		if (r.short_abandoned === null) shortKnown = false;
		else short += r.short_abandoned;
		if (r.answered_within === null) withinGiven = withinAtT = false;
		else if (r.sl_threshold_s !== thresholdS) withinAtT = false;
		else within += r.answered_within;
		if (r.wait_s_sum !== null) [waitSum, waitN] = [waitSum + r.wait_s_sum, waitN + r.answered];
		const handle = r.handle_s_sum ?? (r.talk_s_sum === null ? null : r.talk_s_sum + (r.hold_s_sum ?? 0) + (r.wrap_s_sum ?? 0));
		if (handle !== null) [handleSum, handleN] = [handleSum + handle, handleN + (r.handled ?? r.answered)];
	}
	const shortAbandoned = shortKnown ? short : null;
	const answeredWithin = withinAtT ? within : null;
	const den = variant === 'count' ? offered : variant === 'exclude' ? answered : shortAbandoned === null ? null : offered - shortAbandoned;
	const needsShort = variant === 'exclude_short' && !shortKnown;
	return {
		volume: offered,
		offered,
		answered,
		abandoned,
		short_abandoned: shortAbandoned,
		unanswered,
		answered_within: answeredWithin,
		asa_s: ratio(waitSum, waitN),
		aht_s: ratio(handleSum, handleN),
		service_level: ratio(answeredWithin, den),
		abandon_rate:
			variant === 'exclude_short' ? (shortAbandoned === null ? null : ratio(abandoned - shortAbandoned, offered - shortAbandoned)) : ratio(abandoned, offered),
		service_level_reason: !withinAtT ? (withinGiven ? 'threshold' : 'not_given') : needsShort ? 'short_abandons' : null,
		abandon_rate_reason: needsShort ? 'short_abandons' : null
	};
}

/** The measures per group of rows: by interval start (bucketed to `minutes` or weeks) or by queue; keys in order. */
export function refIntervalMetricsBy(
	rows: RefIntervalRow[],
	by: { minutes: number | 'week' } | 'queue',
	settings: { thresholdS?: number; variant?: RefVariant } = {}
): (RefIntervalMetrics & { key: string })[] {
	const groups = new Map<string, RefIntervalRow[]>();
	for (const r of rows) {
		if (by !== 'queue' && r.interval_start === null) continue;
		const key = by === 'queue' ? r.queue : refBucket(r.interval_start!, by.minutes);
		groups.set(key, [...(groups.get(key) ?? []), r]);
	}
	return [...groups.entries()].map(([key, group]) => ({ key, ...refIntervalMetrics(group, settings) }));
}
