import {
	bump,
	emptyResult,
	lines,
	numberOrNull,
	onWholeMinute,
	parseDateTime,
	secondsBetween,
	splitCsvLine,
	text,
	type RefCall,
	type RefResult
} from './common';

/**
 * FreeSWITCH mod_cdr_csv, default template: no header, one row per leg, columns
 *   caller_id_name, caller_id_number, destination_number, context, start_stamp,
 *   answer_stamp, end_stamp, duration, billsec, hangup_cause, uuid, bleg_uuid,
 *   accountcode, read_codec, write_codec
 * quoted; or, after a spreadsheet re-save, unquoted with times like `2020/2/10 22:41`.
 *
 * Rules (the product's documented rules, implemented exactly):
 * - Rows sharing a uuid are one row: the first by line is kept (merged.duplicate_id += the
 *   others).
 * - A row whose uuid is another row's bleg_uuid is that row's b-leg, merged into its call
 *   (merged.legs += 1).
 * - Each remaining a-leg is a call: queue = destination_number (null if empty);
 *   arrival = start_stamp; ended = max(end_stamp of a and b). With a b-leg row: answered iff
 *   b.answer_stamp non-empty, answer = b.answer_stamp, talk_s = b.billsec,
 *   agent = b.destination_number (the rule sets it whenever the b-leg row exists; talk_s is
 *   null when not answered). Without: answered iff a.answer_stamp non-empty,
 *   answer = a.answer_stamp, talk_s = a.billsec, agent null.
 * - wait_s = answer − arrival when answered, else the a-leg's duration.
 * - Not answered: abandoned when the a-leg's hangup_cause is ORIGINATOR_CANCEL or
 *   NORMAL_CLEARING, else unanswered.
 * - warnings.minute_precision = the number of calls when there are at least 5 non-empty time values and every
 *   one is on a whole minute (seconds 0).
 * - rowsRead = non-empty lines.
 */
const C = {
	destination: 2,
	start: 4,
	answer: 5,
	end: 6,
	duration: 7,
	billsec: 8,
	cause: 9,
	uuid: 10,
	bleg: 11
} as const;

interface Row {
	line: number;
	destination: string;
	start: Date;
	answer: Date | null;
	end: Date | null;
	duration: number | null;
	billsec: number | null;
	cause: string;
	uuid: string;
	bleg: string;
}

export function refFreeswitchCsv(input: string | Uint8Array): RefResult {
	const result = emptyResult();
	const rows: Row[] = [];
	let times = 0;
	let onMinute = 0;
	lines(text(input)).forEach((raw, i) => {
		if (raw.trim() === '') return;
		result.rowsRead++;
		const f = splitCsvLine(raw);
		if (f.length < 12) throw new Error(`reference: cdr_csv line ${i + 1} has ${f.length} fields`);
		for (const c of [C.start, C.answer, C.end]) {
			if (f[c]!.trim() === '') continue;
			times++;
			if (onWholeMinute(f[c]!)) onMinute++;
		}
		const start = parseDateTime(f[C.start]!);
		if (!start) throw new Error(`reference: cdr_csv line ${i + 1} has no start_stamp`);
		rows.push({
			line: i + 1,
			destination: f[C.destination]!,
			start,
			answer: parseDateTime(f[C.answer]!),
			end: parseDateTime(f[C.end]!),
			duration: numberOrNull(f[C.duration]),
			billsec: numberOrNull(f[C.billsec]),
			cause: f[C.cause]!.trim().toUpperCase(),
			uuid: f[C.uuid]!.trim(),
			bleg: f[C.bleg]!.trim()
		});
	});
	const minutePrecision = times >= 5 && onMinute === times;

	// One row per uuid: the first by line.
	const byUuid = new Map<string, Row>();
	const unique: Row[] = [];
	for (const row of rows) {
		if (byUuid.has(row.uuid)) {
			bump(result.merged, 'duplicate_id');
			continue;
		}
		byUuid.set(row.uuid, row);
		unique.push(row);
	}

	// b-legs: rows whose uuid is some other row's bleg_uuid (that row, the first by line, owns it).
	const owner = new Map<string, Row>();
	for (const row of unique) if (row.bleg !== '' && row.bleg !== row.uuid && byUuid.has(row.bleg) && !owner.has(row.bleg)) owner.set(row.bleg, row);
	const bOf = new Map<Row, Row>();
	for (const [bleg, a] of owner) bOf.set(a, byUuid.get(bleg)!);

	for (const a of unique) {
		if (owner.has(a.uuid)) {
			bump(result.merged, 'legs');
			continue;
		}
		const b = bOf.get(a);
		const leg = b ?? a;
		const ends = [a.end, b?.end].filter((d): d is Date => d != null).map((d) => d.getTime());
		const answered = leg.answer !== null;
		const call: RefCall = {
			id: a.uuid,
			queue: a.destination === '' ? null : a.destination,
			agent: b && b.destination !== '' ? b.destination : null,
			arrival: a.start,
			answer: answered ? leg.answer : null,
			ended: ends.length ? new Date(Math.max(...ends)) : null,
			wait_s: answered ? secondsBetween(a.start, leg.answer!) : a.duration,
			talk_s: answered ? leg.billsec : null,
			outcome: answered ? 'answered' : a.cause === 'ORIGINATOR_CANCEL' || a.cause === 'NORMAL_CLEARING' ? 'abandoned' : 'unanswered'
		};
		result.calls.push(call);
	}
	// A warning counts the calls it concerns: here every call.
	if (minutePrecision) result.warnings.minute_precision = result.calls.length;
	return result;
}
