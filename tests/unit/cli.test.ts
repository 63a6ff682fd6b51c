import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli/metrics.ts', ...args], { cwd: process.cwd() });

describe('npm run generate', () => {
	it('writes the same file, byte for byte, for the same seed', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'holdline-gen-'));
		const make = (name: string, seed: string, format = 'csv') =>
			run(process.execPath, ['--import', 'tsx', 'src/cli/generate.ts', '--rows', '3000', '--seed', seed, '--format', format, '--out', join(dir, name)]);
		await make('a.csv', '5');
		await make('b.csv', '5');
		await make('c.csv', '6');
		await make('q.log', '5', 'queue_log');
		expect(readFileSync(join(dir, 'a.csv')).equals(readFileSync(join(dir, 'b.csv')))).toBe(true);
		expect(readFileSync(join(dir, 'a.csv')).equals(readFileSync(join(dir, 'c.csv')))).toBe(false);
		// The queue_log it writes is read back as the same calls.
		const { stdout } = await cli(join(dir, 'q.log'), '--utc-offset', '0', '--json');
		expect(JSON.parse(stdout).rows).toBe(3000);
		rmSync(dir, { recursive: true, force: true });
	}, 60_000);
});

describe('npm run metrics', () => {
	it('prints the same metrics as the app, as JSON', async () => {
		const { stdout } = await cli('tests/fixtures/imports/queue_log', '--utc-offset', '8', '--by', 'agent', '--json');
		const out = JSON.parse(stdout);
		// 4 calls: answered after 10 s and 60 s, one abandon after 3 s (short), one time-out
		expect(out.format).toBe('queue_log');
		expect(out.summary).toMatchObject({ volume: 4, answered: 2, abandoned: 1, short_abandoned: 1, unanswered: 1, answered_within: 1 });
		expect(out.summary.service_level).toBeCloseTo(0.25);
		expect(out.summary.asa_s).toBeCloseTo(35);
		expect(out.summary.aht_s).toBeCloseTo(240);
		expect(out.by_agent.map((a: { key: string }) => a.key)).toEqual(['Agent/101', 'Agent/102']);
	}, 60_000);

	it('honours threshold, variant and onset options', async () => {
		const { stdout } = await cli('tests/fixtures/imports/mapped-utf8.csv', '--threshold', '40', '--variant', 'exclude', '--onset', '2024-03-04 14:28:00', '--json');
		const out = JSON.parse(stdout);
		expect(out.summary.answered_within).toBe(5);
		expect(out.summary.service_level).toBeCloseTo(1);
		expect(out.incident).toMatchObject({ in_progress: 5, in_service: 3, ended_early: 1 });
	}, 60_000);

	it('a bad file exits non-zero with the message the app shows', async () => {
		const failure = await cli('tests/fixtures/imports/bad-extra-field.csv').then(
			() => null,
			(error: { code: number; stderr: string }) => error
		);
		expect(failure?.code).toBe(1);
		expect(failure?.stderr).toContain('bad-extra-field.csv, line 3: a row does not fit the file layout');
	}, 60_000);
});
