/** Text encodings holdline reads; DuckDB itself only reads UTF-8, so others are transcoded. */
export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

/** How messages name an encoding. */
export const ENCODING_NAME: Record<Encoding, string> = { 'utf-8': 'UTF-8', 'utf-16le': 'UTF-16LE', 'utf-16be': 'UTF-16BE', gb18030: 'GB18030' };

/**
 * Guesses a file's encoding from its first bytes: a byte-order mark if there is one;
 * UTF-16 by its many zero bytes; UTF-8 if the sample decodes strictly; otherwise the
 * encoding most of its non-ASCII bytes fit: UTF-8 when they mostly form UTF-8 sequences
 * (a UTF-8 export with one damaged byte is still UTF-8, and its message must say so),
 * GB18030 (a superset of GBK and GB2312, common in exports from Chinese systems) when
 * they form GB18030 characters; UTF-8 when neither fits.
 */
export function detectEncoding(sample: Uint8Array): Encoding {
	if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
	if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
	if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf-16be';
	const utf16 = utf16ByZeros(sample);
	if (utf16) return utf16;
	// Cut at the last line break so a character split by the sample's end is not an error.
	const lastNewline = sample.lastIndexOf(0x0a);
	const whole = lastNewline > 0 ? sample.subarray(0, lastNewline) : sample;
	const utf8 = scanUtf8(whole);
	if (utf8.invalid === 0) return 'utf-8';
	if (utf8.sequences > utf8.invalid) return 'utf-8';
	const gb = scanGb18030(whole);
	if (gb.invalid === 0 || gb.sequences > gb.invalid + utf8.sequences) return 'gb18030';
	// Neither fits: ASCII with a stray byte, say. Name the encoding nearly every export uses.
	return 'utf-8';
}

function utf16ByZeros(sample: Uint8Array): Encoding | undefined {
	const probe = sample.subarray(0, 4096);
	let evenZeros = 0;
	let oddZeros = 0;
	for (let i = 0; i < probe.length; i++) {
		if (probe[i] !== 0) continue;
		if (i % 2) oddZeros++;
		else evenZeros++;
	}
	if (oddZeros > probe.length / 8 && oddZeros > evenZeros * 4) return 'utf-16le';
	if (evenZeros > probe.length / 8 && evenZeros > oddZeros * 4) return 'utf-16be';
	return undefined;
}

/** Decodes a sample for format detection (lenient: a cut character at the end is fine). */
export function decodeSample(sample: Uint8Array, encoding: Encoding): string {
	return new TextDecoder(encoding).decode(sample).replace(/^\uFEFF/, '');
}

interface Scan {
	/** Multi-byte sequences that were valid. */
	sequences: number;
	/** Invalid bytes (each starts a resync). */
	invalid: number;
	/** Offset of the first invalid byte, or -1. */
	firstInvalid: number;
	/** Where a character cut by the end of the bytes starts (the end when none is). */
	complete: number;
}

/**
 * The length of the sequence a byte ≥ 0x80 starts at `i`: > 0 when valid, 0 when invalid,
 * -1 when the bytes end before it does (carried to the next chunk).
 */
type SequenceAt = (bytes: Uint8Array, i: number) => number;

/** Walks `bytes`: ASCII bytes pass, the rest by the encoding's own sequence rule. */
function walk(bytes: Uint8Array, sequenceAt: SequenceAt): Scan {
	const scan: Scan = { sequences: 0, invalid: 0, firstInvalid: -1, complete: bytes.length };
	for (let i = 0; i < bytes.length;) {
		if (bytes[i]! < 0x80) {
			i++;
			continue;
		}
		const length = sequenceAt(bytes, i);
		if (length < 0) {
			scan.complete = i;
			return scan;
		}
		if (length > 0) {
			scan.sequences++;
			i += length;
		} else {
			if (scan.firstInvalid < 0) scan.firstInvalid = i;
			scan.invalid++;
			i++;
		}
	}
	return scan;
}

/** UTF-8 by its definition (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF). */
const utf8SequenceAt: SequenceAt = (bytes, i) => {
	const b = bytes[i]!;
	const [length, min2, max2] =
		b >= 0xc2 && b <= 0xdf
			? [2, 0x80, 0xbf]
			: b === 0xe0
				? [3, 0xa0, 0xbf]
				: b === 0xed
					? [3, 0x80, 0x9f]
					: b >= 0xe1 && b <= 0xef
						? [3, 0x80, 0xbf]
						: b === 0xf0
							? [4, 0x90, 0xbf]
							: b === 0xf4
								? [4, 0x80, 0x8f]
								: b >= 0xf1 && b <= 0xf3
									? [4, 0x80, 0xbf]
									: [0, 0, 0];
	for (let k = 1; k < length; k++) {
		if (i + k >= bytes.length) return -1;
		const c = bytes[i + k]!;
		if (!(k === 1 ? c >= min2 && c <= max2 : c >= 0x80 && c <= 0xbf)) return 0;
	}
	return length;
};

/** GB18030 by its byte ranges: 1 byte < 0x80; 2 bytes 81–FE, 40–7E|80–FE; 4 bytes 81–FE, 30–39, 81–FE, 30–39. */
const gb18030SequenceAt: SequenceAt = (bytes, i) => {
	const b = bytes[i]!;
	if (b < 0x81 || b > 0xfe) return 0;
	if (i + 1 >= bytes.length) return -1;
	const c = bytes[i + 1]!;
	if ((c >= 0x40 && c <= 0x7e) || (c >= 0x80 && c <= 0xfe)) return 2;
	if (c < 0x30 || c > 0x39) return 0;
	if (i + 3 >= bytes.length) return -1;
	const d = bytes[i + 2]!;
	const e = bytes[i + 3]!;
	if (d < 0x81 || d > 0xfe || e < 0x30 || e > 0x39) return 0;
	// Four-byte codes map only two ranges (the BMP's rest, and U+10000–U+10FFFF); the gap
	// between and the codes past the end are no character, and a decoder would turn them into U+FFFD.
	const pointer = (((b - 0x81) * 10 + (c - 0x30)) * 126 + (d - 0x81)) * 10 + (e - 0x30);
	return pointer <= 39419 || (pointer >= 189000 && pointer <= 1237575) ? 4 : 0;
};

export const scanUtf8 = (bytes: Uint8Array): Scan => walk(bytes, utf8SequenceAt);
export const scanGb18030 = (bytes: Uint8Array): Scan => walk(bytes, gb18030SequenceAt);

/** UTF-16: a code unit pair cut by the end, or a high surrogate waiting for its low half, is carried. */
function scanUtf16(bytes: Uint8Array, bigEndian: boolean): Scan {
	const scan: Scan = { sequences: 0, invalid: 0, firstInvalid: -1, complete: bytes.length - (bytes.length % 2) };
	const unit = (i: number) => (bigEndian ? (bytes[i]! << 8) | bytes[i + 1]! : bytes[i]! | (bytes[i + 1]! << 8));
	for (let i = 0; i + 1 < bytes.length; i += 2) {
		const u = unit(i);
		if (u >= 0xd800 && u <= 0xdbff) {
			if (i + 3 >= bytes.length) {
				scan.complete = i;
				return scan;
			}
			const next = unit(i + 2);
			if (next >= 0xdc00 && next <= 0xdfff) {
				i += 2;
				continue;
			}
		}
		if (u >= 0xd800 && u <= 0xdfff) {
			if (scan.firstInvalid < 0) scan.firstInvalid = i;
			scan.invalid++;
		}
	}
	return scan;
}

const SCANNERS: Record<Encoding, (bytes: Uint8Array) => Scan> = {
	'utf-8': scanUtf8,
	gb18030: scanGb18030,
	'utf-16le': (b) => scanUtf16(b, false),
	'utf-16be': (b) => scanUtf16(b, true)
};

/** Where in the text a byte offset is: physical line and character within it (both from 1). */
export interface TextPosition {
	line: number;
	character: number;
}

/**
 * The file as a UTF-8 byte stream, transcoded chunk by chunk when it is not UTF-8 (never
 * two full copies in memory). A byte-order mark is dropped. Every character is checked
 * against the encoding's own definition (UTF-8 too: the database would otherwise refuse
 * the whole row with a message naming neither the byte nor its offset). An invalid byte
 * stops with its encoding, offset, line and character — or, given `onInvalid`, becomes
 * U+FFFD (the replacement character) and is passed on to be reported.
 */
export function utf8Stream(
	source: ReadableStream<Uint8Array>,
	encoding: Encoding,
	onBytes: (bytesRead: number) => void,
	onInvalid?: (error: EncodingError) => void
): ReadableStream<Uint8Array> {
	const scanner = SCANNERS[encoding];
	const transcode = encoding === 'utf-8' ? undefined : (bytes: Uint8Array) => new TextDecoder(encoding).decode(bytes);
	const encoder = new TextEncoder();
	const utf8 = new TextDecoder('utf-8');
	const text = (bytes: Uint8Array) => transcode?.(bytes) ?? utf8.decode(bytes);
	const lines = new LineTracker();
	let bytesRead = 0;
	/** Bytes of a character cut by the previous chunk's end, and their offset in the file. */
	let carry = new Uint8Array(0);
	let carryOffset = 0;
	const emit = (bytes: Uint8Array, controller: TransformStreamDefaultController<Uint8Array>) => {
		if (!bytes.length) return;
		const decoded = transcode?.(bytes);
		// UTF-8 passes through undecoded: its lines are counted on the bytes.
		if (decoded === undefined) lines.advanceUtf8(bytes);
		else lines.advance(decoded);
		controller.enqueue(decoded !== undefined ? encoder.encode(decoded) : bytes);
	};
	const pass = (bytes: Uint8Array, controller: TransformStreamDefaultController<Uint8Array>, final: boolean) => {
		for (;;) {
			const scan = scanner(bytes);
			const bad = scan.firstInvalid >= 0 ? scan.firstInvalid : final && scan.complete < bytes.length ? scan.complete : -1;
			if (bad < 0) {
				emit(bytes.subarray(0, scan.complete), controller);
				carry = bytes.slice(scan.complete);
				carryOffset += scan.complete;
				return;
			}
			const error = new EncodingError(encoding, carryOffset + bad, bytes[bad]!, lines.at(text(bytes.subarray(0, bad))));
			if (!onInvalid) throw error;
			onInvalid(error);
			emit(bytes.subarray(0, bad), controller);
			lines.advance(REPLACEMENT_TEXT);
			controller.enqueue(encoder.encode(REPLACEMENT_TEXT));
			// A UTF-16 code unit is two bytes; every other encoding resyncs at the next byte.
			const skip = encoding.startsWith('utf-16') ? 2 : 1;
			bytes = bytes.subarray(bad + skip);
			carryOffset += bad + skip;
		}
	};
	return source.pipeThrough(
		new TransformStream<Uint8Array, Uint8Array>({
			transform(chunk, controller) {
				if (bytesRead === 0) {
					const bom = byteOrderMark(chunk, encoding);
					chunk = chunk.subarray(bom);
					carryOffset = bom;
					bytesRead = bom;
				}
				bytesRead += chunk.byteLength;
				onBytes(bytesRead);
				pass(carry.length ? join(carry, chunk) : chunk, controller, false);
			},
			flush(controller) {
				if (carry.length) pass(carry, controller, true);
			}
		})
	);
}

/** What an invalid byte becomes in repair mode: U+FFFD, the replacement character. */
const REPLACEMENT_TEXT = '\uFFFD';

/** Length of the byte-order mark a chunk starts with (dropped: the database would read it as text). */
function byteOrderMark(chunk: Uint8Array, encoding: Encoding): number {
	if (encoding === 'utf-8') return chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? 3 : 0;
	if (encoding === 'gb18030') return 0;
	return (chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff) ? 2 : 0;
}

/** Counts lines and characters of the text passed so far, to place an offset. */
class LineTracker {
	private lines = 0;
	private charactersInLine = 0;

	advance(text: string) {
		const last = text.lastIndexOf('\n');
		if (last < 0) {
			this.charactersInLine += characters(text);
			return;
		}
		for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lines++;
		this.charactersInLine = characters(text.slice(last + 1));
	}

	/** As `advance`, on UTF-8 bytes (a character is a byte that is not a continuation byte). */
	advanceUtf8(bytes: Uint8Array) {
		let last = -1;
		for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) {
			this.lines++;
			last = i;
		}
		let tail = 0;
		for (let i = last + 1; i < bytes.length; i++) if ((bytes[i]! & 0xc0) !== 0x80) tail++;
		this.charactersInLine = last >= 0 ? tail : this.charactersInLine + tail;
	}

	/** The position of the character right after `before` (text since the last advance). */
	at(before: string): TextPosition {
		const last = before.lastIndexOf('\n');
		const newlines = before.split('\n').length - 1;
		const character = last >= 0 ? characters(before.slice(last + 1)) : this.charactersInLine + characters(before);
		return { line: this.lines + newlines + 1, character: character + 1 };
	}
}

/** Characters as a person counts them (a surrogate pair is one). */
function characters(text: string): number {
	let n = text.length;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c >= 0xdc00 && c <= 0xdfff) n--;
	}
	return n;
}

function join(a: Uint8Array, b: Uint8Array): Uint8Array {
	const out = new Uint8Array(a.length + b.length);
	out.set(a);
	out.set(b, a.length);
	return out;
}

export class EncodingError extends Error {
	constructor(
		readonly encoding: Encoding,
		/** Offset of the first invalid byte within the file. */
		readonly offset: number,
		readonly byte: number,
		readonly position: TextPosition
	) {
		super(
			`not valid ${ENCODING_NAME[encoding]}: byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} at byte offset ${offset}, line ${position.line}, character ${position.character}`
		);
	}
}
