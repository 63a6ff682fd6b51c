import type { Row } from './types';

interface ArrowLike {
	toArray(): Array<{ toJSON(): Record<string, unknown> }>;
}

/**
 * Arrow results to plain rows. BIGINT columns arrive as `bigint`, which neither
 * JSON nor d3 accept; counts and seconds here are far below 2^53, so `Number` is exact.
 */
export function arrowToRows<T extends Row>(table: ArrowLike): T[] {
	return table.toArray().map((record) => {
		const row = record.toJSON();
		for (const key of Object.keys(row)) {
			const value = row[key];
			if (typeof value === 'bigint') row[key] = Number(value);
		}
		return row as T;
	});
}

/**
 * Arrow IPC file bytes → the IPC stream they contain. A file is the magic "ARROW1" and
 * padding, a complete stream (ending in its end-of-stream marker), a footer, the footer's
 * length and the magic again; the stream is a view of the same bytes, nothing is copied.
 */
export function ipcFileToStream(file: Uint8Array): Uint8Array {
	const magic = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"
	const isFile = file.length >= 18 && magic.every((byte, i) => file[i] === byte && file[file.length - 6 + i] === byte);
	if (!isFile) return file;
	const footer = new DataView(file.buffer, file.byteOffset, file.byteLength).getInt32(file.length - 10, true);
	const end = file.length - 10 - footer;
	if (footer < 0 || end < 8) throw new Error('Damaged Arrow file: footer length out of range');
	return file.subarray(8, end);
}
