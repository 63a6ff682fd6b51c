import { generateFile, type Truth } from '$lib/synthetic/generate';
import { spawn, type ChildProcess } from 'node:child_process';

/**
 * `npm run load` as a child process that can be stopped at a named stage: it is started with
 * HOLDLINE_LOAD_HOLD_AT (src/cli/hold.ts), `held` resolves when it prints that it holds there,
 * then the test kills it (`kill`), or lets it go on (`proceed`). `exited` gives its exit code,
 * signal and output.
 */
export interface HeldLoad {
	child: ChildProcess;
	held: Promise<void>;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
	/** SIGKILL, by the child's PID; resolves once it is gone. */
	kill(): Promise<void>;
	proceed(): void;
}

export function startLoad(args: string[], env: Record<string, string | undefined>, holdAt?: string): HeldLoad {
	const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/load.ts', ...args], {
		env: { ...process.env, ...env, ...(holdAt ? { HOLDLINE_LOAD_HOLD_AT: holdAt } : {}) },
		stdio: ['pipe', 'pipe', 'pipe']
	});
	let stdout = '';
	let stderr = '';
	child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
		child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr }))
	);
	const held = new Promise<void>((resolve, reject) => {
		child.stderr!.on('data', (chunk: Buffer) => {
			stderr += chunk.toString();
			if (holdAt && stderr.includes(`holdline load: holding at ${holdAt}\n`)) resolve();
		});
		void exited.then(({ code, signal }) => reject(new Error(`the load ended (${code ?? signal}) before holding at ${holdAt}:\n${stdout}\n${stderr}`)));
	});
	held.catch(() => {}); // observed by the test that waits for it
	return {
		child,
		held,
		exited,
		async kill() {
			child.kill('SIGKILL');
			await exited;
		},
		proceed: () => child.stdin!.write('\n')
	};
}

/** Three generated call files (a, b, c: three weeks), seeded from `seed`, the loads' input. */
export function loadFiles(seed: number) {
	return {
		a: generateFile({ rows: 6000, seed, start: '2024-03-04', incident: null, completeShare: 0.6 }, 'csv'),
		b: generateFile({ rows: 5000, seed: seed + 1, start: '2024-03-11', incident: null, completeShare: 0.6 }, 'csv'),
		c: generateFile({ rows: 3000, seed: seed + 2, start: '2024-03-18', incident: null, completeShare: 0.6 }, 'csv')
	};
}

/** Per department: calls and abandoned calls of `names`' files, counted from the generator's calls. */
export function callsAndAbandons<N extends string>(files: Record<N, { calls: Truth['calls'] }>, names: N[]): Record<string, [number, number]> {
	const out: Record<string, [number, number]> = {};
	for (const name of names)
		for (const call of files[name].calls) {
			const row = (out[call.queue] ??= [0, 0]);
			row[0]++;
			if (call.outcome === 'abandoned') row[1]++;
		}
	return out;
}
