import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import type { SourceFile } from './source';

/** A file on disk as a `SourceFile` (command line). */
export async function fromDisk(path: string): Promise<SourceFile> {
	const { size } = await stat(path);
	return {
		name: basename(path),
		size,
		stream: () => Readable.toWeb(createReadStream(path)) as unknown as ReadableStream<Uint8Array>,
		head: async (bytes) => {
			const handle = await open(path);
			try {
				const buffer = new Uint8Array(Math.min(bytes, size));
				await handle.read(buffer, 0, buffer.byteLength, 0);
				return buffer;
			} finally {
				await handle.close();
			}
		},
		bytes: async () => new Uint8Array(await readFile(path))
	};
}
