import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	// DuckDB-WASM ships its own worker and wasm files; pre-bundling would break their URLs.
	optimizeDeps: { exclude: ['@duckdb/duckdb-wasm'] },
	server: { fs: { allow: ['data'] } },
	preview: { port: 4173, strictPort: true },
	test: {
		projects: [
			{
				extends: true,
				// The first test of a file also starts the engine (a 34 MB wasm compile): seconds on 2 busy cores.
				test: {
					name: 'unit',
					include: ['tests/unit/**/*.test.ts'],
					environment: 'node',
					testTimeout: 30_000,
					// A file's first hook starts the engine (and some a server): seconds on 2 busy cores.
					hookTimeout: 60_000,
					// Two files at a time (vitest's default is one fewer than the cores: one, on 2 cores). Many
					// files spend much of their time waiting on child processes (the CLI, clickhouse-server),
					// which the other file's work fills.
					maxWorkers: 2
				}
			},
			{
				extends: true,
				test: {
					name: 'browser',
					include: ['tests/browser/**/*.test.ts'],
					environment: 'node',
					testTimeout: 60_000,
					// The database starts in the page, so UI assertions wait for it.
					expect: { poll: { timeout: 20_000 } },
					hookTimeout: 120_000,
					// Two files at a time. Each file opens its own Chromium (a fresh profile: storage, OPFS
					// and downloads of its own) and its own static server on a free port
					// (tests/browser/harness.ts), so files do not see each other; much of a file's time is
					// waiting on the page (the engine's start, an import), which the other file's work fills.
					maxWorkers: 2
				}
			}
		]
	}
});
