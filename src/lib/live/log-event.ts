/** A followed queue_log's lines, split: shared by the server that follows a file and the page that watches one. */

/** One queue_log line, split (time in epoch seconds). */
export interface LogEvent {
	time: number;
	callid: string;
	queue: string;
	agent: string;
	event: string;
	data: string[];
}

/** A queue_log line → its event, or null when it is not one (no readable epoch time or event). */
export function parseLogLine(line: string): LogEvent | null {
	const fields = line.split('|');
	if (fields.length < 5) return null;
	const [time, callid, queue, agent, event, ...rest] = fields as [string, string, string, string, string, ...string[]];
	const seconds = Number(time.trim());
	if (!/^\s*\d+(\.\d+)?\s*$/.test(time) || !Number.isFinite(seconds) || !event.trim()) return null;
	// Data past the fifth field stays in the fifth, as a database export's data5 holds it.
	const data = rest.length > 5 ? [...rest.slice(0, 4), rest.slice(4).join('|')] : rest;
	return { time: seconds, callid: callid.trim(), queue: queue.trim(), agent: agent.trim(), event: event.trim(), data };
}

/** Events that are no call's (agent and queue events carry the id NONE). */
export const isCallEvent = (e: LogEvent) => e.callid !== '' && e.callid !== 'NONE';
