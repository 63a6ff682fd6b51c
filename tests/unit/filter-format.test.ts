import { describe, expect, it } from 'vitest';
import { formatClock, formatDuration, formatPercent } from '$lib/i18n/format';
import { sortRows } from '$lib/components/sort';
import { layoutLegend } from '$lib/charts/legend';

describe('locale formatting', () => {
	it('formats durations per locale', () => {
		expect(formatDuration(213, 'zh-CN')).toBe('3分33秒');
		expect(formatDuration(213, 'en')).toBe('3 min 33 s');
		expect(formatDuration(840, 'zh-CN')).toBe('14分钟');
		expect(formatDuration(840, 'en')).toBe('14 min');
		expect(formatDuration(23, 'zh-CN')).toBe('23秒');
		expect(formatDuration(null, 'en', 'n/a')).toBe('n/a');
	});

	it('formats shares and clock times', () => {
		expect(formatPercent(2 / 3, 'zh-CN')).toBe('67%');
		expect(formatPercent(null, 'en')).toBe('—');
		expect(formatClock(213)).toBe('14:31:33');
		expect(formatClock(-23)).toBe('14:27:37');
		expect(formatClock(840, '14:28:00', false)).toBe('14:42');
	});
});

describe('table sorting and legend layout', () => {
	it('sorts numbers and text, with missing values last both ways', () => {
		const rows = [{ v: 120 }, { v: null }, { v: 213 }, { v: 132 }];
		expect(sortRows(rows, (r) => r.v, 'ascending').map((r) => r.v)).toEqual([120, 132, 213, null]);
		expect(sortRows(rows, (r) => r.v, 'descending').map((r) => r.v)).toEqual([213, 132, 120, null]);
	});

	it('wraps legend items into rows within the width', () => {
		const items = ['办理完毕', '客户要求挂断', '因撤离中断', '请客户稍后致电'].map((label) => ({ key: label, label, color: '#000' }));
		const wide = layoutLegend(items, 1000);
		expect(wide.height).toBe(18);
		const narrow = layoutLegend(items, 150);
		expect(narrow.height).toBeGreaterThan(18);
		for (const item of narrow.items) expect(item.x).toBeLessThan(150);
	});
});

describe('axis ticks', () => {
	it('widens the step until labels fit', async () => {
		const { spacedTicks, TIME_STEPS } = await import('$lib/charts/ticks');
		expect(spacedTicks(0, 240, TIME_STEPS, 800, 40)).toEqual([0, 30, 60, 90, 120, 150, 180, 210, 240]);
		expect(spacedTicks(0, 240, TIME_STEPS, 200, 40)).toEqual([0, 60, 120, 180, 240]);
		expect(spacedTicks(-120, 900, [60, 120, 300], 500, 44)).toEqual([-120, 0, 120, 240, 360, 480, 600, 720, 840]);
		expect(spacedTicks(-120, 900, [60, 120, 300], 300, 44)).toEqual([0, 300, 600, 900]);
	});
});
