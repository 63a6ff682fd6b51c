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
	/** Each row's bucket start, 'YYYY-MM-DD HH:MM:SS', ascending; calls without a time (null) first. */
	buckets: (string | null)[];
	/** How many leading rows have no bucket (counted only when no bound is set). */
	untimed: number;
	/** Each row's group of the view (null for a view without a key). */
	keys: (string | number | null)[];
	/** The partial columns, by name: one value per row. */
	parts: Map<string, Float64Array>;
}

/** The columns a measure keeps per bucket (`Measure.stored`'s names), and how they roll up. */
export function partsOf(measure: Measure): string[] {
	return 'count' in measure.parts ? [measure.name] : [`${measure.name}__sum`, `${measure.name}__n`];
}

/** Whether a view's answer can be summed in the page: it says how to finish it, and every measure adds up. */
export function summable(view: ViewSpec): boolean {
	return !!view.finish && view.dialect === 'duckdb' && view.measures.every((m) => 'count' in m.parts || 'mean' in m.parts);
}

/** Every row of a time cube, in bucket order, its key as the answer shows it. */
export function rangeRowsQuery(name: string, view: ViewSpec, home?: CubeHome): Query {
	const key = view.key ? (view.finish?.keyAsText ? `${DUCKDB.timeText('key')} AS key` : 'key') : 'NULL AS key';
	const parts = view.measures.flatMap(partsOf).join(', ');
	return { sql: `SELECT ${key}, ${DUCKDB.timeText('a')} AS a, ${parts} FROM ${cubeTable(name, home)} ORDER BY a NULLS FIRST`, params: [] };
}

/** Holds `rangeRowsQuery`'s rows in columns. */
export function holdRange(rows: Row[], view: ViewSpec, grain: RangeTable['grain']): RangeTable {
	const names = view.measures.flatMap(partsOf);
	const parts = new Map(names.map((name) => [name, new Float64Array(rows.length)]));
	const buckets: (string | null)[] = new Array(rows.length);
	const keys: (string | number | null)[] = new Array(rows.length);
	let untimed = 0;
	rows.forEach((row, i) => {
		buckets[i] = row.a == null ? null : String(row.a);
		if (row.a == null) untimed++;
		keys[i] = row.key == null ? null : typeof row.key === 'number' ? row.key : String(row.key);
		// A sum over no rows of a group is NULL in SQL; as a part it adds nothing.
		for (const name of names) parts.get(name)![i] = row[name] == null ? 0 : Number(row[name]);
	});
	return { grain, buckets, untimed, keys, parts };
}

/** Whether the held table answers the filter's time bounds (both on its bucket edges). */
export function rangeAnswers(held: RangeTable, filter: Filter): boolean {
	return onGrain(filter.from, held.grain) && onGrain(filter.to, held.grain);
}

/** The first row at or after `time` among the timed rows. */
function lowerBound(held: RangeTable, time: string): number {
	let lo = held.untimed;
	let hi = held.buckets.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (held.buckets[mid]! < time) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/**
 * The view's answer under the filter's time range, summed from the held buckets: the rows
 * `cubeAnswerQuery` reads from the same cube (bounds as there: from ≤ bucket < to).
 */
export function rangeAnswer(held: RangeTable, view: ViewSpec, filter: Filter): Row[] {
	const finish = view.finish!;
	const bounded = !!(filter.from || filter.to);
	const start = bounded ? (filter.from ? lowerBound(held, filter.from) : held.untimed) : 0;
	const end = filter.to ? lowerBound(held, filter.to) : held.buckets.length;
	const names = [...held.parts.keys()];
	const columns = names.map((name) => held.parts.get(name)!);
	const groups = new Map<string | number | null, Float64Array>();
	if (!view.key) groups.set(null, new Float64Array(names.length));
	for (let i = start; i < end; i++) {
		const key = held.keys[i]!;
		let sums = groups.get(key);
		if (!sums) groups.set(key, (sums = new Float64Array(names.length)));
		for (let c = 0; c < columns.length; c++) sums[c]! += columns[c]![i]!;
	}
	const counts: CountsRow[] = [];
	for (const [key, sums] of groups) {
		const row: CountsRow = { key };
		const at = (name: string) => sums[names.indexOf(name)]!;
		for (const measure of view.measures)
			row[measure.name] =
				'count' in measure.parts ? at(measure.name) : at(`${measure.name}__n`) === 0 ? null : at(`${measure.name}__sum`) / at(`${measure.name}__n`);
		counts.push(row);
	}
	counts.sort(finish.compare);
	const kept = view.limit ? counts.slice(0, view.limit) : counts;
	return kept.map((row) => finish.row(row));
}
