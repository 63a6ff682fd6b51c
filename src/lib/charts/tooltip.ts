export interface TooltipState {
	/** Position in CSS pixels relative to the chart's plot container. */
	x: number;
	y: number;
	/** First line is the heading. */
	lines: string[];
}

/** Places a tooltip above the centre of an SVG element's box, within the chart container. */
export function tooltipAt(target: Element, container: Element, lines: string[]): TooltipState {
	const box = target.getBoundingClientRect();
	const frame = container.getBoundingClientRect();
	const x = Math.min(Math.max(box.left + box.width / 2 - frame.left, 90), frame.width - 90);
	return { x, y: box.top - frame.top, lines };
}
