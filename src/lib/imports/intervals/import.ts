import type { Engine } from '$lib/engine/types';
import { quoteIdent, quoteLiteral, tableName } from '$lib/sql/identifiers';
import { ImportError, type ImportErrorDetail } from '../errors';
import { splitLine } from '../formats';
import type { Inspection } from '../inspect';
import { addToReport, emptyReport, reportTitleRows, type QualityReport } from '../quality';
import { assembleIntervals, SlBaseNeeded, type IntervalSettings } from './assemble';
import { INTERVAL_COLUMNS, type IntervalRow } from './fields';
import type { IntervalLayoutId } from './layouts';

/** What an interval import tells beyond the rows: the library entry keeps it (`kind: 'intervals'`). */
export interface IntervalSummary {
	kind: 'intervals';
	layout: IntervalLayoutId;
	intervalMinutes: number;
	relativeTime: boolean;
}

export interface IntervalImport {
	table: string;
	rows: number;
	skipped: { count: number; examples: ImportErrorDetail[] };
	quality: QualityReport;
	from: string | null;
	to: string | null;
	intervals: IntervalSummary;
}

const INSERT_ROWS = 500;

/**
 * Imports interval reports (already recognised: `inspection.intervals`) into one table of the
 * interval contract (docs/intervals.md). Interval files are small (a row per queue per interval),
 * so they are read whole and assembled in TypeScript, then written in batches.
 */
export async function importIntervals(
	engine: Engine,
	files: Inspection[],
	settings: IntervalSettings & { onBadRows?: 'abort' | 'skip' },
	table: string
): Promise<IntervalImport> {
	const target = tableName(table);
	const report = emptyReport();
	const skipped = { count: 0, examples: [] as ImportErrorDetail[] };
	const all: IntervalRow[] = [];
	let summary: IntervalSummary | null = null;
	for (const file of files) {
		const detection = file.intervals;
		if (!detection) throw new ImportError({ problem: 'mixed_layouts', file: file.file.name });
		const text = new TextDecoder(file.encoding).decode(await file.file.bytes()).replace(/^\uFEFF/, '');
		const physical = text.split(/\r?\n/);
		const { layout } = file;
		const first = (layout.titleLines ?? 0) + (layout.header ? 1 : 0) + (layout.underHeaderLines ?? 0);
		const rows = physical.flatMap((line, i) =>
			i >= first && line.trim() !== '' ? [{ line: i + 1, fields: splitLine(line, layout.delimiter, layout.quote) }] : []
		);
		report.rowsRead += rows.length;
		const titles = layout.titles ?? [];
		reportTitleRows(report, file.file.name, titles);
		let assembled;
		try {
			assembled = assembleIntervals(file.file.name, detection, rows, settings);
		} catch (error) {
			if (!(error instanceof SlBaseNeeded)) throw error;
			const column = detection.columns.find((c) => c.field === 'sl_pct')?.column;
			throw new ImportError({ problem: 'sl_base_unknown', file: file.file.name, line: first, column, hint: { key: 'hint.sl_base' } });
		}
		const { notes } = assembled;
		if (notes.bad.length && settings.onBadRows === 'abort') throw new ImportError(notes.bad[0]!);
		for (const detail of notes.bad) {
			skipped.count++;
			if (skipped.examples.length < 20) skipped.examples.push(detail);
			addToReport(report, 'skipped', detail.problem, 1, [{ file: detail.file ?? '', line: detail.line ?? 0, value: detail.value, column: detail.column }]);
		}
		addToReport(report, 'excluded', 'footer_rows', notes.footers.length, notes.footers);
		const example = (value: string) => [{ file: file.file.name, line: first, value }];
		addToReport(report, 'read', 'interval_sl_derived', notes.slDerived, example(`${notes.slBase}`));
		addToReport(report, 'warning', 'interval_sl_disagrees', notes.slDisagrees.count, [
			{ file: file.file.name, line: notes.slDisagrees.examples[0]?.line ?? first, value: `${(notes.slDisagrees.largest * 100).toFixed(2)}` },
			...notes.slDisagrees.examples
		]);
		addToReport(report, 'read', 'interval_counts_derived', notes.countsDerived, example(''));
		if (notes.lengthFrom !== 'given') addToReport(report, 'read', `interval_length_${notes.lengthFrom}`, assembled.rows.length, example(String(notes.minutes)));
		if (notes.indexFromOne) addToReport(report, 'read', 'interval_index_from_one', assembled.rows.length, example('1'));
		if (notes.noTime) addToReport(report, 'warning', 'interval_no_time', assembled.rows.length, example(''));
		else if (notes.relativeTime) addToReport(report, 'warning', 'interval_relative_time', assembled.rows.length, example('1970-01-01'));
		all.push(...assembled.rows);
		summary ??= { kind: 'intervals', layout: detection.layout, intervalMinutes: notes.minutes, relativeTime: notes.relativeTime || notes.noTime };
	}
	report.calls = all.reduce((n, r) => n + r.offered, 0);

	await engine.exec(`DROP TABLE IF EXISTS ${target}`);
	await engine.exec(`CREATE TABLE ${target} (${INTERVAL_COLUMNS.map(([name, type]) => `${quoteIdent(name)} ${type}`).join(', ')})`);
	for (let at = 0; at < all.length; at += INSERT_ROWS) {
		const values = all.slice(at, at + INSERT_ROWS).map((row) => `(${INTERVAL_COLUMNS.map(([name, type]) => literal(row[name], type)).join(', ')})`);
		await engine.exec(`INSERT INTO ${target} VALUES ${values.join(', ')}`);
	}
	const starts = all.flatMap((r) => (r.interval_start ? [r.interval_start] : [])).sort();
	return {
		table: target,
		rows: all.length,
		skipped,
		quality: report,
		from: starts[0] ?? null,
		to: starts.at(-1) ?? null,
		intervals: summary ?? { kind: 'intervals', layout: 'generic', intervalMinutes: settings.intervalMinutes ?? 30, relativeTime: true }
	};
}

function literal(value: string | number | null, type: string): string {
	if (value === null) return 'NULL';
	if (typeof value === 'number') return type === 'DOUBLE' ? `${value}::DOUBLE` : String(Math.round(value));
	return type === 'TIMESTAMP' ? `TIMESTAMP ${quoteLiteral(value)}` : quoteLiteral(value);
}
