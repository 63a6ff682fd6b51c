import type { IntervalField, IntervalRow } from '$lib/imports/intervals/fields';
import { INTERVAL_VENDORS, type IntervalLayoutId } from '$lib/imports/intervals/layouts';
import { generateCalls, type GeneratorOptions, type SyntheticCall } from './generate';

/**
 * Generated calls rolled into an ACD's interval report (`npm run generate -- --format intervals`):
 * one row per queue (department) per interval with calls, in the layout's documented names and
 * written forms. The truth is the rolled-up table (INTERVALS-CONTRACT.md) with exact sums, which
 * the import of the file must give (averages as written, so within their rounding).
 */
export const SL_THRESHOLD_S = 20;

/** The calls of an interval, by the contract's definitions (answered: answered or cut off in service). */
export function rollUp(calls: Iterable<SyntheticCall>, minutes: number, threshold = SL_THRESHOLD_S): IntervalRow[] {
	const rows = new Map<string, IntervalRow>();
	const length = minutes * 60;
	for (const c of calls) {
		const start = Math.floor(c.arrival / length) * length;
		const key = `${start}\u0000${c.department}`;
		let row = rows.get(key);
		if (!row) {
			row = {
				interval_start: new Date(start * 1000).toISOString().slice(0, 19).replace('T', ' '),
				interval_index: null,
				interval_minutes: minutes,
				queue: c.department,
				offered: 0,
				answered: 0,
				abandoned: 0,
				short_abandoned: null,
				sl_threshold_s: threshold,
				answered_within: 0,
				stated_sl: null,
				stated_sl_base: null,
				wait_s_sum: 0,
				talk_s_sum: 0,
				hold_s_sum: 0,
				wrap_s_sum: 0,
				handled: 0,
				handle_s_sum: 0,
				abandon_wait_s_sum: 0,
				staffed_s: null
			};
			rows.set(key, row);
		}
		row.offered++;
		if (c.outcome === 'abandoned') {
			row.abandoned++;
			row.abandon_wait_s_sum! += c.wait_s;
			continue;
		}
		const talk = c.talk_s ?? 0;
		const hold = c.hold_s ?? 0;
		const wrap = c.wrap_s ?? 0;
		row.answered++;
		row.handled!++;
		if (c.wait_s <= threshold) row.answered_within!++;
		row.wait_s_sum! += c.wait_s;
		row.talk_s_sum! += talk;
		row.hold_s_sum! += hold;
		row.wrap_s_sum! += wrap;
		row.handle_s_sum! += talk + hold + wrap;
	}
	return [...rows.values()].sort((a, b) =>
		a.interval_start! < b.interval_start! ? -1 : a.interval_start! > b.interval_start! ? 1 : a.queue < b.queue ? -1 : 1
	);
}

const pad = (n: number) => String(n).padStart(2, '0');
const clockText = (seconds: number) => {
	const s = Math.round(seconds);
	return `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
};
const average = (sum: number | null, weight: number | null) => (sum !== null && weight ? sum / weight : 0);

/** One cell of a row in the layout's written form. */
function cell(row: IntervalRow, field: IntervalField, layout: IntervalLayoutId, name: string): string {
	const vendor = INTERVAL_VENDORS[layout];
	const duration = (seconds: number) => (vendor.durations === 'clock' ? clockText(seconds) : seconds.toFixed(2));
	const [date, time] = row.interval_start!.split(' ') as [string, string];
	switch (field) {
		case 'start':
			return row.interval_start!;
		case 'date':
			return date;
		case 'time':
			return time.slice(0, 5);
		case 'queue':
			return row.queue;
		case 'offered':
			return String(row.offered);
		case 'answered':
			return String(row.answered);
		case 'abandoned':
			return String(row.abandoned);
		case 'asa':
			return duration(average(row.wait_s_sum, row.answered));
		case 'talk_avg':
			return duration(average(row.talk_s_sum, row.answered));
		case 'wrap_avg':
			return duration(average(row.wrap_s_sum, row.answered));
		case 'aht':
			return duration(average(row.handle_s_sum, row.handled));
		case 'abandon_wait_avg':
			return duration(average(row.abandon_wait_s_sum, row.abandoned));
		case 'sl_threshold':
			return String(row.sl_threshold_s);
		case 'sl_pct': {
			const base = vendor.slBase === 'answered' ? row.answered : row.offered;
			const share = base ? row.answered_within! / base : 0;
			return vendor.percent === 'sign' ? `${(share * 100).toFixed(2)}%` : vendor.percent === 'fraction' ? share.toFixed(6) : (share * 100).toFixed(2);
		}
		case 'unused':
			// The generic layout's average wait of all calls (answered and abandoned), and its answer rate.
			if (/wait/i.test(name)) return duration(average(row.wait_s_sum! + row.abandon_wait_s_sum!, row.offered));
			return row.offered ? `${((row.answered / row.offered) * 100).toFixed(2)}%` : '0.00%';
		default:
			return '';
	}
}

/** The report's lines (header first) and its truth, for the calls of `options`. */
export function intervalReport(options: GeneratorOptions, layout: IntervalLayoutId, minutes: number): { lines: string[]; truth: IntervalRow[] } {
	const vendor = INTERVAL_VENDORS[layout];
	const truth = rollUp(generateCalls(options), minutes);
	const quote = (text: string) => (text.includes(vendor.delimiter) || text.includes('"') ? `"${text.replace(/"/g, '""')}"` : text);
	const lines = [vendor.header.map(([name]) => quote(name)).join(vendor.delimiter)];
	for (const row of truth) lines.push(vendor.header.map(([name, field]) => quote(cell(row, field, layout, name))).join(vendor.delimiter));
	return { lines, truth };
}
