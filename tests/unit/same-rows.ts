import { expect } from 'vitest';
import type { Row } from '$lib/engine/types';

/** Same rows, numbers within a small relative tolerance (sums of doubles add up in another order). */
export function expectSameRows(actual: Row[], expected: Row[], what: string) {
	expect(actual.length, what).toBe(expected.length);
	expected.forEach((row, i) => {
		const other = actual[i]!;
		expect(Object.keys(other).sort(), what).toEqual(Object.keys(row).sort());
		for (const [key, value] of Object.entries(row)) {
			const got = other[key];
			if (typeof value === 'number' && typeof got === 'number')
				expect(Math.abs(got - value), `${what} row ${i} ${key}: ${got} vs ${value}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(value)));
			else expect(got, `${what} row ${i} ${key}`).toEqual(value);
		}
	});
}
