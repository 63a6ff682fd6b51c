import ExcelJS from 'exceljs';
import { translate, type Lang } from '$lib/i18n/messages';
import type { ReportData } from './model';
import { cellKind, reportSubtitle, reportTables, type Cell, type CellKind, type ReportTable } from './tables';

/**
 * The report as an XLSX workbook: a summary sheet, one sheet per table with real Excel
 * number formats (shares as percent, durations as [h]:mm:ss, days as dates), frozen header
 * rows, columns wide enough for their Chinese text, each chart as an image beside its
 * table, and a definitions sheet. The same tables as the page (`tables.ts`).
 */
export interface ChartImage {
	/** The table it belongs to (`ReportTable.id`). */
	table: string;
	png: Uint8Array;
	/** Size to show it at, in CSS pixels (the PNG itself may be denser). */
	width: number;
	height: number;
}

const SECONDS_PER_DAY = 86_400;

/** Excel number formats by cell kind; the point-change unit is in the report's language. */
export function numberFormat(kind: CellKind, lang: Lang): string | undefined {
	switch (kind) {
		case 'int':
			return '#,##0';
		case 'number':
			return '#,##0.0';
		case 'percent':
			return '0.0%';
		case 'duration':
			return '[h]:mm:ss';
		case 'date':
			return 'yyyy-mm-dd';
		case 'datetime':
			return 'yyyy-mm-dd hh:mm:ss';
		case 'change_pct':
			return '+0.0%;-0.0%;0.0%';
		case 'change_pp': {
			const unit = translate(lang, 'report.pp', { v: '' }).trim();
			return `+0.0" ${unit}";-0.0" ${unit}";0.0" ${unit}"`;
		}
		default:
			return undefined;
	}
}

/** 'YYYY-MM-DD HH:MM:SS' (the data's wall-clock time) → a Date Excel shows as that same time. */
function wallClockDate(text: string): Date {
	const [d, t = '00:00:00'] = text.split(' ');
	return new Date(`${d}T${t}Z`);
}

/** A value as Excel stores it: durations are fractions of a day, times are dates. */
export function excelValue(value: Cell, kind: CellKind): string | number | Date | null {
	if (value === null || value === undefined || value === '') return null;
	if (kind === 'duration' && typeof value === 'number') return value / SECONDS_PER_DAY;
	if ((kind === 'date' || kind === 'datetime') && typeof value === 'string') return wallClockDate(value);
	return value;
}

/** Display width in Excel's units: a CJK character is two, anything else one. */
export function textWidth(text: string): number {
	let width = 0;
	for (const ch of text) width += /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/.test(ch) ? 2.1 : 1.1;
	return width;
}

/** Shown width of a cell (its formatted length, roughly), for the column width. */
function shownWidth(value: Cell, kind: CellKind): number {
	if (value === null || value === undefined) return 1;
	switch (kind) {
		case 'date':
			return 10;
		case 'datetime':
			return 19;
		case 'duration':
			return 9;
		case 'percent':
		case 'change_pct':
			return 12;
		case 'change_pp':
			return 17; // e.g. -10.8 个百分点
		default:
			return textWidth(typeof value === 'number' ? value.toLocaleString('en') : value);
	}
}

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE6F0FA' } };
const MAX_WIDTH = 70;

/** One table on its own sheet: title row, header row (frozen), rows; returns the sheet. */
function tableSheet(workbook: ExcelJS.Workbook, table: ReportTable, subtitle: string, lang: Lang, takenNames: Set<string>): ExcelJS.Worksheet {
	let name = table.sheet.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);
	for (let n = 2; takenNames.has(name); n++) name = `${table.sheet.slice(0, 28)} ${n}`;
	takenNames.add(name);
	const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 3 }] });
	sheet.getCell(1, 1).value = table.title;
	sheet.getCell(1, 1).font = { bold: true, size: 14 };
	sheet.getCell(2, 1).value = subtitle;
	sheet.getCell(2, 1).font = { color: { argb: 'FF52606D' }, size: 10 };
	const header = sheet.getRow(3);
	table.columns.forEach((column, i) => {
		const cell = header.getCell(i + 1);
		cell.value = column.header;
		cell.font = { bold: true };
		cell.fill = HEADER_FILL;
		cell.alignment = { vertical: 'middle', wrapText: true };
		cell.border = { bottom: { style: 'thin', color: { argb: 'FF9AA5B1' } } };
	});
	const widths = table.columns.map((c) => Math.min(34, textWidth(c.header)));
	table.rows.forEach((row, r) => {
		const line = sheet.getRow(4 + r);
		table.columns.forEach((column, i) => {
			const kind = cellKind(row, column);
			const cell = line.getCell(i + 1);
			cell.value = excelValue(row[column.key] ?? null, kind);
			const format = numberFormat(kind, lang);
			if (format) cell.numFmt = format;
			if (kind === 'text') cell.alignment = { vertical: 'top', wrapText: textWidth(String(row[column.key] ?? '')) > MAX_WIDTH };
			widths[i] = Math.max(widths[i]!, shownWidth(row[column.key] ?? null, kind));
		});
	});
	widths.forEach((w, i) => (sheet.getColumn(i + 1).width = Math.min(MAX_WIDTH, Math.max(8, Math.ceil(w + 2)))));
	if (table.rows.length) sheet.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3 + table.rows.length, column: table.columns.length } };
	return sheet;
}

function toBase64(bytes: Uint8Array): string {
	let binary = '';
	for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return btoa(binary);
}

/** The workbook's bytes. `charts` are placed beside their tables (none from the command line). */
export async function reportWorkbook(data: ReportData, lang: Lang, charts: ChartImage[] = []): Promise<Uint8Array> {
	const workbook = new ExcelJS.Workbook();
	workbook.creator = 'holdline';
	workbook.created = new Date(data.generatedAt);
	const subtitle = reportSubtitle(data, lang);
	const taken = new Set<string>();
	for (const table of reportTables(data, lang)) {
		const sheet = tableSheet(workbook, table, subtitle, lang, taken);
		if (table.id === 'summary') {
			// The summary sheet also says what it is a report of: the title and the comparison.
			sheet.getCell(1, 1).value = `${translate(lang, 'report.title')} · ${data.spec.from} – ${data.spec.to}`;
		}
		charts
			.filter((c) => c.table === table.id)
			.forEach((chart, n) => {
				const image = workbook.addImage({ base64: toBase64(chart.png), extension: 'png' });
				const left = table.columns.length + 1;
				sheet.addImage(image, { tl: { col: left, row: 2 + n * Math.ceil(chart.height / 20 + 1) }, ext: { width: chart.width, height: chart.height } });
			});
	}
	const bytes = await workbook.xlsx.writeBuffer();
	return new Uint8Array(bytes as ArrayBuffer);
}
