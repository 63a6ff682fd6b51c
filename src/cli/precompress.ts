/**
 * The build's last step: writes a brotli (`.br`) and a gzip (`.gz`) twin beside each
 * compressible file of `build/`, which `npm start` and `npm run serve` send to browsers that
 * accept them.
 *
 *   tsx src/cli/precompress.ts [build]
 */
import { precompress } from '$lib/server/precompress';

const dir = process.argv[2] ?? 'build';
const started = performance.now();
const { files, bytes, brotliBytes } = await precompress(dir);
const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
console.log(`precompressed ${files} files in ${dir}/: ${mb(bytes)} → ${mb(brotliBytes)} brotli (${((performance.now() - started) / 1000).toFixed(1)} s)`);
