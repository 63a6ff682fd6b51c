import { physicalLines } from './physical-lines';
import type { SourceFile } from './source';

/**
 * A file's physical lines (physical-lines.ts), counted in a worker of its own for a browser
 * `File` (line-worker.ts: the file passes by reference, the page's thread reads none of it), on
 * this thread otherwise (the command line, the tests, a runtime without workers). `signal`
 * stops the count: the worker is ended and the promise rejects.
 */
export function countLines(file: SourceFile, signal?: AbortSignal): Promise<number> {
	if (!file.browserFile || typeof Worker === 'undefined') return physicalLines(file, signal);
	const browserFile = file.browserFile;
	return new Promise<number>((resolve, reject) => {
		const stopped = () => new Error('the count of lines was stopped');
		if (signal?.aborted) return reject(stopped());
		const worker = new Worker(new URL('./line-worker.ts', import.meta.url), { type: 'module', name: 'holdline-lines' });
		const end = () => {
			worker.terminate();
			signal?.removeEventListener('abort', stop);
		};
		const stop = () => {
			end();
			reject(stopped());
		};
		signal?.addEventListener('abort', stop);
		worker.onmessage = ({ data }: MessageEvent<FromLineWorker>) => {
			end();
			if (data.type === 'lines') resolve(data.lines);
			else reject(new Error(data.message));
		};
		// A worker that could not start (or a message it could not read): counted here instead.
		const inPlace = (event: Event) => {
			event.preventDefault();
			end();
			physicalLines(file, signal).then(resolve, reject);
		};
		worker.onerror = inPlace;
		worker.onmessageerror = inPlace;
		worker.postMessage({ file: browserFile } satisfies ToLineWorker);
	});
}

/** What the page sends the line worker: the file (structured clone passes a reference, not its bytes). */
export interface ToLineWorker {
	file: File;
}

/** The worker's one answer. */
export type FromLineWorker = { type: 'lines'; lines: number } | { type: 'failed'; message: string };
