import { agentEventsQuery } from '../agent-events-view';
import type { NamedViewSpec } from './spec';

/** The view's columns with no rows: what a dataset without agent events answers on ClickHouse. */
const NONE = `SELECT 0 AS t, '' AS call_id, '' AS queue, '' AS agent, '' AS event, '' AS data1, '' AS data2, '' AS data3, '' AS data4, '' AS data5 WHERE 1 = 0`;

/**
 * A queue_log dataset's agent events for the filter (agent states: `agent-events-view.ts`).
 * They are kept by DuckDB imports of a queue_log only (the table beside the calls); ClickHouse
 * loads calls alone, so there it answers no rows. Asked only of a queue_log dataset.
 */
export const agentEvents: NamedViewSpec = {
	query: ({ filter }, table, d) => (d.id === 'duckdb' ? agentEventsQuery(table, filter) : { sql: NONE, params: [] })
};

/** The views that only a queue_log dataset answers (they read its agent events). */
export const QUEUE_LOG_VIEWS = ['agentEvents'] as const;
