/** Reading a password on the command line: typed without echo on a terminal, or one line of a script's input. */

/**
 * Lines typed without echo, one per prompt: the terminal in raw mode, each key read as it comes
 * (keys typed or pasted ahead of a prompt are kept for it).
 */
export function askHidden(prompts: string[]): Promise<string[]> {
	return new Promise((resolve, reject) => {
		const input = process.stdin;
		const lines: string[] = [];
		let typed = '';
		process.stderr.write(prompts[0]!);
		input.setRawMode(true);
		input.resume();
		input.setEncoding('utf8');
		const finish = (error: Error | null) => {
			input.setRawMode(false);
			input.pause();
			input.off('data', onData);
			if (error) reject(error);
			else resolve(lines);
		};
		const onData = (chunk: string) => {
			for (const key of chunk) {
				if (key === '\r' || key === '\n') {
					process.stderr.write('\n');
					lines.push(typed);
					typed = '';
					if (lines.length === prompts.length) return finish(null);
					process.stderr.write(prompts[lines.length]!);
				} else if (key === '\u0003') {
					process.stderr.write('\n');
					finish(null);
					process.exit(130);
				} else if (key === '\u0004' && !typed) {
					process.stderr.write('\n');
					return finish(new Error('no password typed; nothing was written'));
				} else if (key === '\u007f' || key === '\b') typed = [...typed].slice(0, -1).join('');
				else if (key >= ' ') typed += key;
			}
		};
		input.on('data', onData);
	});
}

/** The first line of standard input (a script's `echo pass | npm run users -- add …`). */
export async function readLine(): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0]!;
}
