const TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/;

/** 'YYYY-MM-DD HH:MM[:SS]' or a datetime-local value ('…T…') → 'YYYY-MM-DD HH:MM:SS', else null. */
export function normaliseTime(value: string | null): string | null {
	const v = value?.replace('T', ' ').trim();
	if (!v || !TIME.test(v)) return null;
	return v.length === 16 ? `${v}:00` : v;
}

/** 'YYYY-MM-DD HH:MM:SS' → the value of a `datetime-local` input (to the minute). */
export function toTimeInput(value: string | null): string {
	return value ? value.slice(0, 16).replace(' ', 'T') : '';
}
