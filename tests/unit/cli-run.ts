import { metricsCommand } from '../../src/cli/metrics';
import type { CommandIo } from '../../src/cli/command';
import { engine } from './import-helpers';

/** What a command printed and its exit code, as a process started from the shell would give them. */
export interface CommandRun {
	code: number;
	stdout: string;
	stderr: string;
}

/** No browser in the unit tests: a report's workbook is written without its charts (the browser tests check them). */
export const NO_CHROMIUM = '/nonexistent/chromium';

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs a command in this process with the arguments, its output captured and the file's one
 * engine (import-helpers.ts): the same command, arguments and output as the process, without a
 * Node start, a TypeScript load and a DuckDB-WASM start per run. Runs take turns: they import
 * into the same table. Exit codes and the process's own streams are tested by starting the
 * process (cli.test.ts, report.test.ts).
 */
function runCommand(command: (io: CommandIo) => Promise<number>, args: string[]): Promise<CommandRun> {
	const run = queue.then(async () => {
		const stdout: string[] = [];
		const stderr: string[] = [];
		const code = await command({ args, out: (text) => stdout.push(`${text}\n`), err: (text) => stderr.push(`${text}\n`), openEngine: engine });
		return { code, stdout: stdout.join(''), stderr: stderr.join('') };
	});
	queue = run.catch(() => undefined);
	return run;
}

/** As `execFile` answers: the output when the command succeeds; a rejection with `code` and both streams when it fails. */
async function succeeded(name: string, running: Promise<CommandRun>): Promise<Omit<CommandRun, 'code'>> {
	const run = await running;
	if (run.code !== 0) throw Object.assign(new Error(`${name} exited with ${run.code}: ${run.stderr}`), run);
	return { stdout: run.stdout, stderr: run.stderr };
}

/** `npm run metrics -- …args`, in this process. */
export const runMetrics = (...args: string[]): Promise<CommandRun> => runCommand(metricsCommand, args);
export const metrics = (...args: string[]) => succeeded('metrics', runMetrics(...args));

/** `npm run report -- …args`, in this process, without Chromium. (Its modules, the workbook's among them, load at the first run.) */
export const runReport = (...args: string[]): Promise<CommandRun> =>
	runCommand(async (io) => (await import('../../src/cli/report')).reportCommand({ ...io, chromium: NO_CHROMIUM }), args);
export const report = (...args: string[]) => succeeded('report', runReport(...args));
