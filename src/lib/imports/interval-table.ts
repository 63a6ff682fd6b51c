/**
 * The interval table an interval dataset is (INTERVALS-CONTRACT): one row per queue per interval,
 * names fixed, NULL where the file does not give a column. The measures over it are
 * `metrics/interval-measures.ts`; the DuckDB store and ClickHouse keep it as it is.
 */
export const INTERVAL_TABLE_COLUMNS = [
	['interval_start', 'TIMESTAMP'],
	['interval_index', 'INTEGER'],
	['interval_minutes', 'INTEGER'],
	['queue', 'VARCHAR'],
	['offered', 'BIGINT'],
	['answered', 'BIGINT'],
	['abandoned', 'BIGINT'],
	['short_abandoned', 'BIGINT'],
	['sl_threshold_s', 'INTEGER'],
	['answered_within', 'BIGINT'],
	['stated_sl', 'DOUBLE'],
	['stated_sl_base', 'VARCHAR'],
	['wait_s_sum', 'DOUBLE'],
	['talk_s_sum', 'DOUBLE'],
	['hold_s_sum', 'DOUBLE'],
	['wrap_s_sum', 'DOUBLE'],
	['handled', 'BIGINT'],
	['handle_s_sum', 'DOUBLE'],
	['abandon_wait_s_sum', 'DOUBLE'],
	['staffed_s', 'DOUBLE']
] as const;

export type IntervalColumn = (typeof INTERVAL_TABLE_COLUMNS)[number][0];
