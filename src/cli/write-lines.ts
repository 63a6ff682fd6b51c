import type { WriteStream } from 'node:fs';
import { once } from 'node:events';

/** Writes generated lines to a file stream in batches (one write per 5,000 lines), waiting when it is full; ends the stream. */
export async function writeLines(stream: WriteStream, lines: Iterable<string>): Promise<void> {
	let buffer: string[] = [];
	for (const line of lines) {
		buffer.push(line);
		if (buffer.length >= 5000) {
			if (!stream.write(buffer.join(''))) await once(stream, 'drain');
			buffer = [];
		}
	}
	stream.end(buffer.join(''));
	if (!stream.writableFinished) await once(stream, 'finish');
}
