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

/** Same rows in the same order: counts and keys exactly, averages and ratios to 1e-9. */
export function expectSameRowsExactCounts(actual: Row[], expected: Row[]) {
	expect(actual.length).toBe(expected.length);
	expected.forEach((row, i) => {
		expect(Object.keys(actual[i]!).sort()).toEqual(Object.keys(row).sort());
		for (const [column, value] of Object.entries(row)) {
			const got = actual[i]![column];
			if (typeof value === 'number' && !Number.isInteger(value)) expect(got as number).toBeCloseTo(value, 9);
			else expect(got).toEqual(value);
		}
	});
}
