import { physicalLines } from './physical-lines';
import type { FromLineWorker, ToLineWorker } from './worker-lines';

/**
 * Counts one file's physical lines off the page's thread (worker-lines.ts). On the page, the
 * count read the whole file there: chunks already read resolve one after another without
 * yielding, which held the page 0.2–0.6 s at a time while a clean million-call CSV was imported.
 */
self.onmessage = async ({ data }: MessageEvent<ToLineWorker>) => {
	const answer: FromLineWorker = await physicalLines(data.file).then(
		(lines) => ({ type: 'lines', lines }),
		(error: unknown) => ({ type: 'failed', message: error instanceof Error ? error.message : String(error) })
	);
	self.postMessage(answer);
};
