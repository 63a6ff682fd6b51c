import { parquetMetadata, parquetRead, parquetSchema } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';

/**
 * Parquet read in JavaScript: DuckDB-WASM reads Parquet only through an extension it would
 * download from the internet, and holdline works offline. Rows come out as text, which the
 * import then stages like any CSV.
 */
export interface ParquetFile {
	columns: string[];
	rows: number;
	/** Row ranges to read one at a time (the file's row groups). */
	groups: { start: number; end: number }[];
	read(start: number, end: number): Promise<string[][]>;
}

export function openParquet(bytes: Uint8Array): ParquetFile {
	const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
	const metadata = parquetMetadata(buffer);
	const columns = parquetSchema(metadata).children.map((c) => c.element.name);
	const groups: { start: number; end: number }[] = [];
	let start = 0;
	for (const group of metadata.row_groups) {
		const end = start + Number(group.num_rows);
		groups.push({ start, end });
		start = end;
	}
	return {
		columns,
		rows: Number(metadata.num_rows),
		groups,
		read: (rowStart, rowEnd) =>
			new Promise((resolve, reject) => {
				parquetRead({
					file: buffer,
					metadata,
					compressors,
					rowStart,
					rowEnd,
					onComplete: (rows) => resolve((rows as unknown[][]).map((row) => row.map(asText)))
				}).catch(reject);
			})
	};
}

/** A Parquet value as the text a CSV export would hold. */
export function asText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (value instanceof Date) {
		// Naive timestamps arrive as Dates whose UTC fields are the wall-clock time.
		return value
			.toISOString()
			.replace('T', ' ')
			.replace(/\.000Z$|Z$/, '');
	}
	if (typeof value === 'object') return JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? String(v) : v));
	return String(value);
}

/** Rows → CSV bytes (every field quoted), for the CSV reader. */
export function rowsToCsv(rows: string[][]): Uint8Array {
	const lines = rows.map((row) => row.map((v) => `"${v.replace(/"/g, '""')}"`).join(','));
	return new TextEncoder().encode(lines.length ? lines.join('\n') + '\n' : '');
}
