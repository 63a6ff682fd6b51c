import type { NotTextKind } from './sniff';

/**
 * What can go wrong with an import, said precisely enough to find it in the file:
 * the file, the line, the column and the offending value, when they are known.
 */
export type ImportProblem =
	| 'encoding'
	| 'malformed'
	| 'time'
	| 'date'
	| 'required'
	| 'answer_before_arrival'
	| 'end_before_arrival'
	| 'end_before_answer'
	| 'duration'
	| 'date_range'
	| 'unrecognised'
	| 'not_text'
	| 'missing_column'
	| 'mixed_layouts'
	| 'too_large'
	| 'empty'
	| 'unreadable'
	| 'memory'
	| 'cancelled';

export interface ImportErrorDetail {
	problem: ImportProblem;
	file?: string;
	/** Line of the record in its file (the header, if any, is line 1). */
	line?: number;
	column?: string;
	value?: string;
	/** For `not_text`: what the file is instead. */
	fileKind?: NotTextKind;
	/** Extra text from the reader (e.g. "Expected Number of Columns: 17 Found: 18"). */
	detail?: string;
}

const SUMMARY: Record<ImportProblem, string> = {
	encoding: 'the text is not valid in the detected encoding',
	malformed: 'a row does not fit the file layout',
	time: 'a time cannot be read',
	date: 'a date cannot be read',
	required: 'a required value is empty',
	answer_before_arrival: 'check "answer not before arrival" failed: the call is answered before it arrives',
	end_before_arrival: 'check "end not before arrival" failed: the call ends before it arrives',
	end_before_answer: 'check "end not before answer" failed: the call ends before it is answered',
	duration: 'check "duration is a number of seconds from 0 to 24 h" failed',
	date_range: 'check "arrival between 1970 and next year" failed: the date is out of range',
	unrecognised: 'the layout was not recognised and the mapping has no arrival time',
	not_text: 'the file is not call records as text',
	missing_column: 'a column the mapping needs is missing',
	mixed_layouts: 'the files do not share one layout',
	too_large: 'the files are too large for this browser',
	empty: 'no call records were found',
	unreadable: 'the file cannot be read',
	memory: 'the browser ran out of memory',
	cancelled: 'the import was cancelled'
};

export class ImportError extends Error {
	readonly detail: ImportErrorDetail;
	constructor(detail: ImportErrorDetail) {
		super(describeImportError(detail));
		this.name = 'ImportError';
		this.detail = detail;
	}
}

/** One line a person can act on, e.g. `calls.csv, line 7, column "start": a time cannot be read: "2024-13-45"`. */
export function describeImportError(d: ImportErrorDetail): string {
	const where = [
		d.file,
		d.line !== undefined ? `line ${d.line}` : undefined,
		d.column !== undefined ? `column ${JSON.stringify(d.column)}` : undefined
	]
		.filter(Boolean)
		.join(', ');
	const value = d.fileKind ? `: ${NOT_TEXT[d.fileKind]}` : d.value !== undefined ? `: ${JSON.stringify(truncate(d.value))}` : '';
	const extra = d.detail ? ` (${truncate(d.detail, 800)})` : '';
	return `${where ? where + ': ' : ''}${SUMMARY[d.problem]}${value}${extra}`;
}

function truncate(text: string, max = 120): string {
	return text.length > max ? text.slice(0, max) + '…' : text;
}

/** What the file is, and what to do instead (the Import page says the same in Chinese). */
export const NOT_TEXT: Record<NotTextKind, string> = {
	xlsx: 'it is an Excel workbook (XLSX); save the sheet as CSV (UTF-8) and import the CSV',
	xls: 'it is an old Excel workbook (XLS); save the sheet as CSV (UTF-8) and import the CSV',
	zip: 'it is a ZIP archive; extract the CSV files and import those',
	pdf: 'it is a PDF document; export the records as CSV from the system that made it',
	png: 'it is a PNG image',
	jpeg: 'it is a JPEG image',
	gif: 'it is a GIF image',
	binary: 'it holds binary data (control bytes), not text'
};
