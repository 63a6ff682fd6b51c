import type { IntervalDetection } from './detect';
import { INTERVAL_FIELDS, type IntervalColumn, type IntervalField } from './fields';
import { thresholdFromName } from './values';

/** Interval fields a user maps by hand (`--map offered="Calls In"`), where the names are not recognised. */
export type IntervalMapping = Partial<Record<IntervalField, string>>;

/** Fields only an interval report has: a mapping naming one of them is an interval mapping. */
export const INTERVAL_ONLY_FIELDS: IntervalField[] = INTERVAL_FIELDS.filter((f) => !['date', 'time', 'queue', 'start', 'index'].includes(f));

export function isIntervalField(name: string): name is IntervalField {
	return (INTERVAL_FIELDS as string[]).includes(name);
}

/**
 * The detection a mapping gives: each mapped column read as its field (a service level's T from
 * its name, as for recognised files). A mapped column the file does not have is named.
 */
export function mappedIntervals(columns: string[], mapping: IntervalMapping): IntervalDetection | { missing: string; field: IntervalField } {
	const found: IntervalColumn[] = [];
	for (const [field, column] of Object.entries(mapping) as [IntervalField, string][]) {
		const index = columns.indexOf(column);
		if (index < 0) return { missing: column, field };
		const threshold = field === 'sl_pct' || field === 'answered_within' ? thresholdFromName(column) : null;
		found.push({ column, index, field, ...(threshold !== null ? { threshold } : {}) });
	}
	const threshold = found.find((c) => c.threshold !== undefined)?.threshold ?? null;
	return { layout: 'generic', columns: found, slBase: null, threshold };
}

/** A hand mapping can import: offered or answered calls mapped. */
export function intervalMappingReady(mapping: IntervalMapping): boolean {
	return Boolean(mapping.offered || mapping.answered);
}
