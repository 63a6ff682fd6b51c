/**
 * Writes src/lib/story/snapshot/story-snapshot.json before a build: the story pages' first
 * answers, computed by DuckDB-WASM in Node from data/*.csv. Loaded through Vite so the
 * app's own modules (with their `?raw` data imports) run unchanged.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { FILTER_SNAPSHOT_PATH } from '../lib/story/snapshot/path';
import { createServer } from 'vite';

const vite = await createServer({
	server: { middlewareMode: true, hmr: false, ws: false },
	appType: 'custom',
	logLevel: 'error',
	optimizeDeps: { noDiscovery: true, include: [] }
});
try {
	const { computeSnapshot } = (await vite.ssrLoadModule('/src/lib/story/snapshot/compute.ts')) as typeof import('../lib/story/snapshot/compute');
	const { first, filters } = await computeSnapshot();
	writeFileSync('src/lib/story/snapshot/story-snapshot.json', JSON.stringify(first) + '\n');
	mkdirSync('static/snapshot', { recursive: true });
	writeFileSync(`static/${FILTER_SNAPSHOT_PATH}`, JSON.stringify(filters) + '\n');
	console.log(`story snapshot: ${Object.keys(first).length} queries in the page, ${Object.keys(filters).length} fetched after it`);
} finally {
	await vite.close();
}
