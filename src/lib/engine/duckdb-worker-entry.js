// DuckDB-WASM's worker, loaded so that the browser can keep the compiled engine between visits.
// When TransformStream exists, the worker pipes the wasm download through one (for progress
// events) and compiles a Response it built itself: a Response without a URL, which Chromium's
// cache of compiled WebAssembly cannot key, so every visit compiled the 34 MB again. Without
// it, the worker compiles the fetch's own Response (still streaming). The worker uses
// TransformStream for nothing else.
/** @type {any} */
const scope = self;
delete scope.TransformStream;
const warn = console.warn;
console.warn = (/** @type {unknown[]} */ ...args) => {
	if (!String(args[0]).startsWith('instantiating without progress handler')) warn(...args);
};
// The engine's worker script, named by the page (an asset of the same build).
scope.importScripts(new URL(location.href).searchParams.get('engine'));
