/** Anything whose bytes can be read as a stream: a `SourceFile`, a browser `File`. */
export interface ByteStream {
	stream(): ReadableStream<Uint8Array>;
}

/** The file's physical lines: its line feeds, and one more when the last line has none. Stops reading (and rejects) once `signal` aborts. */
export async function physicalLines(file: ByteStream, signal?: AbortSignal): Promise<number> {
	const reader = file.stream().getReader();
	let feeds = 0;
	let last = -1;
	for (;;) {
		if (signal?.aborted) {
			await reader.cancel().catch(() => {});
			throw new Error('the count of lines was stopped');
		}
		const { done, value } = await reader.read();
		if (done) break;
		if (!value.byteLength) continue;
		for (let at = value.indexOf(10); at !== -1; at = value.indexOf(10, at + 1)) feeds++;
		last = value[value.byteLength - 1]!;
	}
	return feeds + (last !== -1 && last !== 10 ? 1 : 0);
}
