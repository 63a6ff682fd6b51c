import { ImportError } from './errors';
import { fromFailure, toEncodingError, type FromPieceWorker, type ToPieceWorker } from './piece-protocol';
import type { RecordPiece } from './records';
import type { SourceFile } from './source';
import { textPieces, type PieceHooks, type PieceSpec } from './text-pieces';

/**
 * The browser's `PieceSource`: a file is read, transcoded and cut in a worker of its own
 * (`piece-worker.ts`), so the page's thread only passes each piece's buffer on (transferred,
 * never copied). Cancel terminates the worker. A file that is not a browser `File` (or a
 * runtime without workers) is cut on this thread.
 */
export function workerPieces(file: SourceFile, spec: PieceSpec, hooks: PieceHooks): AsyncGenerator<RecordPiece> {
	if (!file.browserFile || typeof Worker === 'undefined') return textPieces(file, spec, hooks);
	return piecesFromWorker(file.browserFile, !!file.compressed, spec, hooks);
}

type Answer = Extract<FromPieceWorker, { type: 'piece' | 'done' | 'failed' }>;

async function* piecesFromWorker(
	file: File,
	compressed: boolean,
	spec: PieceSpec,
	{ signal, progress, invalidBytes }: PieceHooks
): AsyncGenerator<RecordPiece> {
	const worker = new Worker(new URL('./piece-worker.ts', import.meta.url), { type: 'module', name: 'holdline-pieces' });
	const send = (message: ToPieceWorker) => worker.postMessage(message);
	let waiting: { resolve: (answer: Answer) => void; reject: (error: unknown) => void } | undefined;
	// A failure while no pull waits is kept for the next one: a pull to a dead worker never returns.
	let failed: { error: unknown } | undefined;
	const fail = (error: unknown) => {
		failed ??= { error };
		waiting?.reject(error);
		waiting = undefined;
	};
	worker.onmessage = ({ data }: MessageEvent<FromPieceWorker>) => {
		if (data.type === 'progress') return progress(data.bytesRead);
		if (data.type === 'invalid') return invalidBytes?.(toEncodingError(data.error));
		waiting?.resolve(data);
		waiting = undefined;
	};
	worker.onmessageerror = () => fail(new Error('a message from the worker reading the file could not be read'));
	worker.onerror = (event) => {
		event.preventDefault();
		fail(new Error(event.message || 'the worker reading the file stopped'));
	};
	const cancel = () => {
		worker.terminate();
		fail(new ImportError({ problem: 'cancelled' }));
	};
	signal?.addEventListener('abort', cancel);
	try {
		send({ type: 'start', file, compressed, spec, repair: !!invalidBytes });
		for (;;) {
			if (signal?.aborted) throw new ImportError({ problem: 'cancelled' });
			const answer = await new Promise<Answer>((resolve, reject) => {
				if (failed) return reject(failed.error);
				waiting = { resolve, reject };
				send({ type: 'pull' });
			});
			if (answer.type === 'failed') throw fromFailure(answer.failure);
			progress(answer.bytesRead);
			if (answer.type === 'done') return;
			yield answer.piece;
		}
	} finally {
		signal?.removeEventListener('abort', cancel);
		worker.terminate();
	}
}
