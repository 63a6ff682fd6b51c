import { generateCalls, queueLogLines, type SyntheticCall } from '$lib/synthetic/generate';

/**
 * A day (or days) of a PBX's queue_log as it would be written: the generator's calls' lines,
 * agents joining their queues before their first call and a lunch pause for every third agent,
 * all in time order (lines of one second in the order they were made). Times are epoch seconds
 * read at UTC (the tests follow with --utc-offset 0).
 */
export interface LogDay {
	lines: { time: number; text: string }[];
	calls: SyntheticCall[];
}

export function logDays({ rows, seed, start, callsPerDay = rows }: { rows: number; seed: number; start: string; callsPerDay?: number }): LogDay {
	const calls = [...generateCalls({ rows, seed, start, incident: null, completeShare: 1, callsPerDay })];
	const lines: LogDay['lines'] = [];
	for (const c of calls) for (const text of queueLogLines(c)) lines.push({ time: Number(text.split('|')[0]), text });
	// Each agent joins the queues it answers for, an hour before its first call of the day.
	const joined = new Map<string, number>();
	for (const c of calls) {
		if (!c.agent || c.answer === null) continue;
		const queue = queueOf(c);
		const day = Math.floor(c.arrival / 86_400);
		const key = `${day}|${c.agent}|${queue}`;
		if (!joined.has(key)) joined.set(key, c.arrival - 3600);
		else joined.set(key, Math.min(joined.get(key)!, c.arrival - 3600));
	}
	const agents = [...new Set(calls.map((c) => c.agent).filter((a): a is string => !!a))].sort();
	for (const [key, time] of joined) {
		const [day, agent, queue] = key.split('|') as [string, string, string];
		lines.push({ time: Math.max(time, Number(day) * 86_400), text: `${Math.max(time, Number(day) * 86_400)}|NONE|${queue}|${agent}|ADDMEMBER|` });
	}
	const days = [...new Set(calls.map((c) => Math.floor(c.arrival / 86_400)))];
	agents.forEach((agent, i) => {
		if (i % 3) return;
		for (const day of days) {
			const noon = day * 86_400 + 12 * 3600 + i * 60;
			lines.push({ time: noon, text: `${noon}|NONE|NONE|${agent}|PAUSEALL|lunch` });
			lines.push({ time: noon + 1800, text: `${noon + 1800}|NONE|NONE|${agent}|UNPAUSEALL|` });
		}
	});
	lines.sort((a, b) => a.time - b.time);
	return { lines, calls };
}

const queueOf = (c: SyntheticCall) => queueLogLines(c)[0]!.split('|')[2]!;
