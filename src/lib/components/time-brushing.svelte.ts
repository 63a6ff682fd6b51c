import { untrack } from 'svelte';

/** A time range as the filter holds it: local times, 'YYYY-MM-DD HH:MM:SS'. */
export interface TimeRange {
	from: string;
	to: string;
}

const same = (a: TimeRange | null, b: TimeRange | null) => a === b || (!!a && !!b && a.from === b.from && a.to === b.to);

/**
 * The time chart's brush while it is dragged: the views follow the range before it is released
 * (a crossfilter brush), without a history entry per move (the address is written on release).
 * At most one range is on its way: the next is applied once every view has painted the one
 * before, and it is the latest (the ranges the pointer passed meanwhile are never asked).
 * With the time cubes held in the page, that is every other frame (the cards' frame, then the
 * charts'); through the engine, one range per answer. Call during component initialisation.
 */
export class TimeBrushing {
	/** The range under the pointer: the time inputs show it. */
	wanted = $state.raw<TimeRange | null>(null);
	/** The range the views answer; null when no drag is going on. */
	applied = $state.raw<TimeRange | null>(null);

	/** `painted`: every view shows its answer to the filter of the moment (none loading nor waiting for its frame). */
	constructor(private readonly painted: () => boolean) {
		$effect(() => {
			const wanted = this.wanted;
			if (
				!wanted ||
				!this.painted() ||
				same(
					wanted,
					untrack(() => this.applied)
				)
			)
				return;
			// Started at a frame's start, like a move told by the brush.
			const frame = requestAnimationFrame(() => (this.applied = wanted));
			return () => cancelAnimationFrame(frame);
		});
	}

	/** The brush moved to `range` (at most once a frame). */
	move = (range: TimeRange) => {
		this.wanted = range;
		if (untrack(this.painted)) this.applied = range;
	};

	/** The drag is over: the filter of the address holds the range from now on (or none). */
	end = () => {
		this.wanted = null;
		this.applied = null;
	};
}
