import { staffingLoadQuery } from '../staffing-load';
import type { NamedViewSpec } from './spec';

/** The staffing section's load per interval of a day (a week is refused when the request is checked). */
export const staffingLoad: NamedViewSpec = {
	query: ({ settings, filter }, table, d) => {
		if (settings.interval === 'week') throw new Error('The staffing load is per interval of a day, not per week');
		return staffingLoadQuery(table, filter, settings.interval, d);
	}
};
