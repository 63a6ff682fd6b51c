import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouseEngine, type ClickHouseEngine } from '$lib/engine/clickhouse';
import { listClickHouseDatasets } from '$lib/server/clickhouse-datasets';
import { clickhouseInstalled, startCluster, zookeeperInstalled, type Cluster } from '$lib/server/clickhouse-cluster';
import { PRE_AGGREGATES } from '$lib/imports/clickhouse-loads';
import { callsAndAbandons, loadFiles, startLoad } from './held-load';

// `npm run load --into clickhouse:…?cluster=NAME` with no shard named: every table made by
// `ON CLUSTER` DDL (through a ZooKeeper), as a cluster with distributed DDL is loaded. A load
// killed mid-way leaves what the dashboard reads as it was, and the next load deletes what it
// sent from every shard's own tables (not only the server asked) and its files' records, then
// completes it without doubling.
const installed = clickhouseInstalled() && zookeeperInstalled();
if (!installed) console.warn('ON CLUSTER load tests skipped: they need /usr/sbin/clickhouse-server and Debian’s zookeeper (apt-get install zookeeper)');

const FILES = loadFiles(23);
type Name = keyof typeof FILES;
const truth = (names: Name[]) => callsAndAbandons(FILES, names);
const LOCAL_TABLES = ['calls_local', ...PRE_AGGREGATES.map((name) => `${name}_local`)].sort();

describe.skipIf(!installed)('npm run load into a cluster given by name (ON CLUSTER): a load is all or nothing', () => {
	let cluster: Cluster;
	let dir: string;
	let into: string;
	let env: Record<string, string>;
	/** Each shard, asked directly (the first is the server loaded into: it keeps the records of loads). */
	let shards: ClickHouseEngine[];
	const path = (name: Name) => join(dir, `${name}.csv`);
	const count = async (ch: ClickHouseEngine, sql: string) => Number((await ch.query<{ n: number }>({ sql, params: [] }))[0]!.n);
	const committed = `load_id IN (SELECT load_id FROM oncluster.holdline_commits)`;

	/** What serve, metrics and report see: the dataset's listing and the figures per department, from the calls and the pre-aggregate. */
	async function seen() {
		const [reader] = shards;
		const [dataset] = await listClickHouseDatasets(reader!);
		const figures = async (sql: string) =>
			Object.fromEntries(
				(await reader!.query<{ queue: string; n: number; abandoned: number }>({ sql, params: [] })).map((r) => [r.queue, [Number(r.n), Number(r.abandoned)]])
			);
		const calls = await figures(`SELECT queue, count() AS n, countIf(outcome = 'abandoned') AS abandoned FROM calls GROUP BY queue ORDER BY queue`);
		const aggregate = await figures(`SELECT queue, sumMerge(volume) AS n, sumMerge(abandoned) AS abandoned FROM calls_agg GROUP BY queue ORDER BY queue`);
		return { dataset, calls, aggregate, otherShard: await count(shards[1]!, `SELECT count() AS n FROM calls`) };
	}
	/** Each shard's own rows of loads that never committed: in the calls and in every pre-aggregate. */
	const uncommittedRows = () =>
		Promise.all(
			shards.map(async (ch) => {
				const rows: Record<string, number> = {};
				for (const table of LOCAL_TABLES) rows[table] = await count(ch, `SELECT count() AS n FROM oncluster.${table} WHERE load_id != 0 AND NOT ${committed}`);
				return rows;
			})
		);
	const none = Object.fromEntries(LOCAL_TABLES.map((t) => [t, 0]));

	beforeAll(async () => {
		cluster = await startCluster(2, 'Asia/Kolkata', { distributedDdl: true });
		dir = mkdtempSync(join(tmpdir(), 'holdline-oncluster-'));
		for (const name of Object.keys(FILES) as Name[]) writeFileSync(path(name), FILES[name].text);
		into = `clickhouse:${cluster.shards[0]!.url}/oncluster?cluster=holdline`;
		// Pieces of 1,000 calls: a load of b sends five.
		env = { HOLDLINE_CLICKHOUSE_USER: cluster.writer.username, HOLDLINE_CLICKHOUSE_PASSWORD: cluster.writer.password, HOLDLINE_LOAD_PIECE_ROWS: '1000' };
		shards = cluster.shards.map((s) => openClickHouseEngine({ url: s.url, database: 'oncluster', ...cluster.reader }));
	}, 180_000);

	afterAll(async () => {
		for (const ch of shards ?? []) await ch.close();
		await cluster?.stop();
		if (dir) rmSync(dir, { recursive: true, force: true });
	}, 180_000); // removing the shards' data can take over a minute on a busy machine

	const load = (name: Name, holdAt?: string) => startLoad([path(name), '--into', into, '--utc-offset', '0'], env, holdAt);

	it('a first load makes every table on both shards and counts what the generator wrote', async () => {
		const done = await load('a').exited;
		expect(done.code, done.stderr).toBe(0);
		for (const ch of shards)
			expect(
				await count(ch, `SELECT count() AS n FROM system.tables WHERE database = 'oncluster' AND name IN (${LOCAL_TABLES.map((t) => `'${t}'`).join(', ')})`)
			).toBe(LOCAL_TABLES.length);
		const now = await seen();
		expect(now.calls).toEqual(truth(['a']));
		expect(now.aggregate).toEqual(truth(['a']));
		expect(now.otherShard).toBe(FILES.a.calls.length);
		expect(now.dataset!.rows).toBe(FILES.a.calls.length);
	}, 180_000);

	it('killed after a later piece, and after its files were recorded: nothing changes, though both shards hold rows it sent', async () => {
		const before = await seen();
		for (const stage of ['next-piece', 'files-recorded']) {
			const running = load('b', stage);
			await running.held;
			await running.kill();
			expect(await seen(), `killed at ${stage}`).toEqual(before);
		}
		for (const [i, left] of (await uncommittedRows()).entries()) expect(left.calls_local, `shard ${i + 1}: rows sent`).toBeGreaterThan(0);
		expect(await count(shards[0]!, `SELECT count() AS n FROM holdline_files WHERE NOT ${committed}`)).toBe(1);
	}, 300_000);

	it('the next load deletes what they sent from every shard, and their files, then completes it without doubling', async () => {
		const done = await load('b').exited;
		expect(done.code, done.stderr).toBe(0);
		// The load killed last (the one before it was removed by it, as it started): all of b sent.
		expect(done.stdout).toMatch(/removed what 1 earlier load\(s\) that did not finish had sent \(5000 calls, never counted\)/);
		// The deletes reach each shard's own tables (mutations, done in the background).
		for (const ch of shards) {
			const asked = await ch.query<{ name: string }>({
				sql: `SELECT DISTINCT table AS name FROM system.mutations WHERE database = 'oncluster' AND command LIKE 'DELETE WHERE load_id IN%' ORDER BY name`,
				params: []
			});
			expect(asked.map((m) => m.name).filter((t) => t !== 'holdline_files')).toEqual(LOCAL_TABLES);
		}
		await expect.poll(uncommittedRows, { timeout: 60_000, interval: 250 }).toEqual([none, none]);
		await expect.poll(() => count(shards[0]!, `SELECT count() AS n FROM holdline_files WHERE NOT ${committed}`), { timeout: 60_000, interval: 250 }).toBe(0);
		const now = await seen();
		expect(now.calls).toEqual(truth(['a', 'b']));
		expect(now.aggregate).toEqual(truth(['a', 'b']));
		expect(now.otherShard).toBe(FILES.a.calls.length + FILES.b.calls.length);
		expect(now.dataset).toMatchObject({ rows: 11_000, files: ['a.csv', 'b.csv'], loads: 2 });
		// Every row on the shards is a committed load's: none doubled.
		expect(await count(shards[0]!, `SELECT count() AS n FROM calls_rows`)).toBe(11_000);
		const again = await load('b').exited;
		expect(again.code).toBe(0);
		expect(again.stdout).toMatch(/b\.csv: already loaded \(as b\.csv, 5000 calls/);
		expect(await seen()).toEqual(now);
	}, 300_000);
});
