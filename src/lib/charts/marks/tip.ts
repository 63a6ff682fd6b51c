export interface TooltipState {
	/** Position in CSS pixels relative to the chart's plot container. */
	x: number;
	y: number;
	/** First line is the heading. */
	lines: string[];
	/** Shown below the point: above it, the tooltip would leave the plot and cover the chart's header (its export buttons). */
	below?: boolean;
}

/** A tooltip line's height and the box's padding and offset, in CSS pixels (12 px text, line-height 1.45). */
const LINE_HEIGHT = 17.4;
const BOX_EXTRA = 12 + 10;

/** Above the point when the tooltip fits inside the plot container there, else below it. */
export function placeTooltip(x: number, top: number, bottom: number, width: number, lines: string[]): TooltipState {
	const height = lines.length * LINE_HEIGHT + BOX_EXTRA;
	const below = top - height < 0;
	return { x: clampX(x, width), y: below ? bottom : top, lines, below };
}

/** Places a tooltip at the centre of an SVG element's box, within the chart container. */
export function tooltipAt(target: Element, container: Element, lines: string[]): TooltipState {
	const box = target.getBoundingClientRect();
	const frame = container.getBoundingClientRect();
	return placeTooltip(box.left + box.width / 2 - frame.left, box.top - frame.top, box.bottom - frame.top, frame.width, lines);
}

/** Places a tooltip at a point given in the SVG's own units (its viewBox's; printing may draw it narrower). */
export function tooltipAtPoint(svg: SVGSVGElement, container: Element, x: number, y: number, lines: string[]): TooltipState {
	const box = svg.getBoundingClientRect();
	const frame = container.getBoundingClientRect();
	const scale = box.width / svg.viewBox.baseVal.width || 1;
	const left = box.left - frame.left + x * scale;
	const top = box.top - frame.top + y * scale;
	return placeTooltip(left, top, top, frame.width, lines);
}

/** Keeps a ~180 px wide tooltip inside the chart's container. */
const clampX = (x: number, width: number) => Math.min(Math.max(x, 90), width - 90);
