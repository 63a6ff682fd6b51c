import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { nativeEngine } from '$lib/engine/native';
import { followLog } from '$lib/server/follow';
import { startLive, type Live } from '$lib/server/live';
import { logDays } from './live-day';

/**
 * The follower reads every line once, through partial lines, a rotation by rename while calls
 * are under way (the writer still appending to the old file, then a new file) and a truncation
 * in place; the calls assembled from what it read are the generator's, each once.
 */
const dir = mkdtempSync(join(tmpdir(), 'holdline-follow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const day = logDays({ rows: 400, seed: 7, start: '2024-03-04' });
const all = day.lines.map((l) => l.text);

/** Writes the log as a PBX would, calling `settle` (read what is there) between steps. */
async function writeWithRotations(path: string, settle: () => Promise<void>, seen: () => number) {
	const third = Math.floor(all.length / 3);
	// 1. The first third, then a line in two halves.
	writeFileSync(path, all.slice(0, third).join('\n') + '\n');
	await settle();
	const line = all[third]!;
	appendFileSync(path, line.slice(0, 7));
	await settle();
	expect(seen()).toBe(third); // the half line waits for its newline
	appendFileSync(path, line.slice(7) + '\n');
	await settle();
	expect(seen()).toBe(third + 1);
	// 2. Rotation by rename mid-call: the writer still appends a few lines to the old file, then opens a new one.
	renameSync(path, `${path}.1`);
	appendFileSync(`${path}.1`, all.slice(third + 1, third + 6).join('\n') + '\n');
	await settle();
	writeFileSync(path, all.slice(third + 6, 2 * third).join('\n') + '\n' + all[2 * third]!.slice(0, 5));
	await settle();
	appendFileSync(path, all[2 * third]!.slice(5) + '\n');
	await settle();
	expect(seen()).toBe(2 * third + 1);
	// 3. copytruncate: truncated in place, then written again, past where it had been read.
	truncateSync(path, 0);
	writeFileSync(path, all.slice(2 * third + 1).join('\n') + '\n');
	await settle();
}

describe('following a queue_log', () => {
	it('hands on every line once, in order, through partial lines, rename and truncation', async () => {
		const path = join(dir, 'a', 'queue_log');
		rmSync(join(dir, 'a'), { recursive: true, force: true });
		await import('node:fs').then((fs) => fs.mkdirSync(join(dir, 'a')));
		writeFileSync(path, '');
		const got: string[] = [];
		const follower = followLog(path, { pollMs: 3_600_000, onLines: ({ lines }) => void got.push(...lines) });
		await follower.ready;
		await writeWithRotations(
			path,
			() => follower.check(),
			() => got.length
		);
		await follower.close();
		expect(got).toEqual(all);
		expect(follower.progress.rotations).toBe(2);
	});

	it('reads a directory of rotated files oldest first, then follows the live one', async () => {
		const folder = join(dir, 'b');
		await import('node:fs').then((fs) => fs.mkdirSync(folder));
		const q = Math.floor(all.length / 4);
		writeFileSync(join(folder, 'queue_log.2'), all.slice(0, q).join('\n') + '\n');
		writeFileSync(join(folder, 'queue_log.1'), all.slice(q, 2 * q).join('\n')); // no final newline: its last line is complete
		writeFileSync(join(folder, 'queue_log.3.gz'), 'not read');
		writeFileSync(join(folder, 'queue_log'), all.slice(2 * q, 3 * q).join('\n') + '\n');
		const got: string[] = [];
		const follower = followLog(folder, { pollMs: 3_600_000, onLines: ({ lines }) => void got.push(...lines) });
		await follower.ready;
		appendFileSync(join(folder, 'queue_log'), all.slice(3 * q).join('\n') + '\n');
		await follower.check();
		await follower.close();
		expect(got).toEqual(all);
	});

	it('counts each of the generator’s calls once, as it was, through the same rotations', async () => {
		const folder = join(dir, 'c');
		await import('node:fs').then((fs) => fs.mkdirSync(folder));
		const path = join(folder, 'queue_log');
		writeFileSync(path, '');
		const instance = await DuckDBInstance.create(':memory:');
		const connection = await nativeEngine(instance);
		const clock = () => (day.lines.at(-1)!.time + 1) * 1000;
		let live: Live | undefined;
		try {
			live = await startLive(connection, { path, utcOffsetSeconds: 0, pollMs: 3_600_000, refreshMs: 3_600_000, clock });
			await live.ready;
			const l = live;
			await writeWithRotations(
				path,
				() => l.settled(),
				() => l.follower.progress.lines
			);
			await live.settled();
			const rows = await connection.query<{ call_id: string; outcome: string; wait_s: number; talk_s: number | null; agent: string | null; arrival: string }>({
				sql: `SELECT call_id, outcome, wait_s, talk_s, agent, strftime(arrival, '%Y-%m-%d %H:%M:%S') AS arrival FROM live_calls ORDER BY call_id`,
				params: []
			});
			const truth = day.calls
				.map((c) => ({
					call_id: c.call_id,
					outcome: c.answer === null ? 'abandoned' : 'answered',
					wait_s: c.wait_s,
					talk_s: c.answer === null ? null : c.end - c.answer,
					agent: c.answer === null ? null : c.agent,
					arrival: new Date(c.arrival * 1000).toISOString().slice(0, 19).replace('T', ' ')
				}))
				.sort((a, b) => (a.call_id < b.call_id ? -1 : a.call_id > b.call_id ? 1 : 0));
			expect(rows).toEqual(truth);
			expect(live.dataset.rows).toBe(day.calls.length);
			expect(live.snapshot()!.queues.reduce((n, q) => n + q.waiting, 0)).toBe(0);
		} finally {
			await live?.close();
			connection.close();
			instance.closeSync();
		}
	});
});
