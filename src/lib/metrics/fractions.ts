import type { ServiceRow, SlVariant } from './service';

/** A rate as the counts it is computed from: `num / den` (the rate is null when `den` is 0). */
export interface Fraction {
	num: number;
	den: number;
}

type Counts = Pick<ServiceRow, 'offered' | 'answered' | 'abandoned' | 'short_abandoned' | 'answered_within'>;
const n = (v: unknown) => Number(v ?? 0);

/** The service level's own fraction under the abandon treatment (as `service.ts` defines it). */
export function slFraction(row: Counts, variant: SlVariant): Fraction {
	const num = n(row.answered_within);
	switch (variant) {
		case 'count':
			return { num, den: n(row.offered) };
		case 'exclude':
			return { num, den: n(row.answered) };
		case 'exclude_short':
			return { num, den: n(row.offered) - n(row.short_abandoned) };
	}
}

/** The abandonment rate's own fraction: short abandons leave both counts under `exclude_short`. */
export function abandonFraction(row: Counts, variant: SlVariant): Fraction {
	if (variant === 'exclude_short') return { num: n(row.abandoned) - n(row.short_abandoned), den: n(row.offered) - n(row.short_abandoned) };
	return { num: n(row.abandoned), den: n(row.offered) };
}

/** Fewest calls a rate is computed from before it is shown as solid; a setting (URL `minn`). */
export const DEFAULT_MIN_SAMPLE = 30;

/** A rate from fewer than `min` calls: shown faded and marked, since one call moves it by over 3 points. */
export function isSmallSample(den: number | null | undefined, min: number): boolean {
	return den != null && den > 0 && den < min;
}

/** A share as a percentage for people to read in tables and CSV (the CSV keeps the share too). */
export function percentCell(share: number | null | undefined, digits = 1): number | null {
	return share == null || !Number.isFinite(Number(share)) ? null : Number((Number(share) * 100).toFixed(digits));
}
