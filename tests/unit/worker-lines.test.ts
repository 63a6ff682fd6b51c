import { afterEach, describe, expect, it, vi } from 'vitest';
import { countLines, type FromLineWorker, type ToLineWorker } from '$lib/imports/worker-lines';
import { physicalLines } from '$lib/imports/physical-lines';
import { fromBrowserFile, fromBytes } from '$lib/imports/source';

/**
 * The line count of a clean CSV (clean-csv.ts proves row n is line n + 1 with it): a browser
 * `File` is counted in a worker, the page's thread reads none of its bytes; anything else in
 * place. Node has no `Worker`: a stand-in answers as line-worker.ts does (the built page runs the
 * real one, tests/browser/import.test.ts).
 */

/** Lines as the format's documentation counts them: the line feeds, plus a last line without one. */
const linesOf = (text: string) => text.split('\n').length - (text.endsWith('\n') || text === '' ? 1 : 0);

interface Stand {
	files: File[];
	terminated: number;
	/** What the stand-in does with a message: answer as the worker does, fail to start, or say nothing. */
	mode: 'answer' | 'broken' | 'silent';
}

function standIn(stand: Stand) {
	return class {
		onmessage: ((event: MessageEvent<FromLineWorker>) => void) | null = null;
		onerror: ((event: Event) => void) | null = null;
		onmessageerror: ((event: Event) => void) | null = null;
		postMessage({ file }: ToLineWorker) {
			stand.files.push(file);
			if (stand.mode === 'broken') queueMicrotask(() => this.onerror?.(new Event('error', { cancelable: true })));
			if (stand.mode === 'answer')
				void physicalLines(file).then((lines) => this.onmessage?.({ data: { type: 'lines', lines } } as MessageEvent<FromLineWorker>));
		}
		terminate() {
			stand.terminated++;
		}
	};
}

function stub(mode: Stand['mode']): Stand {
	const stand: Stand = { files: [], terminated: 0, mode };
	vi.stubGlobal('Worker', standIn(stand));
	return stand;
}

afterEach(() => vi.unstubAllGlobals());

describe('countLines', () => {
	const texts = ['h\nx\ny\n', 'h\nx\ny', 'h\r\nx\r\n\r\n', '', 'only a header', `h\n${'a,b,c\n'.repeat(30_000)}`];

	it('counts a browser file in a worker, passing the file itself, and ends the worker', async () => {
		for (const text of texts) {
			const stand = stub('answer');
			const file = new File([text], 'calls.csv');
			expect(await countLines(fromBrowserFile(file))).toBe(linesOf(text));
			expect(stand.files).toEqual([file]);
			expect(stand.terminated).toBe(1);
		}
	});

	it('counts in place what is not a browser file, with no worker', async () => {
		const stand = stub('answer');
		for (const text of texts) expect(await countLines(fromBytes('calls.csv', text))).toBe(linesOf(text));
		expect(stand.files).toEqual([]);
	});

	it('counts in place when the worker cannot start', async () => {
		const stand = stub('broken');
		const text = 'h\nx\ny';
		expect(await countLines(fromBrowserFile(new File([text], 'calls.csv')))).toBe(3);
		expect(stand.terminated).toBe(1);
	});

	it('stops the worker and rejects when the count is stopped', async () => {
		const stand = stub('silent');
		const stop = new AbortController();
		const counting = countLines(fromBrowserFile(new File(['h\nx\n'], 'calls.csv')), stop.signal);
		stop.abort();
		await expect(counting).rejects.toThrow(/stopped/);
		expect(stand.terminated).toBe(1);
		const already = new AbortController();
		already.abort();
		await expect(countLines(fromBrowserFile(new File(['h\n'], 'calls.csv')), already.signal)).rejects.toThrow(/stopped/);
		expect(stand.files).toHaveLength(1);
	});

	it('rejects with the worker’s own words when its reading fails', async () => {
		vi.stubGlobal(
			'Worker',
			class {
				onmessage: ((event: MessageEvent<FromLineWorker>) => void) | null = null;
				postMessage() {
					queueMicrotask(() => this.onmessage?.({ data: { type: 'failed', message: 'the file changed' } } as MessageEvent<FromLineWorker>));
				}
				terminate() {}
			}
		);
		await expect(countLines(fromBrowserFile(new File(['h\n'], 'calls.csv')))).rejects.toThrow('the file changed');
	});
});
