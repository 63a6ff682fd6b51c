import { metricsCommand } from '../../src/cli/metrics';
import { engine } from './import-helpers';

/** What a command printed and its exit code, as a process started from the shell would give them. */
export interface CommandRun {
	code: number;
	stdout: string;
	stderr: string;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `npm run metrics -- …args` in this process, with the file's one engine (import-helpers.ts):
 * the same command, arguments and output as the process, without a Node start, a TypeScript load
 * and a DuckDB-WASM start per run. Runs take turns: they import into the same table. Exit codes
 * and the process's own streams are tested by starting the process (cli.test.ts).
 */
export function runMetrics(...args: string[]): Promise<CommandRun> {
	const run = queue.then(async () => {
		const stdout: string[] = [];
		const stderr: string[] = [];
		const code = await metricsCommand({ args, out: (text) => stdout.push(`${text}\n`), err: (text) => stderr.push(`${text}\n`), openEngine: engine });
		return { code, stdout: stdout.join(''), stderr: stderr.join('') };
	});
	queue = run.catch(() => undefined);
	return run;
}

/** As `execFile` answers: the output when the command succeeds; a rejection with `code` and both streams when it fails. */
export async function metrics(...args: string[]): Promise<Omit<CommandRun, 'code'>> {
	const run = await runMetrics(...args);
	if (run.code !== 0) throw Object.assign(new Error(`metrics exited with ${run.code}: ${run.stderr}`), run);
	return { stdout: run.stdout, stderr: run.stderr };
}
