import { watch, type FSWatcher } from 'node:fs';
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Follows a log that a PBX appends to (Asterisk's `queue_log`), line by line, through
 * rotation, so that every complete line is handed on exactly once:
 *
 * - At start the file is read to its end. Given a directory, its rotated files are read first,
 *   oldest first (`queue_log.2`, `queue_log.1`, then `queue_log`); compressed ones are skipped.
 * - Then appended bytes are read as they come: `fs.watch` says when, and a poll (every
 *   `pollMs`) catches what a watch misses (network file systems, a watch lost to a rename).
 * - A line is handed on once its newline is there; a partial last line waits for the rest.
 * - Rotation: when the path names another file (inode changed: renamed away and a new file
 *   made), the old file, still open, is read to its end first (a last line without newline is
 *   complete then), and the new file is read from its start. When the file shrinks (truncated
 *   in place, `copytruncate`), or no longer starts with the bytes it started with (truncated,
 *   then written past where we had read before we looked), it is read again from its start;
 *   what was written between the last read and the truncation is lost with the file's bytes,
 *   as for any reader.
 * - One read runs at a time; a change seen while reading makes one more read.
 */
export interface FollowedLines {
	lines: string[];
	/** The file the lines came from (its name), for messages. */
	file: string;
}

export interface FollowOptions {
	/** How often the file is looked at even without a watch event, ms. */
	pollMs?: number;
	/** Called with each run of complete lines, in order; the next read waits for it. */
	onLines: (batch: FollowedLines) => Promise<void> | void;
	onError?: (error: unknown) => void;
}

export interface Follower {
	/** Resolves once what was there at start has been read and handed on. */
	ready: Promise<void>;
	/** Reads what is new now (tests call it instead of waiting for a watch event or the poll). */
	check(): Promise<void>;
	/** Bytes read so far and lines handed on (diagnostics, tests). */
	readonly progress: { bytes: number; lines: number; rotations: number };
	close(): Promise<void>;
}

const READ_BYTES = 1 << 20;
/** `queue_log.3` → 3; the live file (no number) → 0; anything else (`.gz`, other names) → null. */
function rotationNumber(name: string, base: string): number | null {
	if (name === base) return 0;
	const m = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)$`).exec(name);
	return m ? Number(m[1]) : null;
}

/** The live file a path names: the path itself, or in a directory the newest file without a rotation number. */
async function liveFileOf(path: string): Promise<{ live: string; rotated: string[] }> {
	const info = await stat(path);
	if (!info.isDirectory()) return { live: path, rotated: [] };
	const names = await readdir(path);
	const bases = names.filter((n) => !/\.\d+$/.test(n) && !/\.(gz|bz2|xz|zst)$/.test(n) && !n.startsWith('.'));
	if (!bases.length) throw new Error(`${path} holds no log to follow (expected e.g. queue_log, queue_log.1, …)`);
	// Several logs in one directory: the one named queue_log, else the first by name.
	const base = bases.includes('queue_log') ? 'queue_log' : bases.sort()[0]!;
	const rotated = names
		.map((n) => ({ n, k: rotationNumber(n, base) }))
		.filter((r): r is { n: string; k: number } => r.k !== null && r.k > 0)
		.sort((a, b) => b.k - a.k)
		.map((r) => join(path, r.n));
	return { live: join(path, base), rotated };
}

export function followLog(path: string, options: FollowOptions): Follower {
	const pollMs = options.pollMs ?? 1000;
	const progress = { bytes: 0, lines: 0, rotations: 0 };
	let live = path;
	let handle: FileHandle | null = null;
	let inode = -1;
	let position = 0;
	let partial = '';
	/** The file's first bytes as read: other bytes there later mean it was truncated and written again. */
	let head: Buffer | null = null;
	let closed = false;
	let watcher: FSWatcher | null = null;
	let timer: ReturnType<typeof setInterval> | null = null;
	const decoder = () => new TextDecoder('utf-8');
	let text = decoder();

	async function hand(lines: string[], file: string) {
		if (!lines.length) return;
		progress.lines += lines.length;
		await options.onLines({ lines, file: basename(file) });
	}

	/** Reads `h` from `position` to its end; complete lines are handed on, a partial one kept. */
	async function readToEnd(h: FileHandle, file: string): Promise<void> {
		const buffer = Buffer.allocUnsafe(READ_BYTES);
		for (;;) {
			const { bytesRead } = await h.read(buffer, 0, READ_BYTES, position);
			if (!bytesRead) return;
			position += bytesRead;
			progress.bytes += bytesRead;
			const chunk = partial + text.decode(buffer.subarray(0, bytesRead), { stream: true });
			const cut = chunk.lastIndexOf('\n');
			if (cut < 0) partial = chunk;
			else {
				partial = chunk.slice(cut + 1);
				await hand(
					chunk
						.slice(0, cut)
						.split('\n')
						.map((l) => l.replace(/\r$/, ''))
						.filter((l) => l.length),
					file
				);
			}
		}
	}

	/** The rest of a file that will not grow again: its last line is complete even without a newline. */
	async function finish(file: string) {
		const last = (partial + text.decode()).replace(/\r$/, '');
		partial = '';
		text = decoder();
		if (last) await hand([last], file);
	}

	async function openLive(): Promise<void> {
		try {
			handle = await open(live, 'r');
		} catch (error) {
			// Between a rotation's rename and the new file: the next look opens it.
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
			throw error;
		}
		inode = (await handle.stat()).ino;
		position = 0;
		head = null;
	}

	const HEAD_BYTES = 64;
	/** Whether the file no longer starts with the bytes it started with (copytruncate, then written past where we were). */
	async function rewritten(h: FileHandle): Promise<boolean> {
		if (!head) return false;
		const now = Buffer.alloc(head.length);
		const { bytesRead } = await h.read(now, 0, head.length, 0);
		return bytesRead < head.length || !now.equals(head);
	}

	async function rememberHead(h: FileHandle) {
		if (head || position === 0) return;
		head = Buffer.alloc(Math.min(position, HEAD_BYTES));
		await h.read(head, 0, head.length, 0);
	}

	async function look(): Promise<void> {
		if (closed) return;
		if (!handle) {
			await openLive();
			if (!handle) return;
		}
		const onDisk = await stat(live).catch(() => null);
		if (onDisk && onDisk.ino !== inode) {
			// Rotated: the old file to its end, then the new one from its start.
			await readToEnd(handle, live);
			await finish(live);
			await handle.close();
			handle = null;
			progress.rotations++;
			await openLive();
			if (handle) {
				await readToEnd(handle, live);
				await rememberHead(handle);
			}
			return;
		}
		const size = (await handle.stat()).size;
		if (size < position || (await rewritten(handle))) {
			// Truncated in place: what is there now is new.
			partial = '';
			text = decoder();
			position = 0;
			head = null;
			progress.rotations++;
		}
		await readToEnd(handle, live);
		await rememberHead(handle);
	}

	// One read at a time; asked while reading, it reads once more after.
	let running: Promise<void> | null = null;
	let again = false;
	function check(): Promise<void> {
		if (running) {
			again = true;
			return running;
		}
		running = (async () => {
			try {
				do {
					again = false;
					await look();
				} while (again && !closed);
			} finally {
				running = null;
			}
		})();
		return running;
	}
	const checkQuietly = () => void check().catch((error) => options.onError?.(error));

	const ready = (async () => {
		const found = await liveFileOf(path);
		live = found.live;
		for (const old of found.rotated) {
			const h = await open(old, 'r');
			try {
				position = 0;
				await readToEnd(h, old);
				await finish(old);
			} finally {
				await h.close();
			}
		}
		await check();
		if (closed) return;
		// Watch the directory, not the file: a watch on a renamed file follows the old file.
		try {
			watcher = watch(dirname(live), { persistent: false }, (_event, name) => {
				if (!name || name === basename(live)) checkQuietly();
			});
			watcher.on('error', () => {
				watcher?.close();
				watcher = null;
			});
		} catch {
			watcher = null; // the poll still reads
		}
		timer = setInterval(checkQuietly, pollMs);
		timer.unref?.();
	})();

	return {
		ready,
		check,
		progress,
		async close() {
			closed = true;
			watcher?.close();
			if (timer) clearInterval(timer);
			await ready.catch(() => {});
			await running?.catch(() => {});
			await handle?.close();
			handle = null;
		}
	};
}
