// Built with the root's vite (no dependency of its own): relative paths, one page.
export default { base: './', build: { outDir: 'dist', target: 'es2022', chunkSizeWarningLimit: 10_000 }, worker: { format: 'es' } };
