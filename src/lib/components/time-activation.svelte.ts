import { address } from '$lib/filters/address.svelte';

/** The start and end inputs and the time chart's brush: the controls that move the time range. */
const TIME_CONTROLS = '[data-testid="filter-from"], [data-testid="filter-to"], [data-time-control]';

/**
 * The time controls about to be used (pointer over one, or focus on it): every view's time cube
 * is then held in the page, so the next range is summed there at once. `ready` says it is done
 * for the page's current address (`data-time-ready`: the bench hovers, then times the change,
 * as a user would).
 */
export class TimeActivation {
	private readyFor = $state<string | null>(null);

	constructor(
		private readonly activate: (grainMinutes: 15 | 60) => Promise<void>,
		/** The time chart's interval: minutes, or a word (`day`). */
		private readonly interval: () => number | string
	) {}

	get ready(): boolean {
		return this.readyFor === address().search;
	}

	/** For the document's pointerover and focusin: acts only on a time control. */
	handle = (event: Event) => {
		if (!(event.target instanceof Element) || !event.target.closest(TIME_CONTROLS)) return;
		const search = address().search;
		const interval = this.interval();
		void this.activate(interval === 15 || interval === 30 ? 15 : 60).then(() => (this.readyFor = search));
	};
}
