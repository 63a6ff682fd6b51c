import { building } from '$app/environment';
import { goto } from '$app/navigation';
import { page } from '$app/state';
import { parseFilter, serializeFilter, type Filter, type FilterSchema } from './filter';

/** The filter lives in the URL only: reading it parses the query string. */
export function currentFilter(schema: FilterSchema): Filter {
	// Prerendering has no query string (and may not read it): the unfiltered view.
	return parseFilter(building ? new URLSearchParams() : page.url.searchParams, schema);
}

/** Changing a filter is a navigation, so links, reload and Back keep the view. */
export function setFilter(next: Filter, schema: FilterSchema): Promise<void> {
	const params = serializeFilter(next, schema, page.url.searchParams);
	const query = params.toString();
	return goto(query ? `?${query}` : page.url.pathname, {
		keepFocus: true,
		noScroll: true
	});
}
