import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// A static build: the dashboard runs entirely in the browser, so it can be
		// served from any intranet web server or opened offline.
		adapter: adapter({ pages: 'build', assets: 'build', fallback: undefined, precompress: false }),
		paths: { relative: true },
		// Styles go inside each page, so nothing holds back the first paint: a linked stylesheet
		// blocks rendering until it arrives (it is mostly @font-face rules, compressible).
		inlineStyleThreshold: 400_000
	}
};

export default config;
