import type { EncodingError } from './encoding';
import { encodingFields, toFailure, type FromPieceWorker, type ToPieceWorker } from './piece-protocol';
import type { RecordPiece } from './records';
import { gunzipped } from './sniff';
import { fromBrowserFile } from './source';
import { textPieces } from './text-pieces';

/**
 * Reads, transcodes and cuts one file into record-aligned pieces, off the page's thread:
 * there, the same steps held the page in 17 tasks over 50 ms, the longest 1,355 ms, while
 * importing 1 M rows (a profile on a loaded machine, see the README's Performance). Each piece's
 * buffer is transferred to the page (no copy), which hands it on to the database's worker.
 * One piece is cut per `pull`, so at most one waits while the database parses another.
 */

/** Progress reaches the page at most this often: each report re-renders the progress bar. */
const PROGRESS_EVERY_MS = 100;

const post = (message: FromPieceWorker, transfer: Transferable[] = []) => self.postMessage(message, { transfer });
let pieces: AsyncGenerator<RecordPiece> | undefined;
let bytesRead = 0;
let reportedAt = 0;

function progress(bytes: number) {
	bytesRead = bytes;
	const now = performance.now();
	if (now - reportedAt < PROGRESS_EVERY_MS) return;
	reportedAt = now;
	post({ type: 'progress', bytesRead });
}

self.onmessage = async ({ data }: MessageEvent<ToPieceWorker>) => {
	if (data.type === 'start') {
		const source = fromBrowserFile(data.file);
		const invalidBytes = data.repair ? (error: EncodingError) => post({ type: 'invalid', error: encodingFields(error) }) : undefined;
		pieces = textPieces(data.compressed ? gunzipped(source) : source, data.spec, { progress, invalidBytes });
		return;
	}
	try {
		const next = await pieces!.next();
		if (next.done) return post({ type: 'done', bytesRead });
		// Only a buffer the piece spans alone can be transferred whole.
		const { bytes } = next.value;
		const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
		post({ type: 'piece', piece: { ...next.value, bytes: own }, bytesRead }, [own.buffer]);
	} catch (error) {
		post({ type: 'failed', failure: toFailure(error) });
	}
};
