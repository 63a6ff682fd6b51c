import { pushState } from '$app/navigation';
import { page } from '$app/state';

/**
 * The page's address, where its filters and settings live. A change of them is a history
 * entry (links, reload, Back and Forward keep the view) but not a navigation: SvelteKit's
 * navigation re-runs the router and reads the scroll position, which forces a layout before
 * the charts change (profiled at 1,000,000 calls: about 14 ms of routing and 10 ms of forced
 * layout per change; on a cold visit the layout the web font left pending, 61–77 ms). Shallow
 * routing (`pushState`) keeps SvelteKit's history in step, but leaves `page.url` at the last
 * navigation's address: the pages read `address()` instead.
 */
let moved = $state.raw<{ url: URL; over: URL } | null>(null);

/** The address the page shows: the last change made here, unless a navigation came since. */
export function address(): URL {
	const over = page.url;
	return moved && moved.over === over ? moved.url : over;
}

/** Puts `query` (without `?`) in the address, as a new history entry. */
export function moveTo(query: string): void {
	const url = new URL(location.href);
	url.search = query;
	url.hash = '';
	if (url.href === location.href) return;
	listen();
	pushState(url, {});
	moved = { url, over: page.url };
}

/**
 * After a navigation, and after Back or Forward: the browser's address is the truth. SvelteKit
 * restores an entry made here with the address of the navigation before it, so the entry's own
 * address is taken from `location`. While another page is still shown (Back to an entry of
 * another page), nothing changes: the navigation that follows calls this again.
 */
export function syncAddress(): void {
	// First called as the app mounts, before SvelteKit's router listens: listen a task later.
	if (!listening) setTimeout(listen);
	const same = location.pathname === page.url.pathname;
	moved = !same || location.href === page.url.href ? null : { url: new URL(location.href), over: page.url };
}

let listening = false;
/**
 * Listens for Back and Forward once SvelteKit's router does, so that its listener runs first
 * (it sets `page.url` for an entry made here, which this one then corrects).
 */
function listen() {
	if (listening) return;
	listening = true;
	addEventListener('popstate', syncAddress);
}
