import { building } from '$app/environment';
import { address, moveTo } from './address.svelte';
import { parseFilter, serializeFilter, type Filter, type FilterSchema } from './filter';

/** The filter lives in the URL only: reading it parses the query string. */
export function currentFilter(schema: FilterSchema): Filter {
	// Prerendering has no query string (and may not read it): the unfiltered view.
	return parseFilter(building ? new URLSearchParams() : address().searchParams, schema);
}

/** Changing a filter is a history entry, so links, reload and Back keep the view. */
export function setFilter(next: Filter, schema: FilterSchema): void {
	moveTo(serializeFilter(next, schema, address().searchParams).toString());
}
