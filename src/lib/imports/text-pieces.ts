import { utf8Stream, type Encoding, type EncodingError } from './encoding';
import { ImportError } from './errors';
import { firstLine, type Inspection } from './inspect';
import { recordPieces, type RecordPiece } from './records';
import type { SourceFile } from './source';

/**
 * A text file (CSV or JSON lines, any encoding) as pieces of UTF-8 CSV that end on record
 * boundaries: transcoded, cut and (JSON lines) converted. The same steps run on the page's
 * thread (Node, tests) or in a worker of their own (`worker-pieces.ts`, the browser).
 */

/** What cutting a file needs to know: plain data, so it can be posted to a worker. */
export interface PieceSpec {
	encoding: Encoding;
	json: boolean;
	/** Whether double quotes delimit fields (not for queue_log or JSON lines). */
	quoted: boolean;
	delimiter: string;
	/** The columns JSON lines are converted to, in order. */
	columns: string[];
	pieceBytes: number;
	/** Whether the database's reader passes over blank lines: CSV of more than one column. */
	skipsBlankLines: boolean;
	/** The file's first lines the reader skips by count (titles, header), blank ones included. */
	headLines: number;
}

export interface PieceHooks {
	signal?: AbortSignal;
	/** Bytes of the file read so far (a compressed file's own bytes). */
	progress: (bytesRead: number) => void;
	/** Repairs an invalid byte (to U+FFFD) and reports it; without it, an invalid byte stops the import. */
	invalidBytes?: (error: EncodingError) => void;
}

/** Where the pieces of a file come from: cut here (`textPieces`) or in a worker. */
export type PieceSource = (file: SourceFile, spec: PieceSpec, hooks: PieceHooks) => AsyncGenerator<RecordPiece>;

/** The lines before a file's first record: its title lines, and the header with the lines under it. */
export const headLines = (layout: Inspection['layout']) => (layout.titleLines ?? 0) + (layout.header ? 1 + (layout.underHeaderLines ?? 0) : 0);

export function pieceSpec({ kind, encoding, layout }: Inspection, pieceBytes: number): PieceSpec {
	const json = kind === 'jsonl';
	// A copy: the page's inspections are reactive proxies, which cannot be posted.
	return {
		encoding,
		json,
		quoted: !json && layout.quote !== '',
		delimiter: layout.delimiter || ',',
		columns: [...layout.columns],
		pieceBytes,
		skipsBlankLines: !json && layout.columns.length > 1,
		headLines: headLines(layout)
	};
}

export async function* textPieces(file: SourceFile, spec: PieceSpec, { signal, progress, invalidBytes }: PieceHooks): AsyncGenerator<RecordPiece> {
	// A compressed file's progress counts its own bytes, not the larger content read.
	const read = file.rawBytesRead ? () => progress(file.rawBytesRead!()) : progress;
	const stream = utf8Stream(file.stream(), spec.encoding, read, invalidBytes);
	let linesBefore = 0;
	for await (const piece of recordPieces(stream, spec.pieceBytes, {
		quoted: spec.quoted,
		delimiter: spec.delimiter,
		fileName: file.name,
		signal,
		skipsBlankLines: spec.skipsBlankLines,
		headLines: spec.headLines
	})) {
		yield spec.json ? { ...piece, bytes: jsonLinesToCsv(piece.bytes, spec.columns, file.name, linesBefore) } : piece;
		linesBefore += piece.lines;
	}
}

/**
 * JSON lines → CSV text, in JavaScript: DuckDB-WASM's JSON reader is an extension it
 * would download, and holdline works offline. Keys missing from a record are empty.
 */
function jsonLinesToCsv(bytes: Uint8Array, columns: string[], fileName: string, linesBefore: number): Uint8Array {
	const lines = new TextDecoder().decode(bytes).split('\n');
	const out: string[] = [];
	const cell = (value: unknown) => {
		if (value === null || value === undefined) return '';
		const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
		return `"${text.replace(/"/g, '""')}"`;
	};
	lines.forEach((line, i) => {
		if (!line.trim()) return;
		let record: unknown;
		try {
			record = JSON.parse(line);
		} catch (error) {
			throw new ImportError({ problem: 'malformed', file: fileName, line: linesBefore + i + 1, value: line, detail: firstLine(error) });
		}
		if (!record || typeof record !== 'object' || Array.isArray(record))
			throw new ImportError({ problem: 'malformed', file: fileName, line: linesBefore + i + 1, value: line, hint: { key: 'hint.not_json_object' } });
		out.push(columns.map((c) => cell((record as Record<string, unknown>)[c])).join(','));
	});
	return new TextEncoder().encode(out.length ? out.join('\n') + '\n' : '');
}
