/**
 * Writes src/lib/snapshot/story-snapshot.json before a build: the story pages' first
 * answers, computed by DuckDB-WASM in Node from data/*.csv. Loaded through Vite so the
 * app's own modules (with their `?raw` data imports) run unchanged.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'vite';

const vite = await createServer({ server: { middlewareMode: true, hmr: false, ws: false }, appType: 'custom', logLevel: 'error', optimizeDeps: { noDiscovery: true, include: [] } });
try {
	const { computeSnapshot } = (await vite.ssrLoadModule('/src/lib/snapshot/compute.ts')) as typeof import('../lib/snapshot/compute');
	const snapshot = await computeSnapshot();
	writeFileSync('src/lib/snapshot/story-snapshot.json', JSON.stringify(snapshot) + '\n');
	console.log(`story snapshot: ${Object.keys(snapshot).length} queries`);
} finally {
	await vite.close();
}
