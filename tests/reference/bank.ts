import { bump, emptyResult, lines, text, type RefCall, type RefResult } from './common';

/**
 * Bank call-center research layout (the Technion SEE "Anonymous Bank" data): tab-separated,
 * one header row
 *   vru+line call_id customer_id priority type date vru_entry vru_exit vru_time
 *   q_start q_exit q_time outcome ser_start ser_exit ser_time server
 * date YYMMDD (→ 19YY), times H:MM:SS, `0:00:00` = none, one row per call.
 *
 * Rules (the product's documented rules, implemented exactly):
 * - outcome PHANTOM: not a real call, left out (excluded.phantom).
 * - A call is identified by `vru+line` and `call_id` together ("AA0101/34536"): call_id alone
 *   repeats across lines.
 * - at(col) = date + time, or null for '0:00:00'; a time more than 12 h earlier than the row's vru_entry
 *   is after midnight, on the next day.
 * - arrival = at(q_start) ?? at(ser_start) ?? at(vru_exit); queue = type;
 *   agent = server when outcome AGENT and server ≠ 'NO_SERVER', else null.
 * - AGENT → answered: answer = at(ser_start), ended = at(ser_exit), talk_s = ser_time.
 *   HANG with q_time > 0 → abandoned; anything else → other. Not answered: answer null,
 *   ended = at(q_exit) ?? at(vru_exit), talk_s null.
 * - wait_s = q_time (0 when empty).
 * - Clock skew: answer before arrival by at most `clockSkewS` (5 s) → answer := arrival
 *   (repaired.clock_skew; wait_s stays q_time, never below 0). More than that, the row is
 *   bad: skipped (skipped.answer_before_arrival), as the app does by default.
 * - rowsRead = data rows (the header is not a row).
 */
export const BANK_COLUMNS = [
	'vru+line',
	'call_id',
	'customer_id',
	'priority',
	'type',
	'date',
	'vru_entry',
	'vru_exit',
	'vru_time',
	'q_start',
	'q_exit',
	'q_time',
	'outcome',
	'ser_start',
	'ser_exit',
	'ser_time',
	'server'
] as const;
type BankColumn = (typeof BANK_COLUMNS)[number];

export function refBank(input: string | Uint8Array, { clockSkewS = 5 }: { clockSkewS?: number } = {}): RefResult {
	const result = emptyResult();
	const all = lines(text(input));
	const header = (all[0] ?? '').split('\t').map((h) => h.trim());
	const index = new Map(header.map((h, i) => [h, i]));
	for (const c of BANK_COLUMNS) if (!index.has(c)) throw new Error(`reference: bank header lacks ${c}`);

	for (let n = 1; n < all.length; n++) {
		const line = all[n]!;
		if (line.trim() === '') continue;
		result.rowsRead++;
		const cells = line.split('\t');
		const get = (c: BankColumn) => (cells[index.get(c)!] ?? '').trim();

		const outcomeText = get('outcome');
		if (outcomeText === 'PHANTOM') {
			bump(result.excluded, 'phantom');
			continue;
		}

		const day = get('date');
		if (!/^\d{6}$/.test(day)) throw new Error(`reference: bank line ${n + 1}: date ${JSON.stringify(day)}`);
		const year = 1900 + Number(day.slice(0, 2));
		const month = Number(day.slice(2, 4));
		const dom = Number(day.slice(4, 6));
		const clock = (c: BankColumn): number | null => {
			const t = get(c);
			if (t === '' || t === '0:00:00') return null;
			const m = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(t);
			if (!m) throw new Error(`reference: bank line ${n + 1}: ${c} ${JSON.stringify(t)}`);
			return (Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3]);
		};
		// A time of day more than 12 h earlier than the call's VRU entry is after midnight: the next day.
		const entry = clock('vru_entry');
		const at = (c: BankColumn): Date | null => {
			const s = clock(c);
			if (s === null) return null;
			const next = entry !== null && entry - s > 43_200 ? 86_400 : 0;
			return new Date(Date.UTC(year, month - 1, dom) + (s + next) * 1000);
		};
		const num = (c: BankColumn): number => {
			const t = get(c);
			return t === '' ? 0 : Number(t);
		};

		const arrival = at('q_start') ?? at('ser_start') ?? at('vru_exit');
		if (!arrival) throw new Error(`reference: bank line ${n + 1}: no arrival`);
		const qTime = num('q_time');
		const server = get('server');

		let call: RefCall;
		if (outcomeText === 'AGENT') {
			let answer = at('ser_start');
			if (answer && answer.getTime() < arrival.getTime()) {
				const early = (arrival.getTime() - answer.getTime()) / 1000;
				if (early <= clockSkewS) {
					answer = arrival;
					bump(result.repaired, 'clock_skew');
				} else {
					// Beyond the tolerance the row is bad: skipped by default and reported.
					bump(result.skipped, 'answer_before_arrival');
					continue;
				}
			}
			call = {
				id: `${get('vru+line')}/${get('call_id')}`,
				queue: get('type') || null,
				agent: server !== '' && server !== 'NO_SERVER' ? server : null,
				arrival,
				answer,
				ended: at('ser_exit'),
				wait_s: Math.max(0, qTime),
				talk_s: num('ser_time'),
				outcome: 'answered'
			};
		} else {
			call = {
				id: `${get('vru+line')}/${get('call_id')}`,
				queue: get('type') || null,
				agent: null,
				arrival,
				answer: null,
				ended: at('q_exit') ?? at('vru_exit'),
				wait_s: Math.max(0, qTime),
				talk_s: null,
				outcome: outcomeText === 'HANG' && qTime > 0 ? 'abandoned' : 'other'
			};
		}
		result.calls.push(call);
	}
	return result;
}
