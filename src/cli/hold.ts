/**
 * A test hook for loads stopped half-way: with HOLDLINE_LOAD_HOLD_AT=STAGE[,STAGE…] a load
 * that reaches one of those stages prints `holdline load: holding at STAGE` to stderr and
 * waits for a line on its standard input, so a test can kill it (or stop a shard) at exactly
 * that point, then let it go on. Without the variable it does nothing.
 *
 * Stages: into ClickHouse `tables` (made, and earlier loads' leftovers removed), `imported`,
 * `piece-sent` (the first piece of calls), `next-piece` (each later one), `files-recorded`,
 * `committed`; into a DuckDB store `imported`, `before-commit` (inside its transaction),
 * `committed`.
 */
export async function holdAt(stage: string, env: Record<string, string | undefined> = process.env): Promise<void> {
	const stages = env.HOLDLINE_LOAD_HOLD_AT?.split(',') ?? [];
	if (!stages.includes(stage)) return;
	process.stderr.write(`holdline load: holding at ${stage}\n`);
	await new Promise<void>((resolve) => {
		process.stdin.once('data', () => {
			process.stdin.pause();
			resolve();
		});
		process.stdin.resume();
	});
}
