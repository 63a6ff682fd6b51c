import { tableName } from '$lib/sql/identifiers';
import { q, time, type AssemblyContext } from './calls/sql';

/**
 * A queue_log's agent events, kept next to its calls: every row that names an agent (the agent
 * column neither NONE nor empty) — logins and logouts, pauses with their reason, rings, and the
 * agent's side of each call (CONNECT, COMPLETE*, transfers). Agents' states and occupancy are
 * worked out from them (`metrics/agent-states.ts`); the calls table stays as it was.
 *
 * One row per event: `ts` in local wall-clock time (the calls' offset applied), the call id,
 * queue, agent and verb as written (trimmed), data1…data5, and the file and line it came from.
 * Rows whose time cannot be read were already left out (and reported) with the calls' checks.
 */
export const agentEventsTable = (calls: string) => tableName(`${calls}_agents`);

export const AGENT_EVENT_COLUMNS = [
	'ts',
	'call_id',
	'queue',
	'agent',
	'event',
	'data1',
	'data2',
	'data3',
	'data4',
	'data5',
	'source_file',
	'source_line'
] as const;

/** The agent events of the staged queue_log, in time order (then file, line). */
export function agentEventsSelect(ctx: AssemblyContext): string {
	const column = (name: string) => (ctx.columns.includes(name) ? `trim(${q(name)})` : 'NULL::VARCHAR');
	const data = (n: number) => (ctx.columns.includes(`data${n}`) ? `${q(`data${n}`)}::VARCHAR` : 'NULL::VARCHAR');
	return `SELECT ${time(`trim("time")`, ctx.offsetSeconds)} AS ts, ${column('callid')} AS call_id, ${column('queue')} AS queue,
  ${column('agent')} AS agent, upper(trim(event)) AS event, ${data(1)} AS data1, ${data(2)} AS data2, ${data(3)} AS data3,
  ${data(4)} AS data4, ${data(5)} AS data5, __file AS source_file, __line AS source_line
FROM ${ctx.stage}
WHERE ${column('agent')} IS NOT NULL AND ${column('agent')} NOT IN ('NONE', '')
ORDER BY ts, source_file, source_line`;
}

/** An empty agent-events table's columns (a dataset stored before they were kept reads as none). */
export const EMPTY_AGENT_EVENTS = `SELECT NULL::TIMESTAMP AS ts, NULL::VARCHAR AS call_id, NULL::VARCHAR AS queue, NULL::VARCHAR AS agent,
  NULL::VARCHAR AS event, NULL::VARCHAR AS data1, NULL::VARCHAR AS data2, NULL::VARCHAR AS data3, NULL::VARCHAR AS data4,
  NULL::VARCHAR AS data5, NULL::VARCHAR AS source_file, NULL::BIGINT AS source_line WHERE false`;
