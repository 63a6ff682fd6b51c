/**
 * The generator's queue_log with agent events (`--format queue_log --agents`): read back by the
 * agent-state tracker, each agent's seconds per state are the ones the generator wrote (its
 * truth is made from the shifts, pauses, rings and calls it wrote, not from the tracker's rules);
 * and the calls in it import as before.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queueLogWithAgents } from '$lib/synthetic/queue-log-agents';
import { generateCalls, type GeneratorOptions } from '$lib/synthetic/generate';
import { agentSummary, agentTracker } from '$lib/metrics/agent-states';
import { refAgentRows, refAgentTotals } from '../reference/agent-states';
import { engine, importFixtures } from './import-helpers';

const options: GeneratorOptions = { rows: 2500, seed: 11, start: '2008-05-05', incident: null, completeShare: 0.6 };

function readBack(lines: string[], wrapSeconds: number) {
	const tracker = agentTracker({ wrapSeconds });
	let last = 0;
	for (const line of lines) {
		const f = line.split('|');
		last = Number(f[0]);
		tracker.push({ time: last, callId: f[1]!, queue: f[2]!, agent: f[3]!, event: f[4]!, data: f.slice(5) });
	}
	return { summary: agentSummary(tracker.spans(last), tracker.ringNoAnswer()), last };
}

describe('generated queue_log with agent events', () => {
	for (const wrapSeconds of [0, 25]) {
		it(`each agent's time per state is what was written (wrap-up ${wrapSeconds} s)`, () => {
			const { lines, agents } = queueLogWithAgents(options, { wrapSeconds });
			expect(agents.length).toBeGreaterThan(5);
			const { summary, last } = readBack(lines, wrapSeconds);
			expect(summary.map((s) => s.agent)).toEqual(agents.map((a) => a.agent));
			summary.forEach((s, i) => {
				const truth = agents[i]!;
				expect([s.loggedInS, s.availableS, s.ringingS, s.talkS, s.wrapS, s.pausedS, s.ringNoAnswer]).toEqual([
					truth.loggedInS,
					truth.availableS,
					truth.ringingS,
					truth.talkS,
					truth.wrapS,
					truth.pausedS,
					truth.ringNoAnswer
				]);
				expect(s.pausedByReason).toEqual(truth.pausedByReason);
			});
			// Something of every kind was written.
			expect(agents.some((a) => a.pausedS > 0 && a.ringNoAnswer > 0)).toBe(true);
			// The independent reference reads the same file the same way.
			const expected = refAgentTotals(refAgentRows(lines.join('\n')), -Infinity, last + 1, () => wrapSeconds);
			expect(expected.map((e) => [e.agent, e.talkS, e.pausedS, e.wrapS])).toEqual(summary.map((s) => [s.agent, s.talkS, s.pausedS, s.wrapS]));
		}, 120_000);
	}

	it('lines are in time order; ENTERQUEUE carries a caller number; no agent takes two calls at once', () => {
		const { lines } = queueLogWithAgents(options, { wrapSeconds: 10 });
		const times = lines.map((l) => Number(l.split('|')[0]));
		expect(times).toEqual([...times].sort((a, b) => a - b));
		const enter = lines.filter((l) => l.includes('|ENTERQUEUE|'));
		expect(enter).toHaveLength(options.rows);
		for (const l of enter) expect(l.split('|')[6]).toMatch(/^1[3589]\d{9}$/);
		const numbers = enter.map((l) => l.split('|')[6]);
		expect(new Set(numbers).size).toBeLessThan(numbers.length); // some callers call again
		const open = new Map<string, string>();
		for (const l of lines) {
			const [, callId, , agent, event] = l.split('|');
			if (event === 'CONNECT') {
				expect(open.has(agent!)).toBe(false);
				open.set(agent!, callId!);
			} else if (event?.startsWith('COMPLETE')) {
				expect(open.get(agent!)).toBe(callId);
				open.delete(agent!);
			}
		}
	});

	it('imports as the same calls as the plain queue_log (arrivals, waits, outcomes)', async () => {
		const { lines } = queueLogWithAgents({ ...options, rows: 400 }, { wrapSeconds: 0 });
		const result = await importFixtures([['queue_log', lines.join('\n') + '\n']], { utcOffsetSeconds: 0 });
		const calls = [...generateCalls({ ...options, rows: 400 })];
		expect(result.rows).toBe(calls.length);
		const db = await engine();
		const rows = await db.query<{ outcome: string; n: number; waited: number }>({
			sql: `SELECT outcome, count(*) AS n, sum(wait_s) AS waited FROM ${result.table} GROUP BY outcome ORDER BY outcome`,
			params: []
		});
		const answered = calls.filter((c) => c.answer !== null);
		const abandoned = calls.filter((c) => c.answer === null);
		const sum = (xs: typeof calls) => xs.reduce((n, c) => n + c.wait_s, 0);
		expect(rows.map((r) => [r.outcome, Number(r.n), Number(r.waited)])).toEqual([
			['abandoned', abandoned.length, sum(abandoned)],
			['answered', answered.length, sum(answered)]
		]);
	}, 120_000);

	it("npm run generate -- --format queue_log --agents --truth writes the library's lines and truth; refuses the flags elsewhere", async () => {
		const run = promisify(execFile);
		const dir = mkdtempSync(join(tmpdir(), 'holdline-agents-'));
		const generate = (...args: string[]) =>
			run(process.execPath, ['--import', 'tsx', 'src/cli/generate.ts', '--rows', '300', '--seed', '4', '--start', '2008-05-05', ...args]);
		const refused = (...args: string[]) =>
			generate(...args, '--out', join(dir, 'x')).then(
				() => '',
				(e: { stderr: string }) => e.stderr
			);
		try {
			await generate('--format', 'queue_log', '--agents', '--wrap-seconds', '12', '--truth', join(dir, 't.json'), '--out', join(dir, 'queue_log'));
			const expected = queueLogWithAgents({ rows: 300, seed: 4, start: '2008-05-05', incident: null, completeShare: 0.6 }, { wrapSeconds: 12 });
			expect(readFileSync(join(dir, 'queue_log'), 'utf8')).toBe(expected.lines.join('\n') + '\n');
			expect(JSON.parse(readFileSync(join(dir, 't.json'), 'utf8'))).toMatchObject({ synthetic: true, wrapSeconds: 12, agents: expected.agents });
			expect(await refused('--format', 'csv', '--agents')).toContain('--agents and --wrap-seconds apply to --format queue_log');
			expect(await refused('--format', 'queue_log', '--wrap-seconds', '5')).toContain('--wrap-seconds applies with --agents');
			expect(await refused('--format', 'queue_log', '--agents', '--wrap-seconds', '2.5')).toContain('--wrap-seconds must be');
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}, 120_000);
});
