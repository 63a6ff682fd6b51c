import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, stat, unlink } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { constants, createBrotliCompress, createGzip } from 'node:zlib';

export type Encoding = 'br' | 'gzip';

/** The twins written beside each compressible file, in the order the server prefers them. */
export const PRECOMPRESSED: readonly { encoding: Encoding; suffix: string }[] = [
	{ encoding: 'br', suffix: 'br' },
	{ encoding: 'gzip', suffix: 'gz' }
];

/** Text and WebAssembly; images and fonts (woff2) are compressed already. */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.wasm', '.csv', '.txt', '.xml']);
/** Below this a compressed answer saves less than its headers cost. */
const MIN_BYTES = 1024;
/**
 * Brotli's best quality (11) takes 143 s for DuckDB's 34 MB wasm on this machine, for 5.2 MB;
 * quality 9 takes 9 s for 5.9 MB. Large files get 9, so a build stays quick.
 */
const LARGE_BYTES = 1 << 20;

function compressor(encoding: Encoding, size: number) {
	if (encoding === 'gzip') return createGzip({ level: 9 });
	return createBrotliCompress({
		params: {
			[constants.BROTLI_PARAM_QUALITY]: size > LARGE_BYTES ? 9 : constants.BROTLI_MAX_QUALITY,
			[constants.BROTLI_PARAM_SIZE_HINT]: size
		}
	});
}

async function* walk(dir: string): AsyncGenerator<string> {
	for (const entry of await readdir(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) yield* walk(path);
		else if (entry.isFile()) yield path;
	}
}

/** Writes `FILE.br` and `FILE.gz` beside each compressible file under `dir` (a twin no smaller than its file is not kept). */
export async function precompress(dir: string): Promise<{ files: number; bytes: number; brotliBytes: number }> {
	const files: { path: string; size: number }[] = [];
	for await (const path of walk(dir)) {
		if (!COMPRESSIBLE.has(extname(path))) continue;
		const { size } = await stat(path);
		if (size >= MIN_BYTES) files.push({ path, size });
	}
	// Largest first, two at a time: the wasm alone takes most of the time.
	files.sort((a, b) => b.size - a.size);
	const jobs = files.flatMap((file) => PRECOMPRESSED.map((twin) => ({ ...file, ...twin })));
	let brotliBytes = 0;
	async function work() {
		for (let job = jobs.shift(); job; job = jobs.shift()) {
			const target = `${job.path}.${job.suffix}`;
			await pipeline(createReadStream(job.path), compressor(job.encoding, job.size), createWriteStream(target));
			const { size } = await stat(target);
			if (size >= job.size) await unlink(target);
			else if (job.encoding === 'br') brotliBytes += size;
		}
	}
	await Promise.all([work(), work()]);
	return { files: files.length, bytes: files.reduce((sum, f) => sum + f.size, 0), brotliBytes };
}
