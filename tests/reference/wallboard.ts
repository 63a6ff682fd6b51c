import { refQueueLog } from './queue-log';

/**
 * Independent reference for the wallboard, from the queue_log lines written up to `now`
 * (plain TypeScript; imports nothing from src/):
 *
 * - waiting: calls whose latest ENTERQUEUE has no later CONNECT, ABANDON, EXIT* or end event;
 *   the longest wait starts at the earliest such ENTERQUEUE.
 * - the day's calls as queue_log imports them (reference/queue-log.ts), and per queue and
 *   window of arrivals (since midnight, the last 60 and 15 minutes):
 *   offered = answered + abandoned + unanswered; service level = answered within T ÷ offered;
 *   abandon rate = abandoned ÷ offered (null without offered calls); ASA = mean wait of the
 *   answered; AHT = mean talk of the answered whose talk is known.
 * - agents per queue: members (ADDMEMBER, not REMOVEMEMBER since) that are on a call (CONNECT
 *   without its end), else paused (PAUSE / PAUSEALL open), else available. (These logs have no
 *   ring times beyond the CONNECT's, and no wrap-up.)
 */
export interface RefWindow {
	offered: number;
	answered: number;
	abandoned: number;
	serviceLevel: number | null;
	abandonRate: number | null;
}

export interface RefQueue {
	waiting: number;
	longestSince: number | null;
	today: RefWindow;
	last60: RefWindow;
	last15: RefWindow;
	asaS: number | null;
	ahtS: number | null;
	agents: { available: number; onCall: number; paused: number };
}

const ENDS_WAIT = [
	'CONNECT',
	'ABANDON',
	'EXITWITHTIMEOUT',
	'EXITWITHKEY',
	'EXITEMPTY',
	'COMPLETEAGENT',
	'COMPLETECALLER',
	'TRANSFER',
	'BLINDTRANSFER',
	'ATTENDEDTRANSFER'
];
const ENDS_CALL = ['COMPLETEAGENT', 'COMPLETECALLER', 'TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER'];

export function refWallboard(lines: string[], now: number, thresholdS: (queue: string) => number): Map<string, RefQueue> {
	const written = lines.filter((l) => Number(l.split('|')[0]) <= now);
	const dayStart = Math.floor(now / 86_400) * 86_400;
	const waiting = new Map<string, { queue: string; since: number }>();
	const members = new Map<string, Set<string>>();
	const paused = new Set<string>();
	const talking = new Map<string, Set<string>>();
	const queues = new Set<string>();
	for (const line of written) {
		const [time, callid, queue, agent, event, ...data] = line.split('|') as [string, string, string, string, string, ...string[]];
		const t = Number(time);
		if (t < dayStart) continue;
		if (queue && queue !== 'NONE') queues.add(queue);
		if (event === 'ENTERQUEUE') waiting.set(callid, { queue, since: t });
		if (ENDS_WAIT.includes(event)) waiting.delete(callid);
		if (event === 'ADDMEMBER') (members.get(agent) ?? members.set(agent, new Set()).get(agent)!).add(queue);
		if (event === 'REMOVEMEMBER') members.get(agent)?.delete(queue);
		if (event === 'PAUSEALL' || event === 'PAUSE') paused.add(agent);
		if (event === 'UNPAUSEALL' || event === 'UNPAUSE') paused.delete(agent);
		if (event === 'CONNECT') (talking.get(agent) ?? talking.set(agent, new Set()).get(agent)!).add(callid);
		if (ENDS_CALL.includes(event)) for (const calls of talking.values()) calls.delete(callid);
		void data;
	}
	const calls = refQueueLog(written.join('\n') + '\n').calls.filter((c) => c.arrival.getTime() / 1000 >= dayStart);
	const out = new Map<string, RefQueue>();
	for (const queue of [...queues].sort()) {
		const own = calls.filter((c) => c.queue === queue);
		const T = thresholdS(queue);
		const window = (from: number): RefWindow => {
			const inside = own.filter((c) => c.arrival.getTime() / 1000 >= from);
			const answered = inside.filter((c) => c.outcome === 'answered');
			const abandoned = inside.filter((c) => c.outcome === 'abandoned').length;
			const offered = answered.length + abandoned + inside.filter((c) => c.outcome === 'unanswered').length;
			const within = answered.filter((c) => (c.wait_s ?? Infinity) <= T).length;
			return {
				offered,
				answered: answered.length,
				abandoned,
				serviceLevel: offered ? within / offered : null,
				abandonRate: offered ? abandoned / offered : null
			};
		};
		const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
		const answered = own.filter((c) => c.outcome === 'answered');
		const waits = [...waiting.values()].filter((w) => w.queue === queue);
		const inQueue = [...members].filter(([, qs]) => qs.has(queue)).map(([agent]) => agent);
		const onCall = inQueue.filter((a) => (talking.get(a)?.size ?? 0) > 0);
		const isPaused = inQueue.filter((a) => !onCall.includes(a) && paused.has(a));
		out.set(queue, {
			waiting: waits.length,
			longestSince: waits.length ? Math.min(...waits.map((w) => w.since)) : null,
			today: window(dayStart),
			last60: window(Math.max(dayStart, now - 3600)),
			last15: window(Math.max(dayStart, now - 900)),
			asaS: mean(answered.map((c) => c.wait_s!)),
			ahtS: mean(answered.filter((c) => c.talk_s !== null).map((c) => c.talk_s!)),
			agents: { available: inQueue.length - onCall.length - isPaused.length, onCall: onCall.length, paused: isPaused.length }
		});
	}
	return out;
}
