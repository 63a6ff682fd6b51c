/** A file to import, whether a browser `File` or a file on disk (command line). */
export interface SourceFile {
	name: string;
	size: number;
	stream(): ReadableStream<Uint8Array>;
	/** The first `bytes` bytes (for detection). */
	head(bytes: number): Promise<Uint8Array>;
	/** The whole file (Parquet is read as a whole). */
	bytes(): Promise<Uint8Array>;
	/** A compressed file: `stream()` gives its content, `size` and progress count its own bytes. */
	compressed?: boolean;
	/** Bytes of the file itself read so far, where the content read differs from it. */
	rawBytesRead?: () => number;
	/** The browser's own `File`, which a worker can read too (structured clone passes a reference, not the bytes). */
	browserFile?: File;
}

export function fromBrowserFile(file: File): SourceFile {
	return {
		name: file.name,
		size: file.size,
		stream: () => file.stream() as ReadableStream<Uint8Array>,
		head: async (bytes) => new Uint8Array(await file.slice(0, bytes).arrayBuffer()),
		bytes: async () => new Uint8Array(await file.arrayBuffer()),
		browserFile: file
	};
}

/** An in-memory file (tests). */
export function fromBytes(name: string, data: Uint8Array | string): SourceFile {
	const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
	return {
		name,
		size: bytes.byteLength,
		stream: () =>
			new ReadableStream<Uint8Array>({
				start(controller) {
					// Small files in tiny pieces, so characters and records split across chunks are exercised.
					const step = bytes.byteLength < 65536 ? 7 : 65536;
					for (let at = 0; at < bytes.byteLength; at += step) controller.enqueue(bytes.slice(at, at + step));
					controller.close();
				}
			}),
		head: async (n) => bytes.slice(0, n),
		bytes: async () => bytes
	};
}
