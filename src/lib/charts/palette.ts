/** Outcome colours: Okabe–Ito hues, distinguishable with the common colour-vision deficiencies. */
export const OUTCOME_COLORS: Record<string, string> = {
	completed: '#009E73',
	ended_by_customer: '#E69F00',
	interrupted_by_evacuation: '#D55E00',
	callback_advised: '#0072B2',
	unknown: '#9AA5B1'
};

export const INK = '#1f2933';
export const MUTED = '#616e7c';
export const GRID = '#e4e7eb';
export const ONSET_COLOR = '#c81e1e';

export function outcomeColor(outcome: string): string {
	return OUTCOME_COLORS[outcome] ?? OUTCOME_COLORS.unknown!;
}

/** Agent states (Okabe–Ito hues): ready in green, on a call in blue, wrap-up lighter blue, paused orange, ringing yellow. */
export const AGENT_STATE_COLORS = {
	available: '#009E73',
	ringing: '#F0E442',
	on_call: '#0072B2',
	wrap_up: '#56B4E9',
	paused: '#E69F00',
	logged_out: '#ffffff'
} as const;
