import type { SourceFile } from './source';

/**
 * What a file is when it is not call records as text, told by its first bytes (the
 * "magic numbers" each format starts with), so a user who picked the wrong file hears what
 * they picked instead of "a column is missing".
 */
export type NotTextKind = 'xlsx' | 'xls' | 'zip' | 'pdf' | 'png' | 'jpeg' | 'gif' | 'binary';

const starts = (head: Uint8Array, ...bytes: number[]) => bytes.every((b, i) => head[i] === b);
const ascii = (head: Uint8Array, text: string) => starts(head, ...[...text].map((c) => c.charCodeAt(0)));

export function isGzip(head: Uint8Array): boolean {
	return starts(head, 0x1f, 0x8b);
}

/** `text16`: the bytes read as UTF-16, whose zero bytes are not control bytes. */
export function sniffNotText(head: Uint8Array, text16: boolean): NotTextKind | undefined {
	if (starts(head, 0x50, 0x4b, 0x03, 0x04)) {
		// An XLSX is a ZIP whose first entries name the workbook's parts.
		const names = new TextDecoder('latin1').decode(head.subarray(0, 4096));
		return /\[Content_Types\]\.xml|xl\//.test(names) ? 'xlsx' : 'zip';
	}
	if (starts(head, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) return 'xls';
	if (ascii(head, '%PDF-')) return 'pdf';
	if (starts(head, 0x89, 0x50, 0x4e, 0x47)) return 'png';
	if (starts(head, 0xff, 0xd8, 0xff)) return 'jpeg';
	if (ascii(head, 'GIF8')) return 'gif';
	return !text16 && controlShare(head) > 0.01 ? 'binary' : undefined;
}

/**
 * The share of bytes that never occur in text (C0 controls other than tab, line breaks,
 * form feed and escape). Called after UTF-16 is ruled out, whose zero bytes would count.
 * Random bytes score about 10 %; exports seen so far score 0.
 */
function controlShare(head: Uint8Array): number {
	const probe = head.subarray(0, 4096);
	let control = 0;
	for (const b of probe) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) control++;
	return probe.length ? control / probe.length : 0;
}

/**
 * A gzip-compressed file read as its content (rotated CDR logs are often `.csv.gz`). The
 * name stays the file's own, so messages name what the user picked; `size` stays the
 * compressed size, which is what the progress bar counts (see `rawBytesRead`).
 */
export function gunzipped(file: SourceFile): SourceFile {
	let rawBytesRead = 0;
	const inflate = () =>
		file
			.stream()
			.pipeThrough(
				new TransformStream<Uint8Array, Uint8Array>({
					transform(chunk, controller) {
						rawBytesRead += chunk.byteLength;
						controller.enqueue(chunk);
					}
				})
			)
			.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
	return {
		name: file.name,
		size: file.size,
		compressed: true,
		browserFile: file.browserFile,
		rawBytesRead: () => rawBytesRead,
		stream: () => {
			rawBytesRead = 0;
			return inflate();
		},
		head: async (bytes) => {
			const reader = inflate().getReader();
			const parts: Uint8Array[] = [];
			let size = 0;
			try {
				while (size < bytes) {
					const { done, value } = await reader.read();
					if (done) break;
					parts.push(value);
					size += value.byteLength;
				}
			} finally {
				await reader.cancel().catch(() => {});
			}
			const out = new Uint8Array(size);
			let at = 0;
			for (const p of parts) {
				out.set(p, at);
				at += p.byteLength;
			}
			return out.subarray(0, bytes);
		},
		bytes: async () => new Uint8Array(await new Response(inflate()).arrayBuffer())
	};
}
