import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Pages lay out; they do not ask the database themselves. A question is a view asked by name
 * (`liveStory`, `liveView`, `liveNamed`), its SQL in `src/lib` (the story's in `story/`, the
 * measures' in `metrics/views/`), so that a page, the report, the command line and the server
 * ask the same thing. A page file stays short enough to read at once: over 300 lines, it holds
 * something that belongs in a component or a module.
 */

const ROUTES = path.resolve('src/routes');
const MAX_LINES = 300;

/**
 * Signs of SQL or of a query being built, as plain text patterns (case-sensitive: SQL keywords
 * in capitals, as every statement in `src/lib` writes them, so prose such as "from" passes):
 */
const SQL_SIGNS: { pattern: RegExp; why: string }[] = [
	{ pattern: /\bSELECT\s/, why: 'a SELECT statement' },
	{ pattern: /\sFROM\s/, why: 'a FROM clause' },
	{ pattern: /\sWHERE\s/, why: 'a WHERE clause' },
	{ pattern: /\bsql\s*`/, why: 'a SQL template' },
	{ pattern: /\bsql\s*:/, why: 'a Query object built in place' },
	{ pattern: /\.query\s*\(/, why: 'an engine asked directly' },
	{ pattern: /\b(?:filterWhere|renderView|viewQuery)\b/, why: 'SQL built from a filter or a view' },
	{ pattern: /\b(?!live)[a-z]\w*Query\s*\(/, why: 'a query builder called (ask the view by name)' }
];

/** The signs of SQL in `source`, one line each: `line 3: a FROM clause`. */
export function sqlSigns(source: string): string[] {
	return source.split('\n').flatMap((line, i) => SQL_SIGNS.filter(({ pattern }) => pattern.test(line)).map(({ why }) => `line ${i + 1}: ${why}`));
}

function files(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const file = path.join(dir, name);
		return statSync(file).isDirectory() ? files(file) : [file];
	});
}

const routeFiles = files(ROUTES).map((file) => ({ name: path.relative(ROUTES, file), text: readFileSync(file, 'utf8') }));

describe('the check itself', () => {
	it('finds SQL and query building', () => {
		expect(sqlSigns('const text = sql`SELECT id FROM calls WHERE x = 1`;\nconst q = { sql: text, params: [] };')).toEqual([
			'line 1: a SELECT statement',
			'line 1: a FROM clause',
			'line 1: a WHERE clause',
			'line 1: a SQL template',
			'line 2: a Query object built in place'
		]);
		expect(sqlSigns('const rows = await engine.query(q);\nconst k = liveQuery(() => kpiQuery(filter));')).toEqual([
			'line 1: an engine asked directly',
			'line 2: a query builder called (ask the view by name)'
		]);
		expect(sqlSigns("import { filterWhere } from '$lib/filters/filter';")).toEqual(['line 1: SQL built from a filter or a view']);
	});

	it('passes a page that asks by name, and prose', () => {
		expect(sqlSigns("const calls = liveStory('calls', () => filter);")).toEqual([]);
		expect(sqlSigns('<p>Seconds from the onset to the end; “Computed” figures are SQL over the calls.</p>')).toEqual([]);
	});
});

describe('src/routes', () => {
	it('has files to check', () => {
		expect(routeFiles.map((f) => f.name)).toContain('+page.svelte');
	});

	it.each(routeFiles.map((f) => [f.name, f.text] as const))('%s holds no SQL', (_name, text) => {
		expect(sqlSigns(text)).toEqual([]);
	});

	it.each(routeFiles.map((f) => [f.name, f.text] as const))(`%s is at most ${MAX_LINES} lines`, (_name, text) => {
		expect(text.replace(/\n$/, '').split('\n').length).toBeLessThanOrEqual(MAX_LINES);
	});
});
