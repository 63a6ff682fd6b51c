import { MESSAGES } from '$lib/i18n/messages';
import { problemText } from '$lib/imports/errors';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metrics } from './cli-run';

const run = promisify(execFile);
/** The command as a process: its exit code and its own streams. */
const asProcess = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli/metrics.ts', ...args], { cwd: process.cwd() });
/** The same command in this process (cli-run.ts): the same output and exit code, without a process start. */
const cli = metrics;

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
	}, 120_000);
});

describe('npm run metrics', () => {
	it('prints the same metrics as the app, as JSON', async () => {
		const { stdout } = await asProcess('tests/fixtures/imports/queue_log', '--utc-offset', '8', '--by', 'agent', '--json');
		const out = JSON.parse(stdout);
		// 4 calls: answered after 10 s and 60 s, one abandon after 3 s (short), one time-out
		expect(out.format).toBe('queue_log');
		expect(out.summary).toMatchObject({ volume: 4, answered: 2, abandoned: 1, short_abandoned: 1, unanswered: 1, answered_within: 1 });
		expect(out.summary.service_level).toBeCloseTo(0.25);
		expect(out.summary.asa_s).toBeCloseTo(35);
		expect(out.summary.aht_s).toBeCloseTo(240);
		expect(out.by_agent.map((a: { key: string }) => a.key)).toEqual(['Agent/101', 'Agent/102']);
	}, 120_000);

	it('honours threshold, variant and onset options', async () => {
		const { stdout } = await cli(
			'tests/fixtures/imports/mapped-utf8.csv',
			'--threshold',
			'40',
			'--variant',
			'exclude',
			'--onset',
			'2024-03-04 14:28:00',
			'--json'
		);
		const out = JSON.parse(stdout);
		expect(out.summary.answered_within).toBe(5);
		expect(out.summary.service_level).toBeCloseTo(1);
		expect(out.incident).toMatchObject({ in_progress: 5, in_service: 3, ended_early: 1 });
	}, 120_000);

	it('with --strict, a bad row exits non-zero with the message the app shows', async () => {
		const failure = await asProcess('tests/fixtures/imports/bad-extra-field.csv', '--strict').then(
			() => null,
			(error: { code: number; stderr: string }) => error
		);
		expect(failure?.code).toBe(1);
		// The Import page's English words, with the same place.
		const page = problemText({ problem: 'malformed', file: 'bad-extra-field.csv', line: 3 }, 'en');
		expect(failure?.stderr).toContain(`${page.where}: ${page.what}`);
	}, 120_000);

	it("a file whose columns cannot become calls: the app's words, never the database's", async () => {
		const failure = await cli('tests/fixtures/imports/bad-cdr-few-columns.csv').then(
			() => null,
			(error: { code: number; stdout: string; stderr: string }) => error
		);
		expect(failure?.code).toBe(1);
		const page = problemText({ problem: 'not_assembled', file: 'bad-cdr-few-columns.csv' }, 'en');
		expect(failure?.stderr).toContain(`${page.where}: ${page.what} (${MESSAGES.en['hint.step_assemble']})`);
		expect(failure!.stdout + failure!.stderr).not.toMatch(/Binder|Parser|Conversion|Catalog|Invalid Input Error/);
	}, 120_000);

	it('by default, bad rows are left out and reported with their reason, in JSON and text', async () => {
		const out = JSON.parse((await cli('tests/fixtures/imports/bad-extra-field.csv', '--json')).stdout);
		expect(out.rows).toBe(2);
		const skipped = out.quality.entries.find((e: { kind: string }) => e.kind === 'skipped');
		expect(skipped).toMatchObject({ code: 'malformed', count: 1, reason: MESSAGES.en['problem.malformed'] });
		expect(skipped.examples[0]).toMatchObject({ file: 'bad-extra-field.csv', line: 3 });
		const text = (await cli('tests/fixtures/imports/bad-extra-field.csv')).stdout;
		expect(text).toMatch(/Data quality: 3 rows read → 2 calls/);
		expect(text).toMatch(/skipped +1 +malformed: the row does not fit the file layout\n +bad-extra-field\.csv:3/);
	}, 120_000);

	it('JSON names every definition used, abandonment following the abandon treatment', async () => {
		const count = JSON.parse((await cli('tests/fixtures/imports/Master.csv', '--json')).stdout);
		expect(count.definitions.abandon_rate).toBe('abandoned / offered (short abandons included)');
		expect(count.summary.abandon_rate).toBeCloseTo(2 / 6);
		const short = JSON.parse((await cli('tests/fixtures/imports/Master.csv', '--variant', 'exclude_short', '--json')).stdout);
		expect(short.definitions.abandon_rate).toMatch(/^\(abandoned − short abandons\)/);
		expect(short.summary.abandon_rate).toBeCloseTo(1 / 5);
		expect(short.definitions.service_level).toBe('answered within 20 s / offered calls less short abandons (under 5 s)');
	}, 120_000);

	it('FreePBX queue legs answered by the PBX: the waits are unknown, said as such in JSON and text, not as ASA 0', async () => {
		const out = JSON.parse((await cli('tests/fixtures/imports/freepbx-queue-Master.csv', '--by', 'department', '--json')).stdout);
		expect(out.warnings).toEqual([
			{
				code: 'wait_unknown',
				text: MESSAGES.en['quality.code.wait_unknown'],
				untrusted: ['answered_within', 'service_level', 'asa_s'],
				unknown: ['answered_within', 'service_level', 'asa_s']
			}
		]);
		// 3 queue calls: 2 answered (wait unknown), 1 abandoned after 45 s; the outbound call is left out.
		expect(out.summary).toMatchObject({ volume: 3, offered: 3, answered: 2, abandoned: 1, service_level: null, asa_s: null, answered_within: null });
		expect(out.by_department).toEqual([expect.objectContaining({ key: '400', service_level: null, asa_s: null })]);
		expect(out.quality.flags).toEqual(['wait_unknown']);
		const outbound = out.quality.entries.find((e: { code: string }) => e.code === 'cdr_outbound');
		expect(outbound).toMatchObject({ kind: 'excluded', count: 1, reason: MESSAGES.en['quality.code.cdr_outbound'] });
		expect(outbound.examples[0]).toMatchObject({ file: 'freepbx-queue-Master.csv', line: 4, value: 'call 1709806800.6: 101 → 139****5678' });
		const text = (await cli('tests/fixtures/imports/freepbx-queue-Master.csv')).stdout;
		expect(text).toContain(`WARNING: ${MESSAGES.en['quality.code.wait_unknown']}`);
		expect(text).toMatch(/service_level\*/);
		expect(text).toContain('wait unknown');
		expect(text).not.toMatch(/0\.0%/);
	}, 120_000);

	it('with the member legs, the same calls have their waits and no warning', async () => {
		const out = JSON.parse((await cli('tests/fixtures/imports/freepbx-members-Master.csv', '--json')).stdout);
		expect(out.warnings).toEqual([]);
		// Answered after 14 s and 30 s: ASA 22 s, 1 of 3 offered within 20 s.
		expect(out.summary).toMatchObject({ answered: 2, answered_within: 1, asa_s: 22 });
		expect(out.summary.service_level).toBeCloseTo(1 / 3);
	}, 120_000);

	it('an unrecognised layout says what is needed; --map and --mapping import it', async () => {
		const failure = await cli('tests/fixtures/imports/unrecognised.csv').then(
			() => null,
			(error: { code: number; stderr: string }) => error
		);
		expect(failure?.code).toBe(1);
		expect(failure?.stderr).toContain('columns found: "Zeitpunkt", "Warteschlange", "Bearbeiter", "Dauer"');
		const mapped = JSON.parse(
			(
				await cli(
					'tests/fixtures/imports/unrecognised.csv',
					'--map',
					'arrival=Zeitpunkt',
					'--map',
					'queue=Warteschlange',
					'--map',
					'agent=Bearbeiter',
					'--map',
					'talk=Dauer',
					'--by',
					'agent',
					'--json'
				)
			).stdout
		);
		expect(mapped.rows).toBe(2);
		expect(mapped.summary.aht_s).toBeCloseTo(150);
		expect(mapped.by_agent.map((a: { key: string }) => a.key).sort()).toEqual(['Meier', 'Schulz']);
		const dir = mkdtempSync(join(tmpdir(), 'holdline-map-'));
		const file = join(dir, 'mapping.json');
		writeFileSync(file, JSON.stringify({ holdline: 'mapping', version: 1, columns: [], mapping: { arrival: 'Zeitpunkt', talk: 'Dauer' } }));
		const fromFile = JSON.parse((await cli('tests/fixtures/imports/unrecognised.csv', '--mapping', file, '--json')).stdout);
		expect(fromFile.rows).toBe(2);
		writeFileSync(file, JSON.stringify({ mapping: { arrivl: 'Zeitpunkt' } }));
		const bad = await cli('tests/fixtures/imports/unrecognised.csv', '--mapping', file).then(
			() => null,
			(error: { code: number; stderr: string }) => error
		);
		expect(bad?.code).toBe(2);
		expect(bad?.stderr).toContain('unknown field "arrivl"');
		rmSync(dir, { recursive: true, force: true });
	}, 120_000);

	it('prints cell text without terminal control characters', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'holdline-esc-'));
		const file = join(dir, 'esc.csv');
		writeFileSync(
			file,
			'call_id,queue,agent,arrival,answer,end\nE1,cards,\u001b]0;owned\u0007\u001b[2J,2024-03-04 09:00:00,2024-03-04 09:00:05,2024-03-04 09:01:00\n'
		);
		const { stdout } = await cli(file, '--by', 'agent');
		expect(stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
		expect(stdout).toContain('\ufffd]0;owned');
		rmSync(dir, { recursive: true, force: true });
	}, 120_000);
});
