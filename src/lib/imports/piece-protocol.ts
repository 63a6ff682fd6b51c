import { EncodingError, type Encoding, type TextPosition } from './encoding';
import { ImportError, type ImportErrorDetail } from './errors';
import type { RecordPiece } from './records';
import type { PieceSpec } from './text-pieces';

/** The messages between the page and the worker that cuts a file into pieces (`piece-worker.ts`). */

export type ToPieceWorker =
	/** `compressed`: the file is gzip, read as its content. */
	| { type: 'start'; file: File; compressed: boolean; spec: PieceSpec; repair: boolean }
	/** Cut the next piece; answered by exactly one `piece`, `done` or `failed`. */
	| { type: 'pull' };

export type FromPieceWorker =
	| { type: 'progress'; bytesRead: number }
	| { type: 'invalid'; error: EncodingFields }
	| { type: 'piece'; piece: RecordPiece; bytesRead: number }
	| { type: 'done'; bytesRead: number }
	| { type: 'failed'; failure: Failure };

interface EncodingFields {
	encoding: Encoding;
	offset: number;
	byte: number;
	position: TextPosition;
}

/** An error as plain data (a worker's error object loses its class and fields on the way). */
export type Failure = { kind: 'import'; detail: ImportErrorDetail } | { kind: 'encoding'; error: EncodingFields } | { kind: 'other'; message: string };

export function encodingFields({ encoding, offset, byte, position }: EncodingError): EncodingFields {
	return { encoding, offset, byte, position };
}

export function toEncodingError({ encoding, offset, byte, position }: EncodingFields): EncodingError {
	return new EncodingError(encoding, offset, byte, position);
}

export function toFailure(error: unknown): Failure {
	if (error instanceof ImportError) return { kind: 'import', detail: error.detail };
	if (error instanceof EncodingError) return { kind: 'encoding', error: encodingFields(error) };
	return { kind: 'other', message: error instanceof Error ? error.message : String(error) };
}

export function fromFailure(failure: Failure): Error {
	if (failure.kind === 'import') return new ImportError(failure.detail);
	if (failure.kind === 'encoding') return toEncodingError(failure.error);
	return new Error(failure.message);
}
