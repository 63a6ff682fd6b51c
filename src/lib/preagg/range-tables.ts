import type { Query, Row } from '$lib/engine/types';
import type { CountsRow, Measure, ViewSpec } from '$lib/metrics/service';
import type { Filter } from '$lib/filters/filter';
import { DUCKDB } from '$lib/sql/dialect-duckdb';
import { cubeTable, onGrain, type CubeAxis, type CubeHome } from './cube';

/**
 * A time cube held in the page, for moving the time range (a brush, the start-time control):
 * each row a bucket of the time axis and a group of the view, with the view's additive partial
 * measures (counts, and the sums and counts of its means) under the other filters. A range is
 * then a sum over the buckets inside it, done here in the page: every view of a change is
 * answered at once, with no statement to plan or send to the engine. Only views that say how
 * their answer is finished (`ViewSpec.finish`) and whose measures all add up are held; the rest
 * keep asking the engine, exactly.
 */
export interface RangeTable {
	grain: NonNullable<CubeAxis['grain']>;
	/**
	 * Each row's bucket start in minutes since 1970-01-01 00:00, the time as written (read as UTC),
	 * ascending; the rows of calls without a time (their value unused) first.
	 */
	minutes: Int32Array;
	/** How many leading rows have no bucket (counted only when no bound is set). */
	untimed: number;
	/** Each row's group of the view: an index into `keyValues`. */
	keys: Int32Array;
	/** The view's groups as the answer shows them (one null for a view without a key). */
	keyValues: (string | number | null)[];
	/** The partial columns, by name: one value per row. */
	parts: Map<string, Float64Array>;
}

/** The bytes a held table takes: its bucket and key indices, and its partial columns. */
export function rangeBytes(held: RangeTable): number {
	return held.minutes.byteLength + held.keys.byteLength + [...held.parts.values()].reduce((sum, column) => sum + column.byteLength, 0);
}

/** The columns a measure keeps per bucket (`Measure.stored`'s names), and how they roll up. */
export function partsOf(measure: Measure): string[] {
	return 'count' in measure.parts ? [measure.name] : [`${measure.name}__sum`, `${measure.name}__n`];
}

/** Whether a view's answer can be summed in the page: it says how to finish it, and every measure adds up. */
export function summable(view: ViewSpec): boolean {
	return !!view.finish && view.dialect === 'duckdb' && view.measures.every((m) => 'count' in m.parts || 'mean' in m.parts);
}

/** The cube's rows, each row's key as the answer shows it. */
function rangeSource(name: string, view: ViewSpec, home?: CubeHome): string {
	const key = view.key ? (view.finish?.keyAsText ? DUCKDB.timeText('key') : 'key') : 'NULL';
	return `SELECT ${key} AS key, a, ${view.measures.flatMap(partsOf).join(', ')} FROM ${cubeTable(name, home)}`;
}

/** The groups of a time cube, in the order `rangeColumnsQuery`'s key indices count them. */
export function rangeKeysQuery(name: string, view: ViewSpec, home?: CubeHome): Query {
	return { sql: `SELECT DISTINCT key FROM (${rangeSource(name, view, home)}) ORDER BY key NULLS FIRST`, params: [] };
}

/**
 * A time cube as one row of lists, each a column in bucket order: key indices (into
 * `rangeKeysQuery`'s groups), bucket minutes and the partial columns as doubles. The page
 * receives each list as one typed array: a few hundred thousand rows read with no work per
 * row on its main thread (read as rows, 166,000 of them cost it seconds under load, profiled
 * in Node). Every list is ordered by the same unique row number, so their items line up.
 */
export function rangeColumnsQuery(name: string, view: ViewSpec, home?: CubeHome): Query {
	const parts = view.measures
		.flatMap(partsOf)
		// A sum over no rows of a group is NULL in SQL; as a part it adds nothing.
		.map((part) => `list(CAST(coalesce(${part}, 0) AS DOUBLE) ORDER BY __i) AS ${part}`);
	return {
		sql: `WITH r AS (
SELECT *, CAST(dense_rank() OVER (ORDER BY key NULLS FIRST) - 1 AS INTEGER) AS __k, row_number() OVER (ORDER BY a NULLS FIRST, key NULLS FIRST) AS __i
FROM (${rangeSource(name, view, home)}))
SELECT count(*) - count(a) AS __untimed, list(__k ORDER BY __i) AS __k,
list(coalesce(CAST(epoch_ms(CAST(a AS TIMESTAMP)) // 60000 AS INTEGER), 0) ORDER BY __i) AS __m, ${parts.join(', ')}
FROM r`,
		params: []
	};
}

/** A list column as a typed array: Arrow's own values, or (another engine's plain array) a copy. */
function numbers<T extends Int32Array | Float64Array>(value: unknown, type: { from(items: ArrayLike<number>): T; new (n: number): T }): T {
	if (value instanceof type) return value as T;
	return value == null ? new type(0) : type.from(value as ArrayLike<number>);
}

/** Holds `rangeKeysQuery`'s and `rangeColumnsQuery`'s answers. */
export function holdRange(keyRows: Row[], columns: Row, view: ViewSpec, grain: RangeTable['grain']): RangeTable {
	const keys = numbers(columns.__k, Int32Array);
	const minutes = numbers(columns.__m, Int32Array);
	const parts = new Map(view.measures.flatMap(partsOf).map((name) => [name, numbers(columns[name], Float64Array)]));
	const keyValues = keyRows.map(({ key }) => (key == null ? null : typeof key === 'number' ? key : String(key)));
	if (!view.key && !keyValues.length) keyValues.push(null);
	for (const column of [minutes, ...parts.values()]) if (column.length !== keys.length) throw new Error("A time cube's columns differ in length");
	return { grain, minutes, untimed: Number(columns.__untimed ?? 0), keys, keyValues, parts };
}

/**
 * 'YYYY-MM-DD HH:MM:SS' as minutes since 1970-01-01 00:00, read as UTC like the held buckets;
 * null for a time that is no date (2008-02-30): the engine answers it, as it would without the table.
 */
export function minutesOf(time: string): number | null {
	const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(time);
	if (!match) return null;
	const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
	const date = new Date(0);
	date.setUTCFullYear(year, month - 1, day); // unlike Date.UTC, years 0–99 are not read as 1900–1999
	date.setUTCHours(hour, minute, second, 0);
	const same =
		date.getUTCFullYear() === year &&
		date.getUTCMonth() === month - 1 &&
		date.getUTCDate() === day &&
		date.getUTCHours() === hour &&
		date.getUTCMinutes() === minute;
	return same ? date.getTime() / 60_000 : null;
}

/** Whether the held table answers the filter's time bounds (both on its bucket edges, and real times). */
export function rangeAnswers(held: RangeTable, filter: Filter): boolean {
	return [filter.from, filter.to].every((bound) => bound == null || (onGrain(bound, held.grain) && minutesOf(bound) != null));
}

/** The first row at or after `minute` among the timed rows. */
function lowerBound(held: RangeTable, minute: number): number {
	let lo = held.untimed;
	let hi = held.minutes.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (held.minutes[mid]! < minute) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/**
 * The view's answer under the filter's time range, summed from the held buckets: the rows
 * `cubeAnswerQuery` reads from the same cube (bounds as there: from ≤ bucket < to). Sums go
 * to one flat array, a row of parts per group, indexed by the rows' key indices.
 */
export function rangeAnswer(held: RangeTable, view: ViewSpec, filter: Filter): Row[] {
	const finish = view.finish!;
	const bounded = !!(filter.from || filter.to);
	const start = bounded ? (filter.from ? lowerBound(held, minutesOf(filter.from)!) : held.untimed) : 0;
	const end = filter.to ? lowerBound(held, minutesOf(filter.to)!) : held.minutes.length;
	const names = [...held.parts.keys()];
	const width = names.length;
	const sums = new Float64Array(held.keyValues.length * width);
	const seen = new Uint8Array(held.keyValues.length);
	const keys = held.keys;
	for (let i = start; i < end; i++) seen[keys[i]!] = 1;
	names.forEach((name, c) => {
		const column = held.parts.get(name)!;
		for (let i = start; i < end; i++) sums[keys[i]! * width + c]! += column[i]!;
	});
	// A view without a key answers one row, also over no calls.
	if (!view.key) seen.fill(1);
	const at = (group: number, name: string) => sums[group * width + names.indexOf(name)]!;
	const counts: CountsRow[] = [];
	for (let group = 0; group < seen.length; group++) {
		if (!seen[group]) continue;
		const row: CountsRow = { key: held.keyValues[group] ?? null };
		for (const measure of view.measures)
			row[measure.name] =
				'count' in measure.parts
					? at(group, measure.name)
					: at(group, `${measure.name}__n`) === 0
						? null
						: at(group, `${measure.name}__sum`) / at(group, `${measure.name}__n`);
		counts.push(row);
	}
	counts.sort(finish.compare);
	const kept = view.limit ? counts.slice(0, view.limit) : counts;
	return kept.map((row) => finish.row(row));
}
