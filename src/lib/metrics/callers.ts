import type { Query, SqlParam } from '$lib/sql/query';
import type { Dialect } from '$lib/sql/dialect';
import { DUCKDB } from '$lib/sql/dialect-duckdb';
import { tableName } from '$lib/sql/identifiers';
import { maskCallerSql } from '$lib/imports/caller-mask';
import type { Filter } from '$lib/filters/filter';
import { serviceWhere } from './service';

/**
 * Callers by their number (`caller`, canonical.ts): the abandoned callers to call back, and how
 * often a number calls again.
 *
 * A number is its digits (`+86 138-1234-5678` and `+8613812345678` are one caller), where the
 * caller has at least 3 digits and no letter: `anonymous`, `unknown` or an empty caller is no
 * one's number and is left out. Numbers written differently by two systems (`0138…` and
 * `+86138…`) are two callers.
 *
 * The abandoned calls and the calls counted are the filter's; the calls that follow them are
 * looked for in the whole dataset (a caller who gave up in one queue may get through in another,
 * or the next day past the filter's end).
 */

/** How long after an abandon a later call or a call back still counts, by default. */
export const DEFAULT_CALLBACK_HOURS = 24;
export const MAX_CALLBACK_HOURS = 24 * 30;
/** Most rows the call-back list returns (oldest unresolved first); the page says when it is cut. */
export const CALLBACK_LIST_LIMIT = 5000;
/** Digits a caller needs to count as a number. */
export const MIN_NUMBER_DIGITS = 3;
const HOUR_MS = 3_600_000;

/** One abandoned call from a number, and what followed within the window. */
export interface CallbackRow {
	/** The number, masked unless asked unmasked (caller-mask.ts). */
	caller: string;
	arrival: string;
	queue: string | null;
	wait_s: number | null;
	/** Later calls from the number within the window. */
	later_calls: number;
	/** When it next called, when it next got through (a later call answered), when an outbound call reached it. */
	next_call: string | null;
	got_through: string | null;
	called_back: string | null;
	/** 1 once it got through or was called back within the window, else 0. */
	resolved: number;
}

/** Calls (the filter's) from a number, and how many of them the same number followed within 24 h and 7 days. */
export interface RepeatCallersRow {
	calls: number;
	with_number: number;
	repeated_24h: number;
	repeated_7d: number;
	repeat_rate_24h: number | null;
	repeat_rate_7d: number | null;
}

/** The caller's number as digits, or NULL when it is no one's (see above). */
export function callerKey(d: Dialect, expr = 'caller'): string {
	return `CASE WHEN ${d.matches(expr, '[A-Za-z]')} THEN NULL WHEN length(${d.digits(expr)}) >= ${MIN_NUMBER_DIGITS} THEN ${d.digits(expr)} END`;
}

/** Every call from a number in the dataset, as the later side of a pair. */
function laterCalls(table: string, d: Dialect): string {
	const key = callerKey(d);
	return `SELECT coalesce(${key}, '') AS k, ${d.epochMs('arrival')} AS b_ms, arrival AS b_arrival,
    CASE WHEN outcome IN ('answered', 'interrupted') THEN arrival END AS b_through
  FROM ${tableName(table)}
  WHERE arrival IS NOT NULL AND ${key} IS NOT NULL`;
}

/**
 * The calls of `where` (with `select`), each with the calls from its number that followed it
 * within `windowMs`: one row per call, `aggregates` over its later calls (`b_…` columns, NULL
 * where none matched; `later` is the condition a later call meets). One pass: the calls are
 * joined to every call from their number, and the window is a condition of the aggregates
 * (ClickHouse 18.16 joins on equalities only).
 */
function withLater(table: string, where: string, d: Dialect, select: string, windowMs: number, aggregates: (later: string) => string): string {
	const key = callerKey(d);
	const later = `(b_ms > a_ms AND b_ms <= a_ms + ${windowMs})`;
	return `SELECT ${IDENTITY}, ${COLUMNS(select)}, ${aggregates(later)}
  FROM (
    SELECT coalesce(${key}, '') AS k, ${d.epochMs('arrival')} AS a_ms, coalesce(source_file, '') AS a_file, coalesce(source_line, 0) AS a_line,
      ${select}
    FROM ${tableName(table)}
    WHERE arrival IS NOT NULL AND ${where}
  ) AS a
  ${d.leftJoinAll} (
    ${laterCalls(table, d)}
  ) AS b USING (k)
  GROUP BY ${IDENTITY}, ${COLUMNS(select)}`;
}

const IDENTITY = 'k, a_ms, a_file, a_line';
/** The names a select list gives (`x AS name, …` → `name, …`). */
const COLUMNS = (select: string) =>
	select
		.split(',')
		.map((part) => part.trim().split(/\s+AS\s+/i)[1]!)
		.join(', ');

/**
 * The call-back list: each abandoned call from a number (the filter's) with its later calls
 * within `hours`, the first one answered, and the first outbound call to the number
 * (`callback_at`, where the data has outbound calls). Resolved when it got through or was
 * called back in the window. Unresolved first, oldest first.
 */
export function callbacksQuery(table: string, filter: Filter, { hours = DEFAULT_CALLBACK_HOURS, unmask = false } = {}, d: Dialect = DUCKDB): Query {
	const { where, params } = serviceWhere(filter, d);
	const windowMs = Math.round(Number(hours) * HOUR_MS);
	const calls = withLater(
		table,
		`outcome = 'abandoned' AND ${callerKey(d)} IS NOT NULL AND ${where}`,
		d,
		'caller AS a_caller, arrival AS a_arrival, queue AS a_queue, wait_s AS a_wait, callback_at AS a_back',
		windowMs,
		(later) => `${d.countIf(later)} AS later, min(CASE WHEN ${later} THEN b_arrival END) AS next_at, min(CASE WHEN ${later} THEN b_through END) AS through_at`
	);
	const shown = unmask ? 'a_caller' : maskCallerSql('a_caller', d);
	const backAt = `CASE WHEN a_back IS NOT NULL AND ${d.epochMs('a_back')} >= a_ms AND ${d.epochMs('a_back')} <= a_ms + ${windowMs} THEN a_back END`;
	const sql = `SELECT caller, arrival, queue, wait_s, later_calls, next_call, got_through, called_back, resolved FROM (
  SELECT ${shown} AS caller, ${d.timeText('a_arrival')} AS arrival, a_queue AS queue, a_wait AS wait_s,
    later AS later_calls, ${d.timeText('next_at')} AS next_call, ${d.timeText('through_at')} AS got_through,
    ${d.timeText('back_at')} AS called_back,
    CASE WHEN through_at IS NOT NULL OR back_at IS NOT NULL THEN 1 ELSE 0 END AS resolved, a_ms AS sort_ms
  FROM (
    SELECT *, ${backAt} AS back_at FROM (
  ${calls}
    ) AS counted
  ) AS resolved_calls
) AS listed
ORDER BY resolved, sort_ms, caller, queue, wait_s
LIMIT ${CALLBACK_LIST_LIMIT}`;
	return { sql, params: params as SqlParam[] };
}

/**
 * The repeat-caller rates: of the filter's calls from a number, the share the same number
 * called again within 24 hours, and within 7 days (from the call's arrival to the next one's).
 */
export function repeatCallersQuery(table: string, filter: Filter, d: Dialect = DUCKDB): Query {
	const { where, params } = serviceWhere(filter, d);
	const day = 24 * HOUR_MS;
	const calls = withLater(table, where, d, 'arrival AS a_arrival', 7 * day, (later) => `min(CASE WHEN ${later} THEN b_ms END) AS next_ms`);
	const within = (ms: number) => `next_ms IS NOT NULL AND next_ms <= a_ms + ${ms}`;
	const sql = `SELECT calls, with_number, repeated_24h, repeated_7d,
  repeated_24h / ${d.nullIf('with_number', '0')} AS repeat_rate_24h, repeated_7d / ${d.nullIf('with_number', '0')} AS repeat_rate_7d
FROM (
  SELECT ${d.countIf(null)} AS calls, ${d.countIf("k <> ''")} AS with_number, ${d.countIf(within(day))} AS repeated_24h, ${d.countIf(within(7 * day))} AS repeated_7d
  FROM (
  ${calls}
  ) AS followed
) AS counted`;
	return { sql, params: params as SqlParam[] };
}
