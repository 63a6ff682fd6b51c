export interface LegendItem {
	key: string;
	label: string;
	color: string;
	/** Drawn as an outline (for "not stated" marks). */
	dashed?: boolean;
}

export interface PlacedLegendItem extends LegendItem {
	x: number;
	y: number;
}

const SWATCH = 12;
const GAP = 16;

// Charts measure the same labels (ticks, names, values) on every redraw: each width is
// remembered, up to a bound that only a very long list of distinct labels reaches.
const WIDTHS_KEPT = 20_000;
const widths = new Map<string, number>();

/** Estimated text width in pixels: CJK characters are square, Latin about half as wide. */
export function textWidth(text: string, fontSize: number): number {
	const key = `${fontSize}|${text}`;
	let width = widths.get(key);
	if (width === undefined) {
		width = Array.from(text).reduce((w, ch) => w + (/[\u2e80-\uffef]/.test(ch) ? 1 : 0.56) * fontSize, 0);
		if (widths.size >= WIDTHS_KEPT) widths.clear();
		widths.set(key, width);
	}
	return width;
}
/** A left margin that fits the longest row label, but never more than a share of the chart. */
export function labelMargin(labels: string[], width: number, fontSize = 12): number {
	const longest = Math.max(0, ...labels.map((label) => textWidth(label, fontSize)));
	return Math.round(Math.min(longest + 14, Math.max(60, width * (width < 560 ? 0.45 : 0.36))));
}

/** Lays legend items out left to right, wrapping to new rows within `maxWidth`. */
export function layoutLegend(items: LegendItem[], maxWidth: number, fontSize = 12, rowHeight = 18): { items: PlacedLegendItem[]; height: number } {
	const placed: PlacedLegendItem[] = [];
	let x = 0;
	let y = 0;
	for (const item of items) {
		const width = SWATCH + 5 + textWidth(item.label, fontSize);
		if (x > 0 && x + width > maxWidth) {
			x = 0;
			y += rowHeight;
		}
		placed.push({ ...item, x, y });
		x += width + GAP;
	}
	return { items: placed, height: items.length ? y + rowHeight : 0 };
}

export const LEGEND_SWATCH = SWATCH;
