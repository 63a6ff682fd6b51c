import type { Query, SqlParam } from '$lib/sql/query';
import type { Filter } from '$lib/filters/filter';
import { agentEventsTable } from '$lib/imports/agent-events';
import { agentSummary, agentTracker, clipSpans, type AgentSpan, type AgentSummary } from './agent-states';

/**
 * A queue_log dataset's agent events for a filter (the `agentEvents` view), and the agents'
 * states and summary worked out from them (`agentStatesOf`): the same on the Service level page,
 * in the report and on the command line.
 *
 * What the filter means for agents:
 * - the period: events from a day before its start (an agent logged in or paused before the
 *   period starts in its state) to its end; the spans and totals are then cut to the period.
 * - a queue (or several): the agents with an event in it; their states stay whole (an agent
 *   paused in another queue is paused), since a state is the agent's, not a queue's.
 * - an agent: that agent. The outcome is a call's, not an agent state's: not applied.
 */
export interface AgentEventRow {
	/** epoch seconds of the event's local wall-clock time */
	t: number;
	call_id: string | null;
	queue: string | null;
	agent: string;
	event: string;
	data1: string | null;
	data2: string | null;
	data3: string | null;
	data4: string | null;
	data5: string | null;
}

/** How far before the period events are read, so an agent's state at its start is known. */
export const LOOKBACK_S = 86_400;

/** DuckDB only: the agent events are kept by DuckDB imports (ClickHouse loads calls alone). */
export function agentEventsQuery(table: string, filter: Filter): Query {
	const events = agentEventsTable(table);
	const params: SqlParam[] = [];
	const conditions = ['ts IS NOT NULL'];
	if (filter.from) {
		conditions.push(`ts >= CAST(? AS TIMESTAMP) - INTERVAL ${LOOKBACK_S} SECOND`);
		params.push(filter.from);
	}
	if (filter.to) {
		conditions.push('ts < CAST(? AS TIMESTAMP)');
		params.push(filter.to);
	}
	if (filter.agent) {
		conditions.push('agent = ?');
		params.push(filter.agent);
	}
	const queues = [...(filter.queue ? [filter.queue] : []), ...(filter.queues ?? [])];
	if (queues.length) {
		conditions.push(`agent IN (SELECT agent FROM ${events} WHERE queue IN (${queues.map(() => '?').join(', ')}))`);
		params.push(...queues);
	}
	return {
		sql: `SELECT epoch(ts) AS t, call_id, queue, agent, event, data1, data2, data3, data4, data5
FROM ${events} WHERE ${conditions.join(' AND ')}
ORDER BY ts, source_file, source_line`,
		params
	};
}

/** 'YYYY-MM-DD HH:MM:SS' (local wall-clock) → the epoch seconds the events' `t` uses. */
export const wallClockSeconds = (text: string) => Date.parse(`${text.replace(' ', 'T')}Z`) / 1000;

/**
 * `--wrap-seconds` and the like: `20` for every queue, or `sales=30,support=15` with an optional
 * bare number for the rest (`sales=30,10`). Throws on anything else.
 */
export function parseWrapSeconds(text: string): (queue: string) => number {
	const perQueue = new Map<string, number>();
	let rest = 0;
	for (const part of text
		.split(',')
		.map((p) => p.trim())
		.filter(Boolean)) {
		const [name, value] = part.includes('=') ? (part.split('=') as [string, string]) : [null, part];
		const seconds = Number(value);
		if (!(Number.isFinite(seconds) && seconds >= 0) || name === '') throw new Error(`wrap-up seconds: cannot read "${part}"`);
		if (name === null) rest = seconds;
		else perQueue.set(name.trim(), seconds);
	}
	return (queue) => perQueue.get(queue) ?? rest;
}

export interface AgentStates {
	spans: AgentSpan[];
	summary: AgentSummary[];
	/** The period the spans cover (epoch seconds of local wall-clock time); null without events. */
	from: number | null;
	to: number | null;
}

/** The agents' spans and summary within the filter's period (or the events' own, without one). */
export function agentStatesOf(
	rows: readonly AgentEventRow[],
	filter: Pick<Filter, 'from' | 'to'>,
	wrapSeconds: (queue: string) => number = () => 0
): AgentStates {
	if (!rows.length) return { spans: [], summary: [], from: null, to: null };
	const tracker = agentTracker({ wrapSeconds });
	for (const r of rows)
		tracker.push({
			time: Number(r.t),
			callId: r.call_id ?? '',
			queue: r.queue ?? '',
			agent: r.agent,
			event: r.event,
			data: [r.data1, r.data2, r.data3, r.data4, r.data5].map((d) => d ?? '')
		});
	const from = filter.from ? wallClockSeconds(filter.from) : Number(rows[0]!.t);
	const to = filter.to ? wallClockSeconds(filter.to) : Number(rows[rows.length - 1]!.t);
	const spans = clipSpans(tracker.spans(to), from, to);
	// RINGNOANSWER within the period only.
	const rings = new Map<string, number>();
	for (const r of rows) if (r.event === 'RINGNOANSWER' && Number(r.t) >= from && Number(r.t) < to) rings.set(r.agent, (rings.get(r.agent) ?? 0) + 1);
	const seen = new Set(spans.map((s) => s.agent));
	for (const agent of seen) if (!rings.has(agent)) rings.set(agent, 0);
	return { spans, summary: agentSummary(spans, rings), from, to };
}

/** The states in which an agent is staffed for calls: logged in and not paused. */
const STAFFED = new Set(['available', 'ringing', 'on_call', 'wrap_up']);

/**
 * Agents staffed per interval (logged in and not paused: available, ringing, on a call or in
 * wrap-up), as the mean number over the interval: staffed agent-seconds ÷ the interval's
 * seconds. Keyed by the interval's start as the staffing load's rows name it
 * ('YYYY-MM-DD HH:MM:SS', intervals counted from the epoch as there).
 */
export function staffedByInterval(spans: readonly AgentSpan[], intervalS: number): Map<string, number> {
	const seconds = new Map<number, number>();
	for (const s of spans) {
		if (!STAFFED.has(s.state)) continue;
		for (let k = Math.floor(s.from / intervalS); k * intervalS < s.to; k++) {
			const part = Math.min(s.to, (k + 1) * intervalS) - Math.max(s.from, k * intervalS);
			if (part > 0) seconds.set(k, (seconds.get(k) ?? 0) + part);
		}
	}
	const text = (k: number) => new Date(k * intervalS * 1000).toISOString().slice(0, 19).replace('T', ' ');
	return new Map([...seconds].map(([k, s]) => [text(k), s / intervalS]));
}

/** Whether any agent's login is in the events (static members log none: their staffed time is unknown). */
export const hasLogins = (summary: readonly AgentSummary[]) => summary.some((s) => s.availableS + s.pausedS + s.wrapS > 0);
