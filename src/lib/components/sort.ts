export type SortDirection = 'ascending' | 'descending';
export interface SortState<K extends string> {
	key: K;
	direction: SortDirection;
}

/** Sorts a copy; missing values always go last, whichever the direction. */
export function sortRows<T>(rows: readonly T[], value: (row: T) => string | number | null | undefined, direction: SortDirection): T[] {
	const sign = direction === 'ascending' ? 1 : -1;
	return [...rows].sort((a, b) => {
		const va = value(a);
		const vb = value(b);
		if (va == null || vb == null) return va == null ? (vb == null ? 0 : 1) : -1;
		if (typeof va === 'number' && typeof vb === 'number') return sign * (va - vb);
		return sign * String(va).localeCompare(String(vb), 'zh-CN');
	});
}
