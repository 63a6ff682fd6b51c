import { bisectRight } from 'd3';

/**
 * What a key does to a focused chart's cursor over `count` data (in reading order): the next
 * or previous datum (→ ↓ / ← ↑, stopping at the ends), the first or last (Home / End), hide
 * the tip (Escape); null for any other key, which the chart leaves to the page.
 */
export function stepCursor(key: string, at: number, count: number): number | 'hide' | null {
	if (key === 'Escape') return 'hide';
	if (count <= 0) return null;
	const last = count - 1;
	const i = Math.max(0, Math.min(last, at));
	switch (key) {
		case 'ArrowRight':
		case 'ArrowDown':
			return Math.min(last, i + 1);
		case 'ArrowLeft':
		case 'ArrowUp':
			return Math.max(0, i - 1);
		case 'Home':
			return 0;
		case 'End':
			return last;
		default:
			return null;
	}
}

/**
 * The index of the span holding `t`, each span being [start, end) and the spans sorted by
 * start; -1 before the first, past the last, or in a gap between two (an interval without rows).
 */
export function spanAt(starts: readonly number[], ends: readonly number[], t: number): number {
	const i = bisectRight(starts, t) - 1;
	return i >= 0 && t < ends[i]! ? i : -1;
}
