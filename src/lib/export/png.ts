/** CSS pixels per inch: the browser's reference resolution. */
export const CSS_DPI = 96;

const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

function crc32(bytes: Uint8Array): number {
	let crc = 0xffffffff;
	for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}

/**
 * Writes the image's physical resolution into the PNG (a pHYs chunk right after IHDR),
 * so word processors place a 300 dpi export at its intended printed size.
 */
export function withPngDpi(png: Uint8Array, dpi: number): Uint8Array {
	const pixelsPerMetre = Math.round(dpi / 0.0254);
	const chunk = new Uint8Array(4 + 4 + 9 + 4);
	const view = new DataView(chunk.buffer);
	view.setUint32(0, 9);
	chunk.set([0x70, 0x48, 0x59, 0x73], 4); // "pHYs"
	view.setUint32(8, pixelsPerMetre);
	view.setUint32(12, pixelsPerMetre);
	chunk[16] = 1; // unit: metre
	view.setUint32(17, crc32(chunk.subarray(4, 17)));
	const ihdrEnd = 8 + 4 + 4 + 13 + 4; // signature, IHDR length, type, data, CRC
	const out = new Uint8Array(png.length + chunk.length);
	out.set(png.subarray(0, ihdrEnd), 0);
	out.set(chunk, ihdrEnd);
	out.set(png.subarray(ihdrEnd), ihdrEnd + chunk.length);
	return out;
}

/** Reads width and height from a PNG's IHDR chunk. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
	const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
	return { width: view.getUint32(16), height: view.getUint32(20) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An SVG drawn as an image loads its embedded @font-face fonts after `decode()`
 * resolves, and draws text blank until then, with no event when done. So: redraw a
 * small probe until its pixels stop changing (at least 250 ms, at most 3 s).
 */
async function untilFontsSettle(image: HTMLImageElement, width: number, height: number): Promise<void> {
	const probe = document.createElement('canvas');
	probe.width = Math.max(1, Math.round(width / 2));
	probe.height = Math.max(1, Math.round(height / 2));
	const context = probe.getContext('2d', { willReadFrequently: true });
	if (!context) return;
	const signature = () => {
		context.clearRect(0, 0, probe.width, probe.height);
		context.drawImage(image, 0, 0, probe.width, probe.height);
		const pixels = context.getImageData(0, 0, probe.width, probe.height).data;
		let hash = 0;
		for (let i = 0; i < pixels.length; i += 4) hash = (hash * 31 + pixels[i]! + pixels[i + 1]! * 7) | 0;
		return hash;
	};
	const started = performance.now();
	let previous = signature();
	let stable = 0;
	while (performance.now() - started < 3000) {
		await sleep(80);
		const current = signature();
		stable = current === previous ? stable + 1 : 0;
		previous = current;
		if (stable >= 2 && performance.now() - started >= 250) return;
	}
}

/**
 * Draws a standalone SVG onto a canvas at `scale` device pixels per CSS pixel.
 * `dpi` is recorded in the file (e.g. 192 for 2×, 300 for print).
 */
export async function rasterise(svgText: string, width: number, height: number, scale: number, dpi: number): Promise<Blob> {
	const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
	try {
		const image = new Image();
		image.decoding = 'sync';
		image.src = url;
		await image.decode();
		await untilFontsSettle(image, width, height);
		const canvas = document.createElement('canvas');
		canvas.width = Math.round(width * scale);
		canvas.height = Math.round(height * scale);
		const context = canvas.getContext('2d');
		if (!context) throw new Error('Canvas 2D is not available in this browser.');
		context.drawImage(image, 0, 0, canvas.width, canvas.height);
		const blob = await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed.'))), 'image/png'));
		const bytes = withPngDpi(new Uint8Array(await blob.arrayBuffer()), dpi);
		return new Blob([bytes as BlobPart], { type: 'image/png' });
	} finally {
		URL.revokeObjectURL(url);
	}
}
