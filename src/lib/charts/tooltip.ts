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
	return { x: clampX(box.left + box.width / 2 - frame.left, frame.width), y: box.top - frame.top, lines };
}

/** Places a tooltip above a point given in the SVG's own units (`svgWidth` wide). */
export function tooltipAtPoint(svg: SVGSVGElement, svgWidth: number, container: Element, x: number, y: number, lines: string[]): TooltipState {
	const box = svg.getBoundingClientRect();
	const frame = container.getBoundingClientRect();
	const scale = box.width / svgWidth || 1;
	const left = box.left - frame.left + x * scale;
	return { x: clampX(left, frame.width), y: box.top - frame.top + y * scale, lines };
}

/** Keeps a ~180 px wide tooltip inside the chart's container. */
const clampX = (x: number, width: number) => Math.min(Math.max(x, 90), width - 90);

/** The same four handlers on every mark: hover or focus shows its tooltip, leaving hides it. */
export function markEvents(show: (event: Event) => void, hide: () => void) {
	return { onmouseenter: show, onfocus: show, onmouseleave: hide, onblur: hide };
}
