/** Text encodings holdline reads; DuckDB itself only reads UTF-8, so others are transcoded. */
export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

/**
 * Guesses a file's encoding from its first bytes: a byte-order mark if there is one;
 * UTF-16 by its many zero bytes; UTF-8 if the sample decodes strictly; otherwise
 * GB18030 (a superset of GBK and GB2312, common in exports from Chinese systems).
 */
export function detectEncoding(sample: Uint8Array): Encoding {
	if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
	if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
	if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf-16be';
	const probe = sample.subarray(0, 4096);
	let evenZeros = 0;
	let oddZeros = 0;
	for (let i = 0; i < probe.length; i++) if (probe[i] === 0) (i % 2 ? oddZeros++ : evenZeros++);
	if (oddZeros > probe.length / 8 && oddZeros > evenZeros * 4) return 'utf-16le';
	if (evenZeros > probe.length / 8 && evenZeros > oddZeros * 4) return 'utf-16be';
	// Cut at the last line break so a character split by the sample's end is not an error.
	const lastNewline = sample.lastIndexOf(0x0a);
	const whole = lastNewline > 0 ? sample.subarray(0, lastNewline) : sample;
	try {
		new TextDecoder('utf-8', { fatal: true }).decode(whole);
		return 'utf-8';
	} catch {
		return 'gb18030';
	}
}

/** Decodes a sample for format detection (lenient: a cut character at the end is fine). */
export function decodeSample(sample: Uint8Array, encoding: Encoding): string {
	return new TextDecoder(encoding).decode(sample).replace(/^\uFEFF/, '');
}

/**
 * The file as a UTF-8 byte stream, transcoded chunk by chunk when it is not UTF-8 (never
 * two full copies in memory). A UTF-8 byte-order mark is dropped. Invalid bytes in a
 * transcoded file fail with the byte offset near which they were found.
 */
export function utf8Stream(
	source: ReadableStream<Uint8Array>,
	encoding: Encoding,
	onBytes: (bytesRead: number) => void
): ReadableStream<Uint8Array> {
	let offset = 0;
	let first = true;
	const counted = source.pipeThrough(
		new TransformStream<Uint8Array, Uint8Array>({
			transform(chunk, controller) {
				offset += chunk.byteLength;
				onBytes(offset);
				if (first && encoding === 'utf-8' && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf)
					chunk = chunk.subarray(3);
				first = false;
				controller.enqueue(chunk);
			}
		})
	);
	if (encoding === 'utf-8') return counted;
	const decoder = new TextDecoder(encoding, { fatal: true });
	const encoder = new TextEncoder();
	return counted.pipeThrough(
		new TransformStream<Uint8Array, Uint8Array>({
			transform(chunk, controller) {
				let text: string;
				try {
					text = decoder.decode(chunk, { stream: true });
				} catch {
					throw new EncodingError(encoding, offset);
				}
				if (text) controller.enqueue(encoder.encode(text));
			},
			flush(controller) {
				let text: string;
				try {
					text = decoder.decode();
				} catch {
					throw new EncodingError(encoding, offset);
				}
				if (text) controller.enqueue(encoder.encode(text));
			}
		})
	);
}

export class EncodingError extends Error {
	constructor(
		readonly encoding: Encoding,
		readonly nearByte: number
	) {
		super(`bytes before offset ${nearByte} are not valid ${encoding}`);
	}
}
