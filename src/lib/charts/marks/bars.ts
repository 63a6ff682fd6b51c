/** A vertical bar in pixels: from `x0` to `x1`, from the baseline up to `y`. */
export interface Column {
	x0: number;
	x1: number;
	y: number;
}

/**
 * Vertical bars as one path, a pixel apart when they are wide enough to show the gap. One
 * path, not one element each: a month of 15-minute intervals is thousands of bars, and an
 * element each would make every filter change redraw them all.
 */
export function columnsPath(columns: Iterable<Column>, baseline: number): string {
	let d = '';
	for (const { x0, x1, y } of columns) {
		if (!(baseline - y > 0)) continue;
		const w = Math.max(0.5, x1 - x0 - (x1 - x0 > 4 ? 1 : 0));
		d += `M${x0.toFixed(1)},${baseline}V${y.toFixed(1)}h${w.toFixed(2)}V${baseline}Z`;
	}
	return d;
}

/** Stacked segments of one bar: `[from, to]` per value, in order, negative values counted as none. */
export function stackValues(values: readonly number[]): [number, number][] {
	let base = 0;
	return values.map((value) => {
		const from = base;
		base += Math.max(0, value);
		return [from, base];
	});
}
