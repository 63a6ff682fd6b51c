import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { neutraliseCell, toCsv } from '$lib/export/csv';
import { pngSize, withPngDpi } from '$lib/export/png';
import { wrapText } from '$lib/export/svg';
import { safeFileName } from '$lib/export/download';

describe('CSV export', () => {
	it('neutralises cells a spreadsheet would run as formulas', () => {
		expect(neutraliseCell('=HYPERLINK("http://x")')).toBe(`'=HYPERLINK("http://x")`);
		expect(neutraliseCell('+1+1')).toBe("'+1+1");
		expect(neutraliseCell('-2+3')).toBe("'-2+3");
		expect(neutraliseCell('@SUM(A1)')).toBe("'@SUM(A1)");
		expect(neutraliseCell('\t=1')).toBe("'\t=1");
		expect(neutraliseCell('彭昭')).toBe('彭昭');
		expect(neutraliseCell(-23)).toBe('-23'); // a number is data, not a formula
		expect(neutraliseCell(null)).toBe('');
	});

	it('writes a BOM, a header, CRLF rows and quotes what needs quoting', () => {
		const csv = toCsv(
			[
				{ name: '王娅馨', quote: '“好的,非常抱歉”', n: 23 },
				{ name: '=cmd|x', quote: 'line\nbreak "q"', n: null }
			],
			[
				{ key: 'name', header: '座席员', value: (r) => r.name },
				{ key: 'quote', header: 'quote', value: (r) => r.quote },
				{ key: 'n', header: 'n', value: (r) => r.n }
			]
		);
		expect(csv.startsWith('\uFEFF')).toBe(true);
		expect(csv.slice(1)).toBe('座席员,quote,n\r\n王娅馨,"“好的,非常抱歉”",23\r\n\'=cmd|x,"line\nbreak ""q""",\r\n');
	});
});

describe('PNG resolution', () => {
	// A valid 1×1 PNG (signature, IHDR, IDAT, IEND).
	const onePixel = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));

	it('inserts a pHYs chunk after IHDR with pixels per metre and a valid CRC', () => {
		const out = withPngDpi(onePixel, 300);
		expect(out.length).toBe(onePixel.length + 21);
		const view = Buffer.from(out);
		expect(view.toString('latin1', 37, 41)).toBe('pHYs');
		expect(view.readUInt32BE(41)).toBe(11811); // 300 / 0.0254
		expect(view.readUInt32BE(45)).toBe(11811);
		expect(view[49]).toBe(1);
		// CRC-32 of "pHYs" + data, as zlib computes it.
		expect(view.readUInt32BE(50)).toBe(crc32(view.subarray(37, 50)));
		expect(view.toString('latin1', 58, 62)).toBe('IDAT');
		expect(pngSize(out)).toEqual({ width: 1, height: 1 });
	});
});

describe('figure text', () => {
	it('wraps Chinese by width and Latin at spaces', () => {
		expect(wrapText('一二三四五六', 10, 30)).toEqual(['一二三', '四五六']);
		const lines = wrapText('Source: ICBC credit-card telephone service center', 10, 120);
		expect(lines.length).toBeGreaterThan(1);
		for (const line of lines) expect(line.startsWith(' ')).toBe(false);
		expect(lines.join(' ')).toBe('Source: ICBC credit-card telephone service center');
	});

	it('makes file names safe but keeps Chinese', () => {
		expect(safeFileName('holdline-service 部门 = 座席一部/../x')).toBe('holdline-service-部门-座席一部-x');
	});
});
