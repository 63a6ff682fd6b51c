// The live state is shared with the page that watches a local file: it lives in `$lib/live`.
export * from '$lib/live/live-state';
