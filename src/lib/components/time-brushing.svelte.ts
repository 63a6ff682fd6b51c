import { untrack } from 'svelte';

/** A time range as the filter holds it: local times, 'YYYY-MM-DD HH:MM:SS'. */
export interface TimeRange {
	from: string;
	to: string;
}

const same = (a: TimeRange | null, b: TimeRange | null) => a === b || (!!a && !!b && a.from === b.from && a.to === b.to);

/**
 * One view following the brush: the range it answers. At most one range is on its way to it:
 * the next is applied once it has painted the one before, and it is the latest (the ranges the
 * pointer passed meanwhile are never asked). A view summed from the time cubes held in the page
 * follows every other frame (its answer, then its frame); one asked of the engine, one range
 * per answer, without holding the others back.
 */
class Follower {
	applied = $state.raw<TimeRange | null>(null);

	constructor(
		brushing: TimeBrushing,
		/** The view shows its answer to its question of the moment (not loading, not waiting for its frame). */
		private readonly painted: () => boolean
	) {
		$effect(() => {
			const wanted = brushing.wanted;
			if (
				!wanted ||
				!this.painted() ||
				same(
					wanted,
					untrack(() => this.applied)
				)
			)
				return;
			// At a frame's start, like a move told by the brush.
			const frame = requestAnimationFrame(() => (this.applied = wanted));
			return () => cancelAnimationFrame(frame);
		});
	}

	/** The brush moved: applied at once when the view is free. */
	move(range: TimeRange) {
		if (untrack(this.painted)) this.applied = range;
	}
}

/**
 * The time chart's brush while it is dragged: the views it filters follow its range before it
 * is released (a crossfilter brush), each at its own pace (`Follower`), without a history entry
 * per move (the address is written on release). Call during component initialisation.
 */
export class TimeBrushing {
	/** The range under the pointer: the time inputs show it. */
	wanted = $state.raw<TimeRange | null>(null);
	private readonly followers: Record<string, Follower>;

	/** `views`: per view that follows the brush, whether it shows its answer of the moment. */
	constructor(views: Record<string, () => boolean>) {
		this.followers = Object.fromEntries(Object.entries(views).map(([name, painted]) => [name, new Follower(this, painted)]));
	}

	/** The range `view` answers while the brush is dragged; null when it is not, or `view` does not follow it. */
	applied(view: string): TimeRange | null {
		return this.followers[view]?.applied ?? null;
	}

	/** A view shows a range the address does not hold. */
	get active(): boolean {
		return Object.values(this.followers).some((follower) => follower.applied);
	}

	/** The brush moved to `range` (at most once a frame). */
	move = (range: TimeRange) => {
		this.wanted = range;
		for (const follower of Object.values(this.followers)) follower.move(range);
	};

	/** The drag is over: the filter of the address holds the range from now on (or none). */
	end = () => {
		this.wanted = null;
		for (const follower of Object.values(this.followers)) follower.applied = null;
	};
}
