import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The folders of src/lib form layers (docs/architecture.md): no two of them may import each
 * other, directly or around a longer loop. Type-only imports count: a type that two layers
 * share belongs in the lower one.
 */

const LIB = path.resolve('src/lib');

/**
 * Every module a file names: `import … from`, `import type … from`, `export … from`, a bare
 * `import '…'`, and `import('…')` (dynamic, or `typeof import('…')` in a type).
 */
const SPECIFIER = /(?:\b(?:import|export)\s+(?:type\s+)?[\w\s{},*$]*?\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"\n]+)\1/g;

export function specifiers(source: string): string[] {
	// whole-line comments only (`//`, and the ` * ` lines of a block comment): a string such as a glob may hold `/*`
	const text = source.replace(/^\s*(?:\/\/|\*|\/\*).*$/gm, '');
	return [...text.matchAll(SPECIFIER)].map((m) => m[2] ?? '');
}

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const file = path.join(dir, name);
		if (statSync(file).isDirectory()) return sourceFiles(file);
		return /\.(ts|js|svelte)$/.test(name) ? [file] : [];
	});
}

/** The file a specifier names inside src/lib, or null (a package, a file elsewhere). */
function resolve(spec: string, from: string): string | null {
	const bare = spec.replace(/\?.*$/, '');
	let base: string;
	if (bare.startsWith('$lib/')) base = path.join(LIB, bare.slice('$lib/'.length));
	else if (bare.startsWith('./') || bare.startsWith('../')) base = path.resolve(path.dirname(from), bare);
	else return null;
	for (const candidate of [base, `${base}.ts`, `${base}.js`, `${base}.svelte`, path.join(base, 'index.ts')]) {
		if (candidate.startsWith(LIB + path.sep) && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
	}
	return null;
}

/** A file's folder: the first directory under src/lib (files directly in it are `(root)`). */
function folderOf(file: string): string {
	const parts = path.relative(LIB, file).split(path.sep);
	return parts.length > 1 ? (parts[0] ?? '(root)') : '(root)';
}

interface Edge {
	from: string;
	to: string;
	files: string[];
}

/** Imports between folders: `a → b` with the files that make it. */
export function folderEdges(): Map<string, Edge> {
	const edges = new Map<string, Edge>();
	for (const file of sourceFiles(LIB)) {
		for (const spec of specifiers(readFileSync(file, 'utf8'))) {
			const target = resolve(spec, file);
			if (!target) continue;
			const from = folderOf(file);
			const to = folderOf(target);
			if (from === to) continue;
			const key = `${from} → ${to}`;
			const edge = edges.get(key) ?? { from, to, files: [] };
			edge.files.push(`${path.relative(LIB, file)} imports ${path.relative(LIB, target)}`);
			edges.set(key, edge);
		}
	}
	return edges;
}

/** Groups of folders that reach each other (Tarjan's strongly connected components), larger than one. */
function cycles(edges: Iterable<Edge>): string[][] {
	const next = new Map<string, string[]>();
	for (const { from, to } of edges) {
		next.set(from, [...(next.get(from) ?? []), to]);
		if (!next.has(to)) next.set(to, []);
	}
	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const found: string[][] = [];
	const visit = (v: string) => {
		index.set(v, index.size);
		low.set(v, index.get(v)!);
		stack.push(v);
		for (const w of next.get(v)!) {
			if (!index.has(w)) {
				visit(w);
				low.set(v, Math.min(low.get(v)!, low.get(w)!));
			} else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
		}
		if (low.get(v) === index.get(v)) {
			const group: string[] = [];
			let w: string;
			do {
				w = stack.pop()!;
				group.push(w);
			} while (w !== v);
			if (group.length > 1) found.push(group.sort());
		}
	};
	for (const v of next.keys()) if (!index.has(v)) visit(v);
	return found;
}

describe('the import graph of src/lib', () => {
	it('reads type-only, re-exported, multi-line and dynamic imports', () => {
		const source = [
			"import type { A } from '$lib/a/x';",
			'import {',
			'\ttype B,',
			'\tc',
			"} from './b';",
			"export { d } from '../d/y';",
			"export type { E } from '$lib/e/z';",
			"import '$lib/f/side';",
			"const g = await import('$lib/g/lazy');",
			"type H = typeof import('$lib/h/t');",
			"// import { no } from '$lib/commented/out';",
			"const text = 'import from nowhere';"
		].join('\n');
		expect(specifiers(source)).toEqual(['$lib/a/x', './b', '../d/y', '$lib/e/z', '$lib/f/side', '$lib/g/lazy', '$lib/h/t']);
	});

	it('sees the imports between folders', () => {
		const edges = folderEdges();
		// engine adapters quote table names with sql/identifiers.ts: a known edge, so the scan finds imports at all
		expect(edges.get('engine → sql')?.files.length).toBeGreaterThan(0);
	});

	it('has no cycle between folders, type-only imports included', () => {
		const edges = [...folderEdges().values()];
		const report = cycles(edges).map((group) => {
			const loop = shortestLoop(group, edges);
			const lines = [`${loop.join(' → ')} (${group.length} folders reach each other: ${group.join(', ')})`];
			for (let i = 0; i + 1 < loop.length; i++) {
				const edge = edges.find((e) => e.from === loop[i] && e.to === loop[i + 1])!;
				lines.push(`  ${edge.from} → ${edge.to}`, ...[...new Set(edge.files)].map((f) => `    ${f}`));
			}
			return lines.join('\n');
		});
		expect(report.join('\n\n'), 'folders of src/lib must form layers (docs/architecture.md)').toBe('');
	});
});

/** The shortest loop inside a group of folders that reach each other, as `a, b, …, a`. */
function shortestLoop(group: string[], edges: Edge[]): string[] {
	let best: string[] = [];
	for (const start of group) {
		const from = new Map<string, string>();
		const queue = [start];
		while (queue.length > 0) {
			const v = queue.shift()!;
			const nexts = edges.filter((e) => e.from === v && group.includes(e.to)).map((e) => e.to);
			if (nexts.includes(start)) {
				const path = [start];
				for (let w = v; w !== start; w = from.get(w)!) path.splice(1, 0, w);
				path.push(start);
				if (best.length === 0 || path.length < best.length) best = path;
				break;
			}
			for (const w of nexts) {
				if (from.has(w) || w === start) continue;
				from.set(w, v);
				queue.push(w);
			}
		}
	}
	return best;
}
