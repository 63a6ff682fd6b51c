import type { RefCall } from './common';

/**
 * Service metrics over reference calls, by definition (T = thresholdS, S = shortAbandonS):
 *
 *   volume           all calls
 *   offered          calls with outcome ≠ other
 *   answered         outcome answered
 *   abandoned        outcome abandoned
 *   short_abandoned  abandoned with (wait_s ?? 0) < S
 *   unanswered       outcome unanswered
 *   answered_within  answered with wait_s ≤ T (wait_s null → not within)
 *   service_level    answered_within / offered (null when offered = 0)
 *   asa_s            mean wait_s over answered calls with non-null wait_s (null when none)
 *   aht_s            mean talk_s over answered calls with non-null talk_s (null when none)
 *
 * Per agent (`refMetricsBy(calls, 'agent')`) counts only calls with a non-null agent; per
 * queue every call, a null queue under the key ''.
 */
export interface RefMetrics {
	volume: number;
	offered: number;
	answered: number;
	abandoned: number;
	short_abandoned: number;
	unanswered: number;
	answered_within: number;
	service_level: number | null;
	asa_s: number | null;
	aht_s: number | null;
}

export interface RefSettings {
	thresholdS?: number;
	shortAbandonS?: number;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

export function refMetrics(calls: RefCall[], { thresholdS = 20, shortAbandonS = 5 }: RefSettings = {}): RefMetrics {
	let offered = 0;
	let answered = 0;
	let abandoned = 0;
	let short_abandoned = 0;
	let unanswered = 0;
	let answered_within = 0;
	const waits: number[] = [];
	const talks: number[] = [];
	for (const c of calls) {
		if (c.outcome !== 'other') offered++;
		if (c.outcome === 'answered') {
			answered++;
			if (c.wait_s !== null && c.wait_s <= thresholdS) answered_within++;
			if (c.wait_s !== null) waits.push(c.wait_s);
			if (c.talk_s !== null) talks.push(c.talk_s);
		} else if (c.outcome === 'abandoned') {
			abandoned++;
			if ((c.wait_s ?? 0) < shortAbandonS) short_abandoned++;
		} else if (c.outcome === 'unanswered') unanswered++;
	}
	return {
		volume: calls.length,
		offered,
		answered,
		abandoned,
		short_abandoned,
		unanswered,
		answered_within,
		service_level: offered === 0 ? null : answered_within / offered,
		asa_s: mean(waits),
		aht_s: mean(talks)
	};
}

export function refMetricsBy(calls: RefCall[], by: 'queue' | 'agent', settings: RefSettings = {}): Map<string, RefMetrics> {
	const groups = new Map<string, RefCall[]>();
	for (const c of calls) {
		const value = by === 'agent' ? c.agent : c.queue;
		if (by === 'agent' && value === null) continue;
		const key = value ?? '';
		const list = groups.get(key);
		if (list) list.push(c);
		else groups.set(key, [c]);
	}
	const out = new Map<string, RefMetrics>();
	for (const key of [...groups.keys()].sort()) out.set(key, refMetrics(groups.get(key)!, settings));
	return out;
}
