import { describe, expect, it } from 'vitest';
import { AppendedReader } from '$lib/live/appended-reader';

/** The file as `getFile()` gives it at one moment: a Blob of its bytes then. */
const fileOf = (text: string | Uint8Array<ArrayBuffer>) => new Blob([text]);

const L1 = '1733500000|c1|sales|NONE|ENTERQUEUE||13800001111|1';
const L2 = '1733500004|c1|sales|Agent/1|CONNECT|4|c1.1|2';
const L3 = '1733500064|c1|sales|Agent/1|COMPLETECALLER|4|60|1';

describe('AppendedReader', () => {
	it('reads the file to its end, then only what was appended', async () => {
		const reader = new AppendedReader();
		let text = `${L1}\n`;
		expect(await reader.read(fileOf(text))).toEqual({ lines: [L1], replaced: false });
		expect(await reader.read(fileOf(text))).toEqual({ lines: [], replaced: false });
		text += `${L2}\n${L3}\n`;
		expect(await reader.read(fileOf(text))).toEqual({ lines: [L2, L3], replaced: false });
		expect(reader.offset).toBe(new TextEncoder().encode(text).length);
	});

	it('leaves a partial last line until its newline is written', async () => {
		const reader = new AppendedReader();
		const half = L2.slice(0, 20);
		expect((await reader.read(fileOf(`${L1}\n${half}`))).lines).toEqual([L1]);
		expect((await reader.read(fileOf(`${L1}\n${half}`))).lines).toEqual([]);
		expect((await reader.read(fileOf(`${L1}\n${L2}\n`))).lines).toEqual([L2]);
	});

	it('takes nothing of a file without a newline yet', async () => {
		const reader = new AppendedReader();
		expect(await reader.read(fileOf(L1))).toEqual({ lines: [], replaced: false });
		expect(reader.offset).toBe(0);
		expect((await reader.read(fileOf(`${L1}\n`))).lines).toEqual([L1]);
	});

	it('keeps a character whose bytes are split across two looks whole', async () => {
		const reader = new AppendedReader();
		const line = '1733500000|c9|销售|NONE|ENTERQUEUE||13800001111|1';
		const bytes = new TextEncoder().encode(`${line}\n`);
		// Cut inside the first Chinese character's three bytes.
		const cut = bytes.indexOf(0xe9) + 1;
		expect((await reader.read(fileOf(bytes.slice(0, cut)))).lines).toEqual([]);
		expect((await reader.read(fileOf(bytes))).lines).toEqual([line]);
	});

	it('drops the carriage return of CRLF lines and skips empty lines', async () => {
		const reader = new AppendedReader();
		expect((await reader.read(fileOf(`${L1}\r\n\n${L2}\r\n`))).lines).toEqual([L1, L2]);
	});

	it('reads a shorter file from its start: it was replaced', async () => {
		const reader = new AppendedReader();
		await reader.read(fileOf(`${L1}\n${L2}\n${L3}\n`));
		const next = '1733586400|d1|sales|NONE|ENTERQUEUE||13800002222|1';
		expect(await reader.read(fileOf(`${next}\n`))).toEqual({ lines: [next], replaced: true });
		expect(await reader.read(fileOf(`${next}\n${L3}\n`))).toEqual({ lines: [L3], replaced: false });
	});

	it('reads a file from its start when it no longer starts as it did, even if as long', async () => {
		const reader = new AppendedReader();
		await reader.read(fileOf(`${L1}\n`));
		const other = L1.replace('c1', 'x7');
		expect(await reader.read(fileOf(`${other}\n${L2}\n`))).toEqual({ lines: [other, L2], replaced: true });
	});
});
