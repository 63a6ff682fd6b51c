import type { FilterSchema } from '$lib/filters/filter';
import { labelsOf } from '$lib/filters/dimensions';
import { OUTCOMES } from './outcomes';

/** The story table (data/calls.csv): departments, its own outcome codes, no arrival filter. */
export const STORY_SCHEMA: FilterSchema = {
	columns: { queue: 'department', agent: 'agent', outcome: 'outcome' },
	outcomes: OUTCOMES,
	outcomeLabel: labelsOf(OUTCOMES, (outcome) => `outcome.${outcome}`),
	labels: { queue: 'filter.department' }
};
