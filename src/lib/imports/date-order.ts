import { quoteIdent, quoteLiteral } from '$lib/sql/identifiers';
import type { Engine } from '$lib/engine/types';
import type { QualityExample } from './quality';

/**
 * Slashed dates are read day-first (`03/04/2024` = 3 April, as in most of the world and in
 * Chinese exports written the European way) or month-first (US systems). The data usually
 * settles it: a first number above 12 is a day, a second above 12 is a day. When nothing
 * does, day-first is assumed and the quality report says so, naming the option to change.
 */
export type DateOrder = 'dmy' | 'mdy';
export type DateOrderChoice = DateOrder | 'auto';
export const DATE_ORDER_CHOICES: DateOrderChoice[] = ['auto', 'dmy', 'mdy'];

export interface DateOrderFinding {
	order: DateOrder;
	/** How it was decided: the user's choice, the data, or the default. */
	by: 'choice' | 'data' | 'assumed';
	/** Rows with slashed dates. */
	rows: number;
	/** The row that settled it, or the first ambiguous one. */
	example?: QualityExample;
}

const SLASHED = `'^\\s*(\\d{1,2})/(\\d{1,2})/\\d{4}'`;

/** Looks at `columns` of the stage table for slashed dates; undefined when there are none. */
export async function findDateOrder(engine: Engine, stage: string, columns: string[], choice: DateOrderChoice = 'auto'): Promise<DateOrderFinding | undefined> {
	if (!columns.length) return undefined;
	const parts = columns.map((column) => {
		const c = quoteIdent(column);
		return `SELECT __file AS file, __line AS line, ${quoteLiteral(column)} AS column_name, ${c} AS value,
		  CAST(regexp_extract(${c}, ${SLASHED}, 1) AS INTEGER) AS first, CAST(regexp_extract(${c}, ${SLASHED}, 2) AS INTEGER) AS second
		  FROM ${stage} WHERE regexp_matches(${c}, ${SLASHED})`;
	});
	const [found] = await engine.query<{ rows: number; dmy: Row | null; mdy: Row | null; any: Row | null }>({
		sql: `WITH slashed AS (${parts.join(' UNION ALL ')})
		  SELECT count(DISTINCT (file, line)) AS rows,
		    arg_min({file: file, line: line, column_name: column_name, value: value}, line) FILTER (WHERE first > 12) AS dmy,
		    arg_min({file: file, line: line, column_name: column_name, value: value}, line) FILTER (WHERE second > 12) AS mdy,
		    arg_min({file: file, line: line, column_name: column_name, value: value}, line) AS any
		  FROM slashed`,
		params: []
	});
	const rows = Number(found?.rows ?? 0);
	if (!found || rows === 0) return undefined;
	const example = (r: Row | null): QualityExample | undefined =>
		r ? { file: r.file, line: Number(r.line), column: r.column_name, value: r.value } : undefined;
	if (choice !== 'auto') return { order: choice, by: 'choice', rows, example: example(found.any) };
	// Both seen: the file mixes orders, or one is a typo; the order of the first settling row wins and the others fail the time check, each reported.
	if (found.dmy && (!found.mdy || Number(found.dmy.line) <= Number(found.mdy.line))) return { order: 'dmy', by: 'data', rows, example: example(found.dmy) };
	if (found.mdy) return { order: 'mdy', by: 'data', rows, example: example(found.mdy) };
	return { order: 'dmy', by: 'assumed', rows, example: example(found.any) };
}

interface Row {
	file: string;
	line: number | bigint;
	column_name: string;
	value: string;
}
