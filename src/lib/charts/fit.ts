import { textWidth } from './legend';

/**
 * The densest of `ticksFor(count)`, `ticksFor(count - 1)`, … whose labels do not touch:
 * `size` is a label's extent along the axis (its width on a horizontal axis, the font
 * size on a vertical one). Asking the scale again with fewer ticks, rather than dropping
 * every other tick, keeps the steps round.
 */
export function fitTicks<T>(ticksFor: (count: number) => T[], position: (tick: T) => number, size: (tick: T) => number, count: number, gap = 8): T[] {
	const roomy = (a: T, b: T) => Math.abs(position(b) - position(a)) >= (size(a) + size(b)) / 2 + gap;
	const fits = (ticks: T[]) => ticks.every((t, i) => i === 0 || roomy(ticks[i - 1]!, t));
	for (let n = Math.max(1, Math.floor(count)); n >= 1; n--) {
		const ticks = ticksFor(n);
		if (fits(ticks)) return ticks;
	}
	// Even the sparsest ticks collide (a very short axis): keep those that have room.
	const kept: T[] = [];
	for (const t of ticksFor(1)) if (!kept.length || roomy(kept[kept.length - 1]!, t)) kept.push(t);
	return kept;
}

/** `text` shortened with an ellipsis to fit `maxWidth` pixels (estimated as in `textWidth`). */
export function truncateText(text: string, maxWidth: number, fontSize: number): string {
	if (textWidth(text, fontSize) <= maxWidth) return text;
	const room = maxWidth - textWidth('…', fontSize);
	let kept = '';
	let used = 0;
	for (const ch of text) {
		used += textWidth(ch, fontSize);
		if (used > room) break;
		kept += ch;
	}
	return `${kept.trimEnd()}…`;
}

/** Anchor for a label of `size` pixels at `x`: centred, unless that would cross `left` or `right`. */
export function labelAnchor(x: number, size: number, left: number, right: number): 'start' | 'middle' | 'end' {
	if (x - size / 2 < left) return 'start';
	if (x + size / 2 > right) return 'end';
	return 'middle';
}
