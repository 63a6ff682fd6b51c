import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openNodeEngine } from '$lib/engine/node';
import type { Engine } from '$lib/engine/types';

/**
 * What a command reads and writes: its arguments, its two output streams and the engine files
 * are imported into. A command run from the shell has the process's own; the unit tests run a
 * command in their process with the output captured and one engine for all their runs (a
 * DuckDB-WASM start costs seconds of CPU).
 */
export interface CommandIo {
	args: string[];
	out(text: string): void;
	err(text: string): void;
	openEngine(): Promise<Engine>;
}

export function processIo(): CommandIo {
	return {
		args: process.argv.slice(2),
		out: (text) => console.log(text),
		err: (text) => console.error(text),
		openEngine: openNodeEngine
	};
}

/** True when the module at `url` is the script Node was started with, not a module imported by another. */
export function isEntry(url: string): boolean {
	const script = process.argv[1];
	if (!script) return false;
	try {
		return realpathSync(script) === realpathSync(fileURLToPath(url));
	} catch {
		return false;
	}
}
