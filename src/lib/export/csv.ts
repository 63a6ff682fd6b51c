/** A column of an exported table: its header and how to read a row's cell. */
export interface Column<T> {
	key: string;
	header: string;
	value: (row: T) => string | number | boolean | null | undefined;
	/** For programs reading the CSV (e.g. a rate as a share of 1 beside its percentage): left out of the on-page table. */
	csvOnly?: boolean;
}

// Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;

/** Text cells that a spreadsheet would evaluate get a leading apostrophe; numbers stay numbers. */
export function neutraliseCell(value: string | number | boolean | null | undefined): string {
	if (value == null) return '';
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	return FORMULA_START.test(value) ? `'${value}` : value;
}

function quote(text: string): string {
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Rows → CSV text for spreadsheets: UTF-8 byte-order mark (so Excel reads Chinese
 * correctly), CRLF line ends (RFC 4180), formula-looking cells neutralised.
 */
export function toCsv<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
	const lines = [columns.map((c) => quote(neutraliseCell(c.header))).join(',')];
	for (const row of rows) {
		lines.push(columns.map((c) => quote(neutraliseCell(c.value(row)))).join(','));
	}
	return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
