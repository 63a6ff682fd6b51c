import { physicalLines } from './physical-lines';
import type { FromLineWorker, ToLineWorker } from './worker-lines';

/**
 * Counts one file's physical lines off the page's thread (worker-lines.ts). On the page, the
 * count read the whole file there: chunks already read resolve one after another without
 * yielding, which held the page for 182 ms at a time while a clean million-call CSV was imported
 * (421 ms at five million; docs/performance.md).
 */
self.onmessage = async ({ data }: MessageEvent<ToLineWorker>) => {
	const answer: FromLineWorker = await physicalLines(data.file).then(
		(lines) => ({ type: 'lines', lines }),
		(error: unknown) => ({ type: 'failed', message: error instanceof Error ? error.message : String(error) })
	);
	self.postMessage(answer);
};
