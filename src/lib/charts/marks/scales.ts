import { scaleBand, type ScaleBand } from 'd3';

/** The plot's horizontal extent between the side margins, never narrower than `min` (a narrow chart overflows rather than inverting its scale). */
export function plotRange(left: number, right: number, width: number, min = 60): [number, number] {
	return [left, Math.max(left + min, width - right)];
}

/** One band per row key from `top` to `bottom`, the bars `padding` (a share of a band) apart. */
export function rowBands(keys: string[], top: number, bottom: number, padding: number): ScaleBand<string> {
	return scaleBand<string>().domain(keys).range([top, bottom]).padding(padding);
}
