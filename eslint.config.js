import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

// The syntactic typescript-eslint rules only: the type-aware set reads the whole program and
// takes more than twice as long on two cores, and svelte-check already runs the compiler.
export default defineConfig(
	{
		// Build output, SvelteKit's generated types, copied assets and the tests' leftovers.
		ignores: ['build/', '.svelte-kit/', 'node_modules/', 'static/', 'test-results/', 'bench/', 'tests/tools/*.tmp.*']
	},
	js.configs.recommended,
	ts.configs.recommended,
	svelte.configs.recommended,
	{
		languageOptions: { globals: globals.browser }
	},
	{
		// Node's side: the command line, the servers, the tests (their page callbacks run in the browser) and the configuration files.
		files: ['src/cli/**', 'src/lib/server/**', 'tests/**', '*.js', '**/*.mjs'],
		languageOptions: { globals: { ...globals.node, ...globals.browser } }
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig }
		}
	},
	{
		rules: {
			// `_` names a value left out on purpose: a property taken off before spreading the rest,
			// or an `{#each}` item only counted.
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
			// Control characters are matched on purpose: identifiers, CSV cells and terminal text
			// are cleaned or escaped of them.
			'no-control-regex': 'off',
			// Links and goto() calls resolve() their path and then add a query string, and shallow
			// routing (pushState) copies the current, already resolved, address: the rule cannot
			// follow resolve() through string building, so only plain links are checked.
			'svelte/no-navigation-without-resolve': ['error', { ignoreGoto: true, ignorePushState: true, ignoreReplaceState: true }],
			// `{' '}` keeps a meaningful space between inline elements through Prettier's line breaks.
			'svelte/no-useless-mustaches': 'off'
		}
	},
	{
		files: ['**/*.svelte'],
		rules: {
			// TypeScript (svelte-check) resolves names, DOM types such as BlobPart included.
			'no-undef': 'off'
		}
	},
	{
		files: ['**/*.svelte.ts'],
		rules: {
			// In a .svelte.ts module the rule flags every Map, Set or URL built inside an exported
			// function, even a temporary that never becomes state (a copy of page.url to return).
			// Components are still checked.
			'svelte/prefer-svelte-reactivity': 'off'
		}
	}
);
