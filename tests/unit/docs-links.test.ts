/**
 * The README and docs/ link to each other and to files of the repository by relative paths; a
 * moved or renamed file (or heading) would leave a dead link that nothing else notices. Every
 * relative link must reach an existing file, and its #anchor a heading of that file. The README
 * stays short: what a newcomer needs, the rest in docs/.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const README_MAX_LINES = 200;

const docs = readdirSync(join(ROOT, 'docs'))
	.filter((name) => name.endsWith('.md'))
	.map((name) => join(ROOT, 'docs', name));
const pages = [join(ROOT, 'README.md'), ...docs];

/** The lines outside fenced code blocks, with inline code blanked (a link inside code is text). */
function prose(markdown: string): string[] {
	let fenced = false;
	return markdown.split('\n').map((line) => {
		if (/^\s*(```|~~~)/.test(line)) {
			fenced = !fenced;
			return '';
		}
		return fenced ? '' : line.replace(/`[^`]*`/g, (code) => ' '.repeat(code.length));
	});
}

/** Link targets: inline links and images `[text](target)`, and reference definitions `[x]: target`. */
function linkTargets(markdown: string): string[] {
	const targets: string[] = [];
	for (const line of prose(markdown)) {
		for (const m of line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(m[1]!);
		const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(\s|$)/.exec(line);
		if (definition) targets.push(definition[1]!);
	}
	return targets;
}

/** GitHub's heading anchors: the heading's text, lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
	const anchors = new Set<string>();
	const seen = new Map<string, number>();
	let fenced = false;
	for (const line of markdown.split('\n')) {
		if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
		const heading = fenced ? null : /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
		if (!heading) continue;
		const text = heading[1]!
			.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
			.replace(/`/g, '')
			.replace(/\*\*|__/g, '');
		const slug = text
			.toLowerCase()
			.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
			.replace(/ /g, '-');
		const count = seen.get(slug) ?? 0;
		anchors.add(count ? `${slug}-${count}` : slug);
		seen.set(slug, count + 1);
	}
	return anchors;
}

/** What is wrong with one relative link of `page`, or null when it resolves. */
function problem(page: string, target: string): string | null {
	const [path, anchor] = target.split('#', 2) as [string, string | undefined];
	const file = path ? join(dirname(page), decodeURIComponent(path)) : page;
	if (!existsSync(file)) return `no file ${relative(ROOT, file)}`;
	if (anchor === undefined || !file.endsWith('.md') || statSync(file).isDirectory()) return null;
	const anchors = headingAnchors(readFileSync(file, 'utf8'));
	return anchors.has(decodeURIComponent(anchor).toLowerCase()) ? null : `no heading #${anchor} in ${relative(ROOT, file)}`;
}

const external = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');

describe('the README and docs/', () => {
	it('finds the pages and their links', () => {
		expect(docs.length).toBeGreaterThan(0);
		// A sample of what the parser must see, so an empty result cannot pass unnoticed.
		expect(linkTargets('See [a](docs/a.md#b), ![p](x.png) and `[not](code.md)`.\n[r]: ref.md')).toEqual(['docs/a.md#b', 'x.png', 'ref.md']);
	});

	it('anchors headings as GitHub does', () => {
		const anchors = headingAnchors(
			'# Top\n## 3CX — Call Log report (v20)\n### Asterisk `queue_log`\n## Huawei Cloud CEC — call-record index file (话单录音索引文件定义)\n## Top\n```\n# not a heading\n```'
		);
		expect([...anchors]).toEqual([
			'top',
			'3cx--call-log-report-v20',
			'asterisk-queue_log',
			'huawei-cloud-cec--call-record-index-file-话单录音索引文件定义',
			'top-1'
		]);
	});

	for (const page of pages) {
		it(`${relative(ROOT, page)}: every relative link resolves`, () => {
			const targets = linkTargets(readFileSync(page, 'utf8')).filter((t) => !external(t));
			const broken = targets.map((t) => [t, problem(page, t)]).filter(([, p]) => p !== null);
			expect(broken).toEqual([]);
		});
	}

	it(`README.md is under ${README_MAX_LINES} lines`, () => {
		const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').trimEnd().split('\n').length;
		expect(lines).toBeLessThan(README_MAX_LINES);
	});
});
