import type { Engine } from '$lib/engine/types';
import { quoteIdent } from '$lib/sql/identifiers';
import { findRows } from './review';
import { addToReport, type QualityReport } from './quality';
import type { TypedColumns } from './clean-csv';

/**
 * Totals and footer rows of a report export: not calls. A row whose first non-empty field is
 * a total word (`Totals,3886`, `合计`, `Total general`), anywhere in the file, or a row at the
 * file's end with at most one non-empty field (`,,,,3886,,`). Found on the staged rows, or among
 * the rows the CSV reader refused for their number of fields (a `Totals,3886` under a wider
 * header), and counted as `footer_rows` instead of bad rows.
 */

/** Words a totals row begins with (English, Chinese, Spanish, Portuguese), compared lower-cased. */
export const TOTAL_WORD = /^\s*(totals?|grand total|sum|summary|subtotal|合计|總計|总计|小计|汇总|total general|totales|totais|total geral)\s*[:：]?\s*$/i;

/** Whether a line's fields make a footer: a total word first, or at most one field with a value. */
export function looksLikeFooter(fields: string[]): boolean {
	const filled = fields.map((f) => f.trim()).filter((f) => f !== '');
	return filled.length <= 1 || TOTAL_WORD.test(filled[0]!);
}

/**
 * Removes the staged footer rows of every file and reports them. `typed`: the columns the
 * clean-CSV reader read (clean-csv.ts), whose cells are their values' text already (a time
 * written back is its cell's text; a duration is a plain number's text, never blank).
 */
export async function excludeFooters(engine: Engine, stage: string, columns: string[], report: QualityReport, typed?: TypedColumns): Promise<void> {
	if (!columns.length) return;
	const cells = columns.map((c) =>
		typed?.times.includes(c) ? `CAST(${quoteIdent(c)} AS VARCHAR)` : typed?.durations.includes(c) ? quoteIdent(c) : `nullif(trim(${quoteIdent(c)}), '')`
	);
	const filled = cells.map((c) => `(${c} IS NOT NULL)::INTEGER`).join(' + ');
	const first = `coalesce(${cells.join(', ')})`;
	const totalWord = `regexp_full_match(lower(${first}), '${TOTAL_WORD.source.replace(/^\^|\$$/g, '').replace(/'/g, "''")}')`;
	// At most one value, after the file's last row with more: trailing (checked with at least three columns, where one value cannot be a call).
	const trailing = `${columns.length >= 3 ? `(${filled}) <= 1` : 'FALSE'} AND __line > coalesce((SELECT max(s.__line) FROM ${stage} s WHERE s.__file = ${stage}.__file AND (${filled}) > 1), 0)`;
	const where = `(${totalWord}) OR (${trailing})`;
	const value = `concat_ws(',', ${cells.map((c) => `coalesce(${c}, '')`).join(', ')})`;
	const found = await findRows(engine, stage, where, `rtrim(${value}, ',')`, '__file', '__line');
	if (!found.count) return;
	addToReport(report, 'excluded', 'footer_rows', found.count, found.examples);
	await engine.exec(`DELETE FROM ${stage} WHERE ${where}`);
}
