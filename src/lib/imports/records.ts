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
			const { lastEnd, records } = scanRecords(pending, quoted);
			if (lastEnd < 0) {
				parts = [pending]; // a record longer than the target: keep reading
				continue;
			}
			yield { bytes: pending.subarray(0, lastEnd + 1), records };
			const rest = pending.subarray(lastEnd + 1);
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

/** Position of the last record-ending line feed, and how many records end at or before it. */
export function scanRecords(bytes: Uint8Array, quoted: boolean): { lastEnd: number; records: number } {
	let inQuotes = false;
	let lastEnd = -1;
	let records = 0;
	for (let i = 0; i < bytes.length; i++) {
		const b = bytes[i];
		if (b === QUOTE && quoted) inQuotes = !inQuotes; // an escaped "" toggles twice
		else if (b === LF && !inQuotes) {
			lastEnd = i;
			records++;
		}
	}
	return { lastEnd, records };
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
