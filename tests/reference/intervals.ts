/**
 * Reference for interval reports (INTERVALS-CONTRACT.md), from the definitions and not from the
 * import's code: per-call records rolled into one row per queue per interval.
 *   offered          calls that arrived in the interval (by arrival time) at the queue
 *   answered         of those, answered (outcome answered or cut off in service)
 *   abandoned        of those, abandoned
 *   answered_within  answered with wait ≤ T
 *   wait_s_sum       Σ wait of answered calls;   talk/hold/wrap_s_sum  Σ of answered calls (missing = 0)
 *   handled          = answered;                 handle_s_sum  Σ (talk + hold + wrap)
 *   abandon_wait_s_sum  Σ wait of abandoned calls
 */
export interface ReferenceCall {
	department: string;
	/** Wall-clock seconds since 1970. */
	arrival: number;
	wait_s: number;
	talk_s: number | null;
	hold_s: number | null;
	wrap_s: number | null;
	outcome: string;
}

export interface ReferenceInterval {
	interval_start: string;
	queue: string;
	offered: number;
	answered: number;
	abandoned: number;
	answered_within: number;
	wait_s_sum: number;
	talk_s_sum: number;
	hold_s_sum: number;
	wrap_s_sum: number;
	handle_s_sum: number;
	abandon_wait_s_sum: number;
}

function stamp(seconds: number): string {
	const d = new Date(seconds * 1000);
	const two = (n: number) => (n < 10 ? '0' : '') + n;
	return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

export function referenceIntervals(calls: ReferenceCall[], minutes: number, threshold: number): ReferenceInterval[] {
	const table: Record<string, ReferenceInterval> = {};
	for (const call of calls) {
		const start = call.arrival - (call.arrival % (minutes * 60));
		const key = stamp(start) + '|' + call.department;
		const row = (table[key] ??= {
			interval_start: stamp(start),
			queue: call.department,
			offered: 0,
			answered: 0,
			abandoned: 0,
			answered_within: 0,
			wait_s_sum: 0,
			talk_s_sum: 0,
			hold_s_sum: 0,
			wrap_s_sum: 0,
			handle_s_sum: 0,
			abandon_wait_s_sum: 0
		});
		row.offered += 1;
		if (call.outcome === 'abandoned') {
			row.abandoned += 1;
			row.abandon_wait_s_sum += call.wait_s;
		} else {
			row.answered += 1;
			if (call.wait_s <= threshold) row.answered_within += 1;
			row.wait_s_sum += call.wait_s;
			const talk = call.talk_s || 0;
			const hold = call.hold_s || 0;
			const wrap = call.wrap_s || 0;
			row.talk_s_sum += talk;
			row.hold_s_sum += hold;
			row.wrap_s_sum += wrap;
			row.handle_s_sum += talk + hold + wrap;
		}
	}
	return Object.keys(table)
		.sort()
		.map((k) => table[k]!);
}
