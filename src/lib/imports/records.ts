/**
 * Cuts a UTF-8 byte stream into pieces that end on a record boundary: a line feed
 * outside double quotes (a quoted field may hold line breaks). Each piece can then be
 * parsed alone. Working on bytes avoids decoding UTF-8 at all: `"` and `\n` never occur
 * inside a multi-byte UTF-8 sequence.
 */
export interface RecordPiece {
	bytes: Uint8Array;
	/** Records (lines) in the piece. */
	records: number;
}

const QUOTE = 0x22;
const LF = 0x0a;

export async function* recordPieces(
	stream: ReadableStream<Uint8Array>,
	targetBytes: number,
	quoted: boolean
): AsyncGenerator<RecordPiece> {
	const reader = stream.getReader();
	let parts: Uint8Array[] = [];
	let size = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			parts.push(value);
			size += value.byteLength;
			if (size < targetBytes) continue;
			const pending = concat(parts, size);
			await yieldToPage(); // each copy and scan step is its own task
			const { lastEnd, records } = await scanInSteps(pending, quoted);
			if (lastEnd < 0) {
				parts = [pending]; // a record longer than the target: keep reading
				continue;
			}
			// The rest (part of one record) is copied out, so the piece can own its whole buffer:
			// the database then takes it over without another copy where the engine can shrink it.
			const rest = pending.slice(lastEnd + 1);
			await yieldToPage();
			yield { bytes: ownBuffer(pending, lastEnd + 1), records };
			parts = rest.byteLength ? [rest] : [];
			size = rest.byteLength;
		}
		if (size > 0) {
			const pending = concat(parts, size);
			const last = pending[pending.byteLength - 1] === LF ? pending : concat([pending, new Uint8Array([LF])], size + 1);
			const { records } = scanRecords(last, quoted);
			if (!isBlank(last)) yield { bytes: last, records };
		}
	} finally {
		reader.releaseLock();
	}
}

interface Scan {
	lastEnd: number;
	records: number;
	inQuotes: boolean;
}

/** Position of the last record-ending line feed, and how many records end at or before it. */
export function scanRecords(bytes: Uint8Array, quoted: boolean, from = 0, to = bytes.length, state: Scan = { lastEnd: -1, records: 0, inQuotes: false }): Scan {
	let { lastEnd, records, inQuotes } = state;
	for (let i = from; i < to; i++) {
		const b = bytes[i];
		if (b === QUOTE && quoted) inQuotes = !inQuotes; // an escaped "" toggles twice
		else if (b === LF && !inQuotes) {
			lastEnd = i;
			records++;
		}
	}
	return { lastEnd, records, inQuotes };
}

/** `scanRecords` a few megabytes at a time, letting the page handle input in between. */
async function scanInSteps(bytes: Uint8Array, quoted: boolean): Promise<Scan> {
	const STEP = 4 * 1024 * 1024;
	let state: Scan = { lastEnd: -1, records: 0, inQuotes: false };
	for (let from = 0; from < bytes.length; from += STEP) {
		if (from > 0) await yieldToPage();
		state = scanRecords(bytes, quoted, from, Math.min(bytes.length, from + STEP), state);
	}
	return state;
}

/** Lets the page handle pending input. A message, not a timer: hidden tabs slow timers to 1 per second. */
function yieldToPage(): Promise<void> {
	if (typeof MessageChannel === 'undefined') return new Promise((resume) => setTimeout(resume, 0));
	return new Promise((resume) => {
		const channel = new MessageChannel();
		channel.port1.onmessage = () => {
			channel.port1.close();
			resume();
		};
		channel.port2.postMessage(null);
	});
}

/** The first `length` bytes as an array spanning its whole buffer (shrunk in place where the engine can). */
function ownBuffer(bytes: Uint8Array, length: number): Uint8Array {
	const buffer = bytes.buffer as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer };
	// Only a buffer this array spans alone may be taken over (a stream may share one between chunks).
	const alone = bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength;
	if (alone && typeof buffer.transfer === 'function') return new Uint8Array(buffer.transfer(length));
	return bytes.slice(0, length);
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
	if (parts.length === 1) return parts[0]!;
	const out = new Uint8Array(size);
	let at = 0;
	for (const part of parts) {
		out.set(part, at);
		at += part.byteLength;
	}
	return out;
}

function isBlank(bytes: Uint8Array): boolean {
	for (const b of bytes) if (b !== LF && b !== 0x0d && b !== 0x20 && b !== 0x09) return false;
	return true;
}
