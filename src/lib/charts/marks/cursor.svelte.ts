import { stepCursor } from './cursor';
import { tooltipAt, tooltipAtPoint, type TooltipState } from './tip';

/** What a chart tells its cursor about its data. */
export interface CursorData {
	/** How many data the cursor walks over, in reading order. */
	count(): number;
	/** Datum `i` in words: the tip's lines, heading first (also its mark's accessible name). */
	describe(i: number): string[];
	/** Where datum `i`'s tip points, in the SVG's units; without it, at the top centre of the datum's mark. */
	anchor?(i: number): { x: number; y: number };
}

let made = 0;

/**
 * The one hover and keyboard behaviour of every chart: a chart is one tab stop, ←/→ (and ↑/↓)
 * move the cursor over the data, Home/End jump to the ends, Escape hides the tip; hovering a
 * datum shows its tip too. With a mark element per datum (`Mark`), focus moves from mark to
 * mark (a roving tab stop); over dense intervals (`IntervalCursor`), focus stays on the plot
 * and the cursor moves through the data.
 */
export class ChartCursor {
	/** The datum whose tip is shown, or null. */
	active = $state<number | null>(null);
	/** The datum the cursor rests on (the tab stop), kept while the tip is hidden. */
	at = $state(0);
	tip = $state<TooltipState | null>(null);
	/** Prefix of the ids of the chart's descriptions. */
	readonly id = `chart-${++made}`;
	/** Bound by the chart's frame (`Chart`). */
	svg: SVGSVGElement | undefined = $state();
	box: HTMLDivElement | undefined = $state();

	#data: CursorData;
	#marks = new Map<number, SVGElement>();

	constructor(data: CursorData) {
		this.#data = data;
	}

	/** The tab stop, within the data as they are now (fewer rows after a filter keep it in range). */
	get stop(): number {
		return Math.max(0, Math.min(this.at, this.#data.count() - 1));
	}

	label(i: number): string {
		return this.#data.describe(i).join(', ');
	}

	/** Shows datum `i`'s tip. */
	show(i: number): void {
		const { svg, box } = this;
		if (!svg || !box || i < 0 || i >= this.#data.count()) return;
		const lines = this.#data.describe(i);
		const point = this.#data.anchor?.(i);
		const mark = this.#marks.get(i);
		this.active = i;
		this.tip = point ? tooltipAtPoint(svg, box, point.x, point.y, lines) : mark ? tooltipAt(mark, box, lines) : null;
	}

	/** Focus came to datum `i` (its mark, or the plot resting on it): the cursor rests there. */
	focus(i: number): void {
		this.at = i;
		this.show(i);
	}

	hide(): void {
		this.active = null;
		this.tip = null;
	}

	keydown(event: KeyboardEvent): void {
		const next = stepCursor(event.key, this.stop, this.#data.count());
		if (next == null || (next === 'hide' && !this.tip)) return;
		event.preventDefault();
		if (next === 'hide') return this.hide();
		this.#marks.get(next)?.focus();
		this.focus(next);
	}

	/** A datum's mark element, for the roving focus; returns its removal. */
	register(i: number, mark: SVGElement): () => void {
		this.#marks.set(i, mark);
		return () => {
			if (this.#marks.get(i) === mark) this.#marks.delete(i);
		};
	}
}
