/**
 * What was appended to a file since the last look, as whole lines: a watched queue_log in the
 * browser (File System Access API: `FileSystemFileHandle.getFile()` gives the file as it is now).
 *
 * - Only the bytes past what was read are read (`slice(offset)`).
 * - A line is taken once its newline is there: a partial last line waits, and its bytes are
 *   read again with the rest at the next look.
 * - The file was replaced (rotated, truncated, exported again) when it is shorter than what
 *   was read, or no longer starts with the bytes it started with: it is read from its start.
 */
const HEAD_BYTES = 64;
const NEWLINE = 0x0a;

export interface Appended {
	lines: string[];
	/** Whether the file was found replaced, and so read from its start. */
	replaced: boolean;
}

export class AppendedReader {
	/** Bytes taken: up to the end of the last whole line. */
	offset = 0;
	private head: Uint8Array = new Uint8Array(0);
	private decoder = new TextDecoder();

	/** Reads what `file` (the file as it is now) holds past the last whole line read. */
	async read(file: Blob): Promise<Appended> {
		let replaced = false;
		if (this.offset > 0 && (file.size < this.offset || !(await this.startsWithHead(file)))) {
			this.offset = 0;
			this.head = new Uint8Array(0);
			replaced = true;
		}
		if (file.size <= this.offset) return { lines: [], replaced };
		const bytes = new Uint8Array(await file.slice(this.offset).arrayBuffer());
		const end = bytes.lastIndexOf(NEWLINE);
		if (this.head.length < HEAD_BYTES && this.offset === 0) this.head = bytes.slice(0, Math.min(HEAD_BYTES, end + 1));
		if (end < 0) return { lines: [], replaced };
		this.offset += end + 1;
		const text = this.decoder.decode(bytes.subarray(0, end + 1));
		const lines = text.split('\n');
		lines.pop();
		return { lines: lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)).filter((l) => l.length > 0), replaced };
	}

	private async startsWithHead(file: Blob): Promise<boolean> {
		if (!this.head.length) return true;
		const now = new Uint8Array(await file.slice(0, this.head.length).arrayBuffer());
		return now.length === this.head.length && now.every((b, i) => b === this.head[i]);
	}
}
