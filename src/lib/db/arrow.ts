import type { Row } from './types';

interface ArrowLike {
	toArray(): Array<{ toJSON(): Record<string, unknown> }>;
}

/**
 * Arrow results to plain rows. BIGINT columns arrive as `bigint`, which neither
 * JSON nor d3 accept; counts and seconds here are far below 2^53, so `Number` is exact.
 */
export function arrowToRows<T extends Row>(table: ArrowLike): T[] {
	return table.toArray().map((record) => {
		const row = record.toJSON();
		for (const key of Object.keys(row)) {
			const value = row[key];
			if (typeof value === 'bigint') row[key] = Number(value);
		}
		return row as T;
	});
}
