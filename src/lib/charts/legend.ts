import { wrapText } from '$lib/export/svg';

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

/** Estimated text width, consistent with the export's line wrapping. */
function textWidth(text: string, fontSize: number): number {
	return wrapText(text, fontSize, Number.POSITIVE_INFINITY).reduce(
		(sum, line) => sum + Array.from(line).reduce((w, ch) => w + (/[\u2e80-\uffef]/.test(ch) ? 1 : 0.56) * fontSize, 0),
		0
	);
}

/** Lays legend items out left to right, wrapping to new rows within `maxWidth`. */
export function layoutLegend(
	items: LegendItem[],
	maxWidth: number,
	fontSize = 12,
	rowHeight = 18
): { items: PlacedLegendItem[]; height: number } {
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
