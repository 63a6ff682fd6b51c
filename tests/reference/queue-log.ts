import { bump, emptyResult, epochToWallClock, lines, numberOrNull, text, type RefCall, type RefOutcome, type RefResult } from './common';

/**
 * Asterisk queue_log: pipe-separated, no header,
 *   time|callid|queue|agent|event|data1|data2|data3|data4|data5
 * time in epoch seconds (shifted by `utcOffsetHours`, then read as wall-clock).
 *
 * Event data (Asterisk's queue_log documentation):
 *   ENTERQUEUE url|callerid · CONNECT holdtime|bridgedchanneluniqueid|ringtime
 *   COMPLETEAGENT / COMPLETECALLER holdtime|calltime|origposition
 *   ABANDON / EXITWITHTIMEOUT position|origposition|waittime
 *   TRANSFER / BLINDTRANSFER extension|context|holdtime|calltime|origposition
 *
 * Rules (the product's documented rules, implemented exactly):
 * - Ignore rows whose callid is NONE or empty, and events other than ENTERQUEUE, CONNECT,
 *   COMPLETEAGENT, COMPLETECALLER, ABANDON, EXITWITHTIMEOUT, EXITWITHKEY, EXITEMPTY,
 *   TRANSFER, BLINDTRANSFER, ATTENDEDTRANSFER.
 * - Per callid, events sorted by time then line. Each ENTERQUEUE starts a new call (a callid
 *   reused later is a new call); events before the callid's first ENTERQUEUE form a call of
 *   their own (warnings.no_enterqueue).
 * - queue = queue of the call's first event; arrival = its ENTERQUEUE time (or first event);
 *   answer = first CONNECT time; agent = agent of the last CONNECT / COMPLETE* / transfer
 *   event; ended = time of the last event.
 * - Terminal events: COMPLETEAGENT, COMPLETECALLER, ABANDON, EXITWITHTIMEOUT, EXITWITHKEY,
 *   EXITEMPTY, TRANSFER, BLINDTRANSFER, ATTENDEDTRANSFER. No terminal event = in progress
 *   when the log ends: with a CONNECT kept as answered, talk_s null
 *   (warnings.in_progress_answered); without, left out (excluded.in_progress_waiting).
 * - outcome: CONNECT → answered; else ABANDON → abandoned; else EXITWITHTIMEOUT /
 *   EXITWITHKEY / EXITEMPTY → unanswered; else other.
 * - wait_s = CONNECT's data1 (holdtime), else ABANDON / EXITWITHTIMEOUT's data3 (waittime),
 *   else COMPLETE*'s data1; talk_s = COMPLETE*'s data2, else a transfer event's data4.
 *   (Where a call has several such events: the first CONNECT, the last of the others.)
 * - rowsRead = all lines of the file.
 */
const KEPT = new Set([
	'ENTERQUEUE',
	'CONNECT',
	'COMPLETEAGENT',
	'COMPLETECALLER',
	'ABANDON',
	'EXITWITHTIMEOUT',
	'EXITWITHKEY',
	'EXITEMPTY',
	'TRANSFER',
	'BLINDTRANSFER',
	'ATTENDEDTRANSFER'
]);
const COMPLETE = new Set(['COMPLETEAGENT', 'COMPLETECALLER']);
const TRANSFERS = new Set(['TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER']);
const EXITS = new Set(['EXITWITHTIMEOUT', 'EXITWITHKEY', 'EXITEMPTY']);
const TERMINAL = new Set([...COMPLETE, 'ABANDON', ...EXITS, ...TRANSFERS]);

interface QEvent {
	line: number;
	time: number;
	callid: string;
	queue: string;
	agent: string;
	event: string;
	data: string[];
}

export function refQueueLog(input: string | Uint8Array, { utcOffsetHours = 0 }: { utcOffsetHours?: number } = {}): RefResult {
	const result = emptyResult();
	const all = lines(text(input));
	result.rowsRead = all.length;

	const byCallid = new Map<string, QEvent[]>();
	all.forEach((raw, i) => {
		const f = raw.split('|');
		const callid = (f[1] ?? '').trim();
		const event = (f[4] ?? '').trim().toUpperCase();
		if (callid === '' || callid === 'NONE' || !KEPT.has(event)) return;
		const e: QEvent = {
			line: i + 1,
			time: epochToWallClock(f[0]!, utcOffsetHours).getTime(),
			callid,
			queue: (f[2] ?? '').trim(),
			agent: (f[3] ?? '').trim(),
			event,
			data: f.slice(5)
		};
		const list = byCallid.get(callid);
		if (list) list.push(e);
		else byCallid.set(callid, [e]);
	});

	const groups: QEvent[][] = [];
	for (const events of byCallid.values()) {
		events.sort((a, b) => a.time - b.time || a.line - b.line);
		let current: QEvent[] = [];
		for (const e of events) {
			if (e.event === 'ENTERQUEUE' && current.length > 0) {
				groups.push(current);
				current = [];
			}
			current.push(e);
		}
		if (current.length > 0) groups.push(current);
	}
	// In order of each call's first line, so the calls come out in file order.
	groups.sort((a, b) => a[0]!.line - b[0]!.line);

	const last = <T>(xs: T[]): T | undefined => xs[xs.length - 1];
	for (const events of groups) {
		const first = events[0]!;
		const enter = events.find((e) => e.event === 'ENTERQUEUE');
		if (!enter) bump(result.warnings, 'no_enterqueue');
		const connect = events.find((e) => e.event === 'CONNECT');
		const terminal = events.some((e) => TERMINAL.has(e.event));
		if (!terminal && !connect) {
			bump(result.excluded, 'in_progress_waiting');
			continue;
		}
		if (!terminal) bump(result.warnings, 'in_progress_answered');

		const of = (names: Set<string>) => events.filter((e) => names.has(e.event));
		const complete = last(of(COMPLETE));
		const transfer = last(of(TRANSFERS));
		const waitEvent = last(of(new Set(['ABANDON', 'EXITWITHTIMEOUT'])));
		const agentEvent = last(events.filter((e) => e.event === 'CONNECT' || COMPLETE.has(e.event) || TRANSFERS.has(e.event)));

		let outcome: RefOutcome = 'other';
		if (connect) outcome = 'answered';
		else if (events.some((e) => e.event === 'ABANDON')) outcome = 'abandoned';
		else if (events.some((e) => EXITS.has(e.event))) outcome = 'unanswered';

		const wait_s = connect ? numberOrNull(connect.data[0]) : waitEvent ? numberOrNull(waitEvent.data[2]) : complete ? numberOrNull(complete.data[0]) : null;
		const talk_s = !terminal ? null : complete ? numberOrNull(complete.data[1]) : transfer ? numberOrNull(transfer.data[3]) : null;
		const agent = agentEvent && agentEvent.agent !== '' && agentEvent.agent !== 'NONE' ? agentEvent.agent : null;

		const call: RefCall = {
			id: first.callid,
			queue: first.queue === '' || first.queue === 'NONE' ? null : first.queue,
			agent,
			arrival: new Date((enter ?? first).time),
			answer: connect ? new Date(connect.time) : null,
			ended: new Date(last(events)!.time),
			wait_s,
			talk_s,
			outcome
		};
		result.calls.push(call);
	}
	return result;
}
