import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scanGb18030, scanUtf8, utf8Stream, type Encoding } from '$lib/imports/encoding';
import { chunked } from './helpers';

/** The stream of `bytes` in chunks of the given sizes (cycled), through utf8Stream, as text. */
async function through(bytes: Uint8Array, encoding: Encoding, sizes: number[], repair = false): Promise<{ text: string; repaired: number }> {
	const source = chunked(bytes, sizes);
	let repaired = 0;
	const out = await new Response(utf8Stream(source, encoding, () => {}, repair ? () => repaired++ : undefined)).arrayBuffer();
	return { text: new TextDecoder('utf-8', { fatal: true }).decode(out), repaired };
}

const sizes = fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 });

describe('encodings are checked by their definitions', () => {
	it('the UTF-8 scan agrees with a strict decoder on any bytes', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
				let strict = true;
				try {
					new TextDecoder('utf-8', { fatal: true }).decode(bytes);
				} catch {
					strict = false;
				}
				const scan = scanUtf8(bytes);
				expect(scan.invalid === 0 && scan.complete === bytes.length).toBe(strict);
			}),
			{ numRuns: 2000 }
		);
	});

	it('the GB18030 scan agrees with a strict decoder on any bytes', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
				let strict = true;
				try {
					new TextDecoder('gb18030', { fatal: true }).decode(bytes);
				} catch {
					strict = false;
				}
				const scan = scanGb18030(bytes);
				// 0x80 and 0xFF alone are mapped by some decoders (WHATWG: 0x80 → €); the scan is stricter there.
				if (bytes.includes(0x80) || bytes.includes(0xff)) return;
				expect(scan.invalid === 0 && scan.complete === bytes.length).toBe(strict);
			}),
			{ numRuns: 2000 }
		);
	});

	it('any text passes through unchanged in UTF-8 and UTF-16, however the chunks cut its characters', async () => {
		await fc.assert(
			fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 30 }), sizes, async (text, cut) => {
				expect((await through(new TextEncoder().encode(text), 'utf-8', cut)).text).toBe(text);
				const le = new Uint8Array(text.length * 2);
				for (let i = 0; i < text.length; i++) [le[2 * i], le[2 * i + 1]] = [text.charCodeAt(i) & 0xff, text.charCodeAt(i) >> 8];
				expect((await through(le, 'utf-16le', cut)).text).toBe(text);
			}),
			{ numRuns: 300 }
		);
	});

	it('in repair mode, each invalid byte becomes one U+FFFD and is counted, the rest unchanged', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 6 }), sizes, async (parts, cut) => {
				const pieces = parts.map((p) => new TextEncoder().encode(p));
				const bad = new Uint8Array([0xff]);
				const bytes = new Uint8Array(pieces.reduce((n, p) => n + p.length + 1, -1));
				let at = 0;
				pieces.forEach((p, i) => {
					bytes.set(p, at);
					at += p.length;
					if (i < pieces.length - 1) bytes.set(bad, at++);
				});
				const out = await through(bytes, 'utf-8', cut, true);
				expect(out.text).toBe(parts.join('\uFFFD'));
				expect(out.repaired).toBe(parts.length - 1);
			}),
			{ numRuns: 300 }
		);
	});
});
