import { line } from 'd3';

/** A point in pixels, or null where the line breaks (an unknown value, a missing interval). */
export type LinePoint = [number, number] | null;

/** A straight line through the points, broken at each null. */
export function linePath(points: readonly LinePoint[]): string {
	return (
		line<LinePoint>()
			.defined((p) => p != null)
			.x((p) => p![0])
			.y((p) => p![1])(points) ?? ''
	);
}

/** A level held across `x0`–`x1` (a value that holds for a whole interval), or null for none. */
export type Step = { x0: number; x1: number; y: number } | null;

/** A step line: flat across each step, joined where one ends as the next begins, broken at a null or a gap. */
export function stepPath(steps: readonly Step[]): string {
	let d = '';
	let previousEnd: number | null = null;
	for (const step of steps) {
		if (step == null) {
			previousEnd = null;
			continue;
		}
		d += `${previousEnd === step.x0 ? 'L' : 'M'}${step.x0.toFixed(1)},${step.y.toFixed(1)}H${step.x1.toFixed(1)}`;
		previousEnd = step.x1;
	}
	return d;
}
