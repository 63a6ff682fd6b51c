import { ImportError } from './errors';
import { yieldToPage } from '$lib/yield-to-page';

/**
 * Cuts a UTF-8 byte stream into pieces that end on a record boundary: a line feed outside a
 * quoted field (a quoted field may hold line breaks). Each piece can then be parsed alone.
 * Working on bytes avoids decoding UTF-8 at all: `"`, the delimiter and `\n` never occur
 * inside a multi-byte UTF-8 sequence.
 *
 * The cutter follows the dialect the database reads: a quote opens a quoted field only at
 * the start of a field (`O"Brien` is plain text), `""` inside one is a quote. Every byte is
 * scanned once, so cutting is linear in the file size however long a record is (a record
 * spanning many chunks used to be rescanned for every chunk: 96 s for one 50 MB record).
 */
export interface RecordPiece {
	bytes: Uint8Array;
	/** Records in the piece. */
	records: number;
	/** Physical lines in the piece: records plus the line breaks inside quoted fields. */
	lines: number;
	/**
	 * Records (1-based within the piece) that span more than one line, with their extra
	 * lines: what turns a record number into the physical line a message must name.
	 */
	multiline: { record: number; extra: number }[];
}

export interface CutOptions {
	/** Whether double quotes delimit fields (not for queue_log or JSON lines). */
	quoted: boolean;
	/** The field delimiter (quotes open only after it or at a line start). */
	delimiter?: string;
	/** A record longer than this stops the cut with the line it starts on (the reader's own limit). */
	maxRecordBytes?: number;
	/** Named in errors. */
	fileName?: string;
	/**
	 * Whether the reader passes over blank lines (DuckDB's does, for more than one column): they
	 * are then no record, and the records after them move down a line each.
	 */
	skipsBlankLines?: boolean;
	/** The file's first lines, which the reader skips by count, blank or not (titles, header). */
	headLines?: number;
	/** Checked between reads and scan steps, so cancel takes effect within one step. */
	signal?: AbortSignal;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
/** The database reader refuses longer lines (`max_line_size`); say so before reading further. */
export const MAX_RECORD_BYTES = 10_000_000;
const STEP = 4 * 1024 * 1024;

/** Where the scan is within a field. */
const Field = {
	Start: 0,
	Plain: 1,
	Quoted: 2,
	/** A quote inside a quoted field: `""` (escaped) or the field's end. */
	QuoteInQuoted: 3
} as const;

/** Scan state across chunks: where the last record ended within the pending bytes. */
export class RecordScanner {
	/** Offset (within the pending bytes) of the last record-ending line feed, or -1. */
	lastEnd = -1;
	/** Records ending in the pending bytes. */
	records = 0;
	/** Physical lines before the record now being read (for messages). */
	linesBefore = 0;
	/** Records ending in the pending bytes that span several lines (see RecordPiece). */
	multiline: { record: number; extra: number }[] = [];
	private lines = 0;
	private linesAtRebase = 0;
	private extraInRecord = 0;
	private field: number = Field.Start;
	/** Whether the line being read has anything but its line break. */
	private content = false;
	constructor(
		private readonly quoted: boolean,
		private readonly delimiter: number,
		private readonly skipsBlankLines = false,
		private readonly headLines = 0
	) {}

	/** Scans `bytes[from, to)`, which sit at `base` within the pending bytes. */
	scan(bytes: Uint8Array, from: number, to: number, base: number) {
		const { quoted, delimiter, skipsBlankLines, headLines } = this;
		let field = this.field;
		let content = this.content;
		for (let i = from; i < to; i++) {
			const b = bytes[i]!;
			if (b === LF) {
				this.lines++;
				if (field === Field.Quoted && quoted) {
					this.extraInRecord++;
					continue;
				}
				this.lastEnd = base + i;
				if (skipsBlankLines && !content && this.lines > headLines) {
					// Read as an extra line of the record before it (none: 0), as a quoted line break is.
					const last = this.multiline.at(-1);
					if (last?.record === this.records) last.extra++;
					else this.multiline.push({ record: this.records, extra: 1 });
					this.linesBefore = this.lines;
					continue;
				}
				content = false;
				this.records++;
				if (this.extraInRecord) this.multiline.push({ record: this.records, extra: this.extraInRecord });
				this.extraInRecord = 0;
				this.linesBefore = this.lines;
				field = Field.Start;
			} else if (b !== CR) content = true;
			if (b === LF || !quoted) continue;
			if (b === QUOTE)
				field =
					field === Field.Start ? Field.Quoted : field === Field.Quoted ? Field.QuoteInQuoted : field === Field.QuoteInQuoted ? Field.Quoted : Field.Plain;
			else if (b === delimiter && field !== Field.Quoted) field = Field.Start;
			else if (field !== Field.Quoted) field = Field.Plain;
		}
		this.field = field;
		this.content = content;
	}

	/**
	 * The input ended (after a final line feed, real or added). Inside a quoted field, the
	 * rest of the file is one record whose quote never closed: it ends here, and its lines
	 * are counted so messages can say how many it swallowed.
	 */
	finish() {
		if (this.field !== Field.Quoted || !this.quoted) return;
		this.records++;
		const extra = this.extraInRecord - 1; // the final line feed ends the record
		if (extra > 0) this.multiline.push({ record: this.records, extra });
		this.extraInRecord = 0;
		this.linesBefore = this.lines;
		this.field = Field.Start;
	}

	/** Physical lines in the records ending in the pending bytes. */
	get pendingLines(): number {
		return this.linesBefore - this.linesAtRebase;
	}

	/** The pending bytes now start after the last record end. */
	rebase() {
		this.lastEnd = -1;
		this.records = 0;
		this.multiline = [];
		this.linesAtRebase = this.linesBefore;
	}
}

export async function* recordPieces(stream: ReadableStream<Uint8Array>, targetBytes: number, options: CutOptions): AsyncGenerator<RecordPiece> {
	const { quoted, delimiter = ',', maxRecordBytes = MAX_RECORD_BYTES, fileName, signal, skipsBlankLines, headLines } = options;
	const scanner = new RecordScanner(quoted, delimiter.charCodeAt(0), skipsBlankLines, headLines);
	const reader = stream.getReader();
	const cancelled = () => {
		if (signal?.aborted) throw new ImportError({ problem: 'cancelled' });
	};
	let parts: Uint8Array[] = [];
	let size = 0;
	try {
		for (;;) {
			cancelled();
			const { done, value } = await reader.read();
			if (done) break;
			for (let from = 0; from < value.byteLength; from += STEP) {
				if (from > 0) {
					await yieldToPage();
					cancelled();
				}
				scanner.scan(value, from, Math.min(value.byteLength, from + STEP), size);
			}
			parts.push(value);
			size += value.byteLength;
			if (size - (scanner.lastEnd + 1) > maxRecordBytes)
				throw new ImportError({
					problem: 'malformed',
					file: fileName,
					line: scanner.linesBefore + 1,
					hint: { key: quoted ? 'hint.long_record_quote' : 'hint.long_record', values: { bytes: maxRecordBytes.toLocaleString('en') } }
				});
			if (size < targetBytes || scanner.lastEnd < 0) continue;
			const pending = concat(parts, size);
			const end = scanner.lastEnd + 1;
			// The rest (part of one record) is copied out, so the piece can own its whole buffer:
			// the database then takes it over without another copy where the engine can shrink it.
			const rest = pending.slice(end);
			const piece = { records: scanner.records, lines: scanner.pendingLines, multiline: scanner.multiline };
			scanner.rebase();
			await yieldToPage();
			cancelled();
			yield { bytes: ownBuffer(pending, end), ...piece };
			parts = rest.byteLength ? [rest] : [];
			size = rest.byteLength;
		}
		if (size > 0) {
			const pending = concat(parts, size);
			const endsWithLf = pending[pending.byteLength - 1] === LF;
			const last = endsWithLf ? pending : concat([pending, new Uint8Array([LF])], size + 1);
			if (!endsWithLf) scanner.scan(last, last.byteLength - 1, last.byteLength, 0);
			scanner.finish();
			if (!isBlank(last)) yield { bytes: last, records: scanner.records, lines: scanner.pendingLines, multiline: scanner.multiline };
		}
	} finally {
		reader.releaseLock();
	}
}

/** The first `length` bytes as an array spanning its whole buffer (shrunk in place where the engine can). */
function ownBuffer(bytes: Uint8Array, length: number): Uint8Array {
	const buffer = bytes.buffer as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer };
	// Only a buffer this array spans alone may be taken over (a stream may share one between chunks).
	const alone = bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength;
	if (alone && typeof buffer.transfer === 'function') return new Uint8Array(buffer.transfer(length));
	return bytes.slice(0, length);
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
	if (parts.length === 1) return parts[0]!;
	const out = new Uint8Array(size);
	let at = 0;
	for (const part of parts) {
		out.set(part, at);
		at += part.byteLength;
	}
	return out;
}

function isBlank(bytes: Uint8Array): boolean {
	for (const b of bytes) if (b !== LF && b !== 0x0d && b !== 0x20 && b !== 0x09) return false;
	return true;
}
