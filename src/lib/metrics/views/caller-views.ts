import { callbacksQuery, DEFAULT_CALLBACK_HOURS, repeatCallersQuery } from '../callers';
import type { NamedViewSpec } from './spec';

/** The abandoned callers to call back, numbers masked unless the request may and asks to see them. */
export const callbacks: NamedViewSpec = {
	query: ({ settings, filter }, table, d) =>
		callbacksQuery(table, filter, { hours: settings.callbackHours ?? DEFAULT_CALLBACK_HOURS, unmask: settings.unmask === true }, d)
};

/** The repeat-caller rates (one row). */
export const repeatCallers: NamedViewSpec = {
	query: ({ filter }, table, d) => repeatCallersQuery(table, filter, d)
};
