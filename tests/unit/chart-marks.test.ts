import { describe, expect, it } from 'vitest';
import { scaleTime, timeHour } from 'd3';
import { spanAt, stepCursor } from '$lib/charts/marks/cursor';
import { columnsPath, stackValues } from '$lib/charts/marks/bars';
import { linePath, stepPath } from '$lib/charts/marks/line';
import { bucketInterval, formatLocalKey, intervalSpans, parseLocalKey } from '$lib/charts/intervals';
import { ChartCursor } from '$lib/charts/marks/cursor.svelte';

describe('the keyboard cursor', () => {
	it('steps to the next and previous datum with the arrow keys, stopping at the ends', () => {
		expect(stepCursor('ArrowRight', 2, 5)).toBe(3);
		expect(stepCursor('ArrowDown', 2, 5)).toBe(3);
		expect(stepCursor('ArrowLeft', 2, 5)).toBe(1);
		expect(stepCursor('ArrowUp', 2, 5)).toBe(1);
		expect(stepCursor('ArrowRight', 4, 5)).toBe(4);
		expect(stepCursor('ArrowLeft', 0, 5)).toBe(0);
	});

	it('jumps to the first and last with Home and End, and hides the tip with Escape', () => {
		expect(stepCursor('Home', 3, 5)).toBe(0);
		expect(stepCursor('End', 1, 5)).toBe(4);
		expect(stepCursor('Escape', 1, 5)).toBe('hide');
		expect(stepCursor('Escape', 0, 0)).toBe('hide');
	});

	it('leaves other keys to the page, and does not move over no data', () => {
		for (const key of ['Tab', 'Enter', ' ', 'a', 'PageDown']) expect(stepCursor(key, 1, 5)).toBeNull();
		for (const key of ['ArrowRight', 'ArrowLeft', 'Home', 'End']) expect(stepCursor(key, 0, 0)).toBeNull();
	});

	it('steps from a resting place that fewer data (after a filter) left past the end', () => {
		expect(stepCursor('ArrowLeft', 9, 3)).toBe(1);
		expect(stepCursor('ArrowRight', 9, 3)).toBe(2);
		expect(stepCursor('ArrowRight', -4, 3)).toBe(1);
	});
});

describe('the interval under the pointer', () => {
	// Three hourly spans with the 02:00 hour missing: [0, 1), [1, 2), [3, 4).
	const starts = [0, 1, 3];
	const ends = [1, 2, 4];
	it('is the span holding the time, its start included and its end not', () => {
		expect(spanAt(starts, ends, 0)).toBe(0);
		expect(spanAt(starts, ends, 0.99)).toBe(0);
		expect(spanAt(starts, ends, 1)).toBe(1);
		expect(spanAt(starts, ends, 3.5)).toBe(2);
	});
	it('is none before the first, in a gap, or from the last end on', () => {
		expect(spanAt(starts, ends, -0.1)).toBe(-1);
		expect(spanAt(starts, ends, 2.5)).toBe(-1);
		expect(spanAt(starts, ends, 4)).toBe(-1);
		expect(spanAt([], [], 0)).toBe(-1);
	});
});

describe('bars', () => {
	it('are one path of rectangles up from the baseline, a pixel apart when wider than 4 px', () => {
		const d = columnsPath(
			[
				{ x0: 10, x1: 20, y: 40 },
				{ x0: 20, x1: 23, y: 90 }
			],
			100
		);
		expect(d).toBe('M10.0,100V40.0h9.00V100ZM20.0,100V90.0h3.00V100Z');
	});
	it('leave out bars of no height and keep a sliver for very narrow ones', () => {
		expect(columnsPath([{ x0: 0, x1: 10, y: 100 }], 100)).toBe('');
		expect(columnsPath([{ x0: 0, x1: 0.2, y: 50 }], 100)).toBe('M0.0,100V50.0h0.50V100Z');
	});
	it('stack values end to end, a negative value taking no room', () => {
		expect(stackValues([3, 0, 2, -1, 4])).toEqual([
			[0, 3],
			[3, 3],
			[3, 5],
			[5, 5],
			[5, 9]
		]);
		expect(stackValues([])).toEqual([]);
	});
});

describe('lines', () => {
	it('break at a missing point', () => {
		// A lone point after a break is a segment of its own (d3 closes it: a dot drawn by the dots).
		expect(linePath([[0, 10], [5, 20], null, [15, 5], [20, 5]])).toBe('M0,10L5,20M15,5L20,5');
		expect(linePath([[0, 10], null, [15, 5]])).toBe('M0,10ZM15,5Z');
		expect(linePath([null])).toBe('');
	});
	it('as steps hold each value across its interval, joined where intervals touch', () => {
		const steps = stepPath([{ x0: 0, x1: 10, y: 5 }, { x0: 10, x1: 20, y: 8 }, null, { x0: 30, x1: 40, y: 2 }, { x0: 45, x1: 50, y: 2 }]);
		expect(steps).toBe('M0.0,5.0H10.0L10.0,8.0H20.0M30.0,2.0H40.0M45.0,2.0H50.0');
	});
});

describe('interval spans', () => {
	it('read keys as local wall-clock times and write them back alike', () => {
		const date = parseLocalKey('2008-05-12 14:28:00');
		expect([date.getFullYear(), date.getMonth(), date.getDate(), date.getHours(), date.getMinutes()]).toEqual([2008, 4, 12, 14, 28]);
		expect(formatLocalKey(date)).toBe('2008-05-12 14:28:00');
		expect(formatLocalKey(parseLocalKey('2008-05-12'))).toBe('2008-05-12 00:00:00');
		expect(Number.isNaN(+parseLocalKey('12/05/2008'))).toBe(true);
	});
	it('cover one bucket each, as the query buckets them', () => {
		const spans = intervalSpans([{ key: '2008-05-12 14:15:00' }, { key: '2008-05-12 23:45:00' }], bucketInterval(15));
		expect(spans.map((s) => formatLocalKey(s.end))).toEqual(['2008-05-12 14:30:00', '2008-05-13 00:00:00']);
		expect(formatLocalKey(bucketInterval(120).floor(parseLocalKey('2008-05-12 15:10:00')))).toBe('2008-05-12 14:00:00');
		expect(formatLocalKey(bucketInterval(1440).offset(parseLocalKey('2008-05-12'), 1))).toBe('2008-05-13 00:00:00');
		// A step line of the spans joins consecutive intervals: the end of one is the start of the next on the scale.
		const x = scaleTime().domain([spans[0]!.start, spans[1]!.end]).range([0, 100]);
		const hourly = intervalSpans([{ key: '2008-05-12 14:00:00' }, { key: '2008-05-12 15:00:00' }], timeHour);
		expect(x(hourly[0]!.end)).toBe(x(hourly[1]!.start));
	});
});

describe('a chart cursor', () => {
	const rect = (left: number, top: number, width: number, height: number) => () => ({ left, top, width, height, right: left + width, bottom: top + height });
	function chart(count: number, anchored = false) {
		const cursor = new ChartCursor({
			count: () => count,
			describe: (i) => [`item ${i}`, `value ${i * 10}`],
			anchor: anchored ? (i) => ({ x: 100 + i * 10, y: 80 }) : undefined
		});
		cursor.svg = { getBoundingClientRect: rect(0, 0, 400, 300), viewBox: { baseVal: { width: 400 } } } as unknown as SVGSVGElement;
		cursor.box = { getBoundingClientRect: rect(0, 0, 400, 300) } as unknown as HTMLDivElement;
		const focused: number[] = [];
		const marks = Array.from({ length: count }, (_, i) => ({ focus: () => focused.push(i), getBoundingClientRect: rect(100 + i * 30, 150, 20, 10) }));
		return { cursor, focused, marks };
	}
	const key = (k: string) => {
		let prevented = false;
		return { event: { key: k, preventDefault: () => (prevented = true) } as unknown as KeyboardEvent, prevented: () => prevented };
	};

	it('moves focus from mark to mark with the keys, and the tab stop and tip follow', () => {
		const { cursor, focused, marks } = chart(3);
		marks.forEach((m, i) => cursor.register(i, m as unknown as SVGElement));
		cursor.focus(0);
		expect(cursor.tip?.lines).toEqual(['item 0', 'value 0']);
		const right = key('ArrowRight');
		cursor.keydown(right.event);
		expect(right.prevented()).toBe(true);
		expect(focused).toEqual([1]);
		expect(cursor.stop).toBe(1);
		expect(cursor.active).toBe(1);
		// Over the mark's box: centred on it, above it.
		expect(cursor.tip).toMatchObject({ x: 140, y: 150, lines: ['item 1', 'value 10'] });
		cursor.keydown(key('End').event);
		expect(cursor.stop).toBe(2);
		const other = key('a');
		cursor.keydown(other.event);
		expect(other.prevented()).toBe(false);
	});

	it('hides the tip with Escape and keeps its place; the next key moves on from there', () => {
		const { cursor } = chart(4, true);
		cursor.focus(2);
		expect(cursor.tip).toMatchObject({ x: 120, y: 80 });
		const escape = key('Escape');
		cursor.keydown(escape.event);
		expect(escape.prevented()).toBe(true);
		expect(cursor.tip).toBeNull();
		expect(cursor.stop).toBe(2);
		// Nothing to hide: Escape is the page's (a dialog may close on it).
		const again = key('Escape');
		cursor.keydown(again.event);
		expect(again.prevented()).toBe(false);
		cursor.keydown(key('ArrowLeft').event);
		expect(cursor.active).toBe(1);
		expect(cursor.tip?.lines[0]).toBe('item 1');
	});

	it('forgets a mark that is gone, and shows nothing past the data', () => {
		const { cursor, focused, marks } = chart(2);
		const remove = cursor.register(1, marks[1] as unknown as SVGElement);
		remove();
		cursor.keydown(key('End').event);
		expect(focused).toEqual([]);
		cursor.show(5);
		expect(cursor.active).toBe(1);
	});
});
