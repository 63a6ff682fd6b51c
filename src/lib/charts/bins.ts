/** A histogram bin of a duration in seconds; `bin_end` null is the overflow bin (`bin_start` or more). */
export interface DurationBin {
	bin_start: number;
	bin_end: number | null;
}

/** "0秒 – 10秒", or "≥ 4分40秒" for the overflow bin: in the chart, its tooltip, data table and CSV alike. */
export function binLabel(bin: DurationBin, format: (seconds: number) => string): string {
	return bin.bin_end == null ? `≥ ${format(bin.bin_start)}` : `${format(bin.bin_start)} – ${format(bin.bin_end)}`;
}

/** Where bars go on the x scale: regular bins at their edges, the overflow bin half a bin past `maxS`. */
export function binSpan(bin: DurationBin, binS: number, maxS: number): [number, number] {
	if (bin.bin_end == null) return [maxS + binS / 2, maxS + binS * 1.5];
	return [bin.bin_start, bin.bin_end];
}

/** The x domain's end: `maxS`, plus room for the overflow bar when there is one. */
export function binDomainEnd(bins: readonly DurationBin[], binS: number, maxS: number): number {
	return bins.some((b) => b.bin_end == null) ? maxS + binS * 1.5 : maxS;
}
