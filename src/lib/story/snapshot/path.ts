/** Where the build puts the story's per-filter answers (under static/, served at the app's base). */
export const FILTER_SNAPSHOT_PATH = 'snapshot/story-filters.json';
