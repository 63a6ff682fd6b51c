import { describe, expect, it } from 'vitest';
import { EncodingError } from '$lib/imports/encoding';
import { ImportError } from '$lib/imports/errors';
import { fromFailure, toFailure } from '$lib/imports/piece-protocol';

/** What the page receives of an error thrown in the worker that cuts pieces: posted (structured clone), then rebuilt. */
const throughWorker = (error: unknown) => fromFailure(structuredClone(toFailure(error)));

describe('errors cutting a file in a worker reach the page as they were thrown', () => {
	it('an import error keeps its file, line, value and words', () => {
		const thrown = new ImportError({ problem: 'malformed', file: 'calls.jsonl', line: 7, value: '{"a":', detail: 'not a JSON object' });
		const received = throughWorker(thrown);
		expect(received).toBeInstanceOf(ImportError);
		expect((received as ImportError).detail).toEqual({ problem: 'malformed', file: 'calls.jsonl', line: 7, value: '{"a":', detail: 'not a JSON object' });
		expect(received.message).toBe(thrown.message);
	});

	it('an invalid byte keeps its encoding, byte, offset, line and character', () => {
		const thrown = new EncodingError('gb18030', 1234, 0xff, { line: 12, character: 5 });
		const received = throughWorker(thrown);
		expect(received).toBeInstanceOf(EncodingError);
		expect(received.message).toBe('not valid GB18030: byte 0xFF at byte offset 1234, line 12, character 5');
		expect((received as EncodingError).position).toEqual({ line: 12, character: 5 });
	});

	it('anything else keeps its message', () => {
		const received = throughWorker(new TypeError('the stream broke'));
		expect(received.message).toBe('the stream broke');
		expect(received).not.toBeInstanceOf(ImportError);
	});
});
