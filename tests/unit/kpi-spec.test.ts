import { describe, expect, it } from 'vitest';
import { kpiValue } from '$lib/components/kpi-spec';

describe('a key-figure card’s value, from its spec', () => {
	it('is "…" until answered, in either language and any format', () => {
		for (const format of ['count', 'percent', 'duration', 'text'] as const) {
			expect(kpiValue({ value: undefined, format }, 'zh-CN')).toBe('…');
			expect(kpiValue({ value: undefined, format }, 'en')).toBe('…');
		}
	});

	it('writes each format in the page’s language; a figure the data cannot give is "—"', () => {
		expect(kpiValue({ value: 1234, format: 'count' }, 'en')).toBe('1,234');
		// Engines may answer a count as text (a 64-bit integer): it is read as a number.
		expect(kpiValue({ value: '107', format: 'count' }, 'zh-CN')).toBe('107');
		expect(kpiValue({ value: 0.3, format: 'percent' }, 'en')).toBe('30%');
		expect(kpiValue({ value: 225, format: 'duration' }, 'zh-CN')).toBe('3分45秒');
		expect(kpiValue({ value: 225, format: 'duration' }, 'en')).toBe('3 min 45 s');
		expect(kpiValue({ value: null, format: 'percent' }, 'en')).toBe('—');
		expect(kpiValue({ value: null, format: 'text' }, 'zh-CN')).toBe('—');
		expect(kpiValue({ value: '> 200', format: 'text' }, 'en')).toBe('> 200');
	});
});
