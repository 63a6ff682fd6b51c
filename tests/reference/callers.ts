/**
 * Independent reference for callers' numbers: the masking rule, the call-back list and the
 * repeat-caller rates, written from docs/metrics.md ("Callers to call back") call by call, in
 * plain TypeScript. It imports nothing from `src/`.
 */

export interface RefCallerCall {
	caller: string | null;
	/** 'YYYY-MM-DD HH:MM:SS' */
	arrival: string;
	queue: string | null;
	outcome: 'answered' | 'interrupted' | 'abandoned' | 'unanswered' | 'other';
	wait_s: number | null;
	callback_at: string | null;
	source_line: number;
}

export interface RefCallback {
	caller: string;
	arrival: string;
	queue: string | null;
	wait_s: number | null;
	later_calls: number;
	next_call: string | null;
	got_through: string | null;
	called_back: string | null;
	resolved: number;
}

const ms = (time: string) => Date.parse(`${time.replace(' ', 'T')}Z`);

/** The documented mask: under 7 digits as written; else '+' if it led, the first 3 digits of 11 or more (n − 8 of 9 or 10), stars, the last 4. */
export function refMask(value: string | null): string | null {
	if (value === null) return null;
	let digits = '';
	for (const ch of value) if (ch >= '0' && ch <= '9') digits += ch;
	if (digits.length < 7) return value;
	let kept = 0;
	if (digits.length >= 11) kept = 3;
	else if (digits.length === 10) kept = 2;
	else if (digits.length === 9) kept = 1;
	let out = value.replace(/^ +/, '').startsWith('+') ? '+' : '';
	out += digits.slice(0, kept);
	for (let i = kept; i < digits.length - 4; i++) out += '*';
	return out + digits.slice(digits.length - 4);
}

/** A caller's number as its digits: none for a caller with a letter, or with fewer than 3 digits. */
export function refNumber(caller: string | null): string | null {
	if (caller === null || /[A-Za-z]/.test(caller)) return null;
	const digits = caller.replace(/[^0-9]/g, '');
	return digits.length >= 3 ? digits : null;
}

/** The call-back list over `calls` (the abandoned ones `chosen` picks), window `hours`. */
export function refCallbacks(calls: RefCallerCall[], chosen: (c: RefCallerCall) => boolean, hours = 24, unmask = false, limit = 5000): RefCallback[] {
	const windowMs = hours * 3_600_000;
	const rows: (RefCallback & { at: number })[] = [];
	for (const call of calls) {
		const number = refNumber(call.caller);
		if (call.outcome !== 'abandoned' || number === null || !chosen(call)) continue;
		const at = ms(call.arrival);
		const later = calls.filter((other) => {
			if (refNumber(other.caller) !== number) return false;
			const t = ms(other.arrival);
			return t > at && t <= at + windowMs;
		});
		const first = (list: RefCallerCall[]) => (list.length ? list.map((c) => c.arrival).sort()[0]! : null);
		const through = first(later.filter((c) => c.outcome === 'answered' || c.outcome === 'interrupted'));
		const back = call.callback_at !== null && ms(call.callback_at) >= at && ms(call.callback_at) <= at + windowMs ? call.callback_at : null;
		rows.push({
			caller: unmask ? call.caller! : refMask(call.caller)!,
			arrival: call.arrival,
			queue: call.queue,
			wait_s: call.wait_s,
			later_calls: later.length,
			next_call: first(later),
			got_through: through,
			called_back: back,
			resolved: through !== null || back !== null ? 1 : 0,
			at
		});
	}
	rows.sort((a, b) => a.resolved - b.resolved || a.at - b.at || (a.caller < b.caller ? -1 : a.caller > b.caller ? 1 : 0));
	return rows.slice(0, limit).map(({ at: _, ...row }) => row);
}

/** The repeat-caller counts over the calls `chosen` picks (later calls looked for among all). */
export function refRepeatCallers(calls: RefCallerCall[], chosen: (c: RefCallerCall) => boolean) {
	const counted = calls.filter(chosen);
	const repeatedWithin = (hours: number) =>
		counted.filter((call) => {
			const number = refNumber(call.caller);
			if (number === null) return false;
			const at = ms(call.arrival);
			return calls.some((other) => refNumber(other.caller) === number && ms(other.arrival) > at && ms(other.arrival) <= at + hours * 3_600_000);
		}).length;
	const withNumber = counted.filter((c) => refNumber(c.caller) !== null).length;
	const r24 = repeatedWithin(24);
	const r7 = repeatedWithin(24 * 7);
	return {
		calls: counted.length,
		with_number: withNumber,
		repeated_24h: r24,
		repeated_7d: r7,
		repeat_rate_24h: withNumber ? r24 / withNumber : null,
		repeat_rate_7d: withNumber ? r7 / withNumber : null
	};
}
