/**
 * Two ClickHouse shards on 127.0.0.1 for the tests and `npm run bench -- --engine clickhouse:local`:
 * each with its own config, data and tmp under one fresh temp dir, free ports, a
 * `remote_servers` cluster `holdline` of both, a `reader` user (readonly = 2: queries and
 * settings, no writes) and a `writer` for loads. Stopped by the PIDs started here; the temp
 * dir is removed. With `distributedDdl`, a ZooKeeper (Debian's `zookeeper` package) on a free
 * port too, so `ON CLUSTER` statements run on every shard.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdirSync, mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CLICKHOUSE_SERVER = '/usr/sbin/clickhouse-server';
export const CLUSTER_NAME = 'holdline';
/** Debian's ZooKeeper: its jar names the others it needs. */
export const ZOOKEEPER_JAR = '/usr/share/java/zookeeper.jar';
const JAVA = '/usr/bin/java';

const accessible = (path: string, mode: number) => {
	try {
		accessSync(path, mode);
		return true;
	} catch {
		return false;
	}
};

export function clickhouseInstalled(): boolean {
	return accessible(CLICKHOUSE_SERVER, constants.X_OK);
}

/** Whether a ZooKeeper can be started for distributed DDL (`apt-get install zookeeper`). */
export function zookeeperInstalled(): boolean {
	return accessible(ZOOKEEPER_JAR, constants.R_OK) && accessible(JAVA, constants.X_OK);
}

interface Ports {
	http: number;
	tcp: number;
	interserver: number;
}

export interface Shard {
	ports: Ports;
	/** http://127.0.0.1:PORT */
	url: string;
	dir: string;
	process: ChildProcess | null;
}

export interface Cluster {
	shards: Shard[];
	/** The ZooKeeper the shards run `ON CLUSTER` statements through, when asked for. */
	zookeeper: { port: number; process: ChildProcess | null } | null;
	dir: string;
	reader: { username: string; password: string };
	writer: { username: string; password: string };
	/** Stops one shard (to test a shard that is down). */
	stopShard(index: number): Promise<void>;
	startShard(index: number): Promise<void>;
	stop(): Promise<void>;
}

/** A port nothing listens on now: bound to 0, then released. */
function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
		});
	});
}

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function serverConfig(
	dir: string,
	ports: Ports,
	all: Ports[],
	writer: { username: string; password: string },
	timezone: string,
	zookeeperPort: number | null
): string {
	const shards = all
		.map(
			(p) =>
				`<shard><replica><host>127.0.0.1</host><port>${p.tcp}</port><user>${xml(writer.username)}</user><password>${xml(writer.password)}</password></replica></shard>`
		)
		.join('\n      ');
	return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${xml(dir)}/log/server.log</log><errorlog>${xml(dir)}/log/error.log</errorlog><size>10M</size><count>1</count></logger>
  <http_port>${ports.http}</http_port>
  <tcp_port>${ports.tcp}</tcp_port>
  <interserver_http_port>${ports.interserver}</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <listen_host>127.0.0.1</listen_host>
  <max_concurrent_queries>20</max_concurrent_queries>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <mark_cache_size>67108864</mark_cache_size>
  <path>${xml(dir)}/data/</path>
  <tmp_path>${xml(dir)}/tmp/</tmp_path>
  <user_files_path>${xml(dir)}/user_files/</user_files_path>
  <format_schema_path>${xml(dir)}/format_schemas/</format_schema_path>
  <users_config>${xml(dir)}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>${xml(timezone)}</timezone>
  <query_log><database>system</database><table>query_log</table><flush_interval_milliseconds>7500</flush_interval_milliseconds></query_log>
  <remote_servers>
    <${CLUSTER_NAME}>
      ${shards}
    </${CLUSTER_NAME}>
  </remote_servers>${
		zookeeperPort === null
			? ''
			: `
  <zookeeper><node><host>127.0.0.1</host><port>${zookeeperPort}</port></node></zookeeper>
  <distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>`
	}
</yandex>
`;
}

function usersConfig(reader: { username: string; password: string }, writer: { username: string; password: string }): string {
	const user = (u: { username: string; password: string }, profile: string) => `<${u.username}>
      <password>${xml(u.password)}</password>
      <networks><ip>127.0.0.1</ip></networks>
      <profile>${profile}</profile>
      <quota>default</quota>
    </${u.username}>`;
	return `<?xml version="1.0"?>
<yandex>
  <profiles>
    <default><max_memory_usage>2000000000</max_memory_usage><load_balancing>random</load_balancing><log_queries>1</log_queries></default>
    <reader><readonly>2</readonly><max_memory_usage>2000000000</max_memory_usage><log_queries>1</log_queries></reader>
  </profiles>
  <users>
    ${user(writer, 'default')}
    ${user(reader, 'reader')}
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;
}

/**
 * GET /ping on a connection closed after the answer ('' when nothing answers yet): an idle
 * kept-alive socket would hold a later SIGTERM until the server's keep-alive timeout.
 */
function ping(url: string): Promise<string> {
	return new Promise((resolve) => {
		const request = get(`${url}/ping`, { agent: false }, (response) => {
			let body = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => (body += chunk));
			response.on('end', () => resolve(response.statusCode === 200 ? body : ''));
			response.on('error', () => resolve(''));
		});
		request.on('error', () => resolve(''));
	});
}

async function waitForPing(shard: Shard, timeoutMs = 30_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let exited = false;
	shard.process?.once('exit', () => (exited = true));
	while (Date.now() < deadline) {
		if (exited) throw new Error(`clickhouse-server exited before answering /ping; see ${shard.dir}/log`);
		if ((await ping(shard.url)).startsWith('Ok')) return;
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`clickhouse-server on ${shard.url} did not answer /ping within ${timeoutMs} ms`);
}

function launch(shard: Shard): void {
	const out = openSync(join(shard.dir, 'log', 'stdout.log'), 'a');
	shard.process = spawn(CLICKHOUSE_SERVER, [`--config-file=${join(shard.dir, 'config.xml')}`], { stdio: ['ignore', out, out], cwd: shard.dir });
	closeSync(out);
}

/** Stops the process we started (by its PID) and waits for it to exit; SIGKILL after 10 s. */
async function halt(shard: { process: ChildProcess | null }): Promise<void> {
	const child = shard.process;
	shard.process = null;
	if (!child || child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
	await exited;
	clearTimeout(timer);
}

/** Whether a ZooKeeper answers its `srvr` command on `port`. */
function zookeeperAnswers(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		let text = '';
		const socket = connect(port, '127.0.0.1', () => socket.end('srvr'));
		socket.setTimeout(2_000, () => socket.destroy());
		socket.on('data', (chunk) => (text += chunk.toString()));
		socket.on('error', () => resolve(false));
		socket.on('close', () => resolve(/Zookeeper version/i.test(text)));
	});
}

/** A standalone ZooKeeper on `port`, its data under `dir`, ready once it answers. */
async function startZookeeper(dir: string, port: number, timeoutMs = 60_000): Promise<ChildProcess> {
	mkdirSync(dir, { recursive: true });
	const out = openSync(join(dir, 'stdout.log'), 'a');
	const child = spawn(
		JAVA,
		[
			'-Xmx256m',
			'-Dzookeeper.admin.enableServer=false',
			'-Dzookeeper.4lw.commands.whitelist=srvr',
			'-cp',
			ZOOKEEPER_JAR,
			'org.apache.zookeeper.server.ZooKeeperServerMain',
			String(port),
			join(dir, 'data')
		],
		{ stdio: ['ignore', out, out], cwd: dir }
	);
	closeSync(out);
	let exited = false;
	child.once('exit', () => (exited = true));
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (exited) throw new Error(`ZooKeeper exited before answering; see ${dir}/stdout.log`);
		if (await zookeeperAnswers(port)) return child;
		await new Promise((r) => setTimeout(r, 200));
	}
	await halt({ process: child });
	throw new Error(`ZooKeeper on port ${port} did not answer within ${timeoutMs} ms`);
}

/**
 * `timezone`: the servers' own zone. Not UTC by default (and half an hour off whole hours), so
 * the tests show that holdline's times, stored as DateTime('UTC'), do not depend on it.
 */
export async function startCluster(shardCount = 2, timezone = 'Asia/Kolkata', { distributedDdl = false } = {}): Promise<Cluster> {
	const dir = mkdtempSync(join(tmpdir(), 'holdline-clickhouse-'));
	const secret = () => randomBytes(12).toString('hex');
	const reader = { username: 'reader', password: secret() };
	const writer = { username: 'writer', password: secret() };
	const ports: Ports[] = [];
	const taken = new Set<number>();
	while (ports.length < shardCount) {
		const trio: number[] = [];
		while (trio.length < 3) {
			const port = await freePort();
			if (taken.has(port)) continue;
			taken.add(port);
			trio.push(port);
		}
		ports.push({ http: trio[0]!, tcp: trio[1]!, interserver: trio[2]! });
	}
	let zookeeperPort: number | null = null;
	while (distributedDdl && zookeeperPort === null) {
		const port = await freePort();
		if (!taken.has(port)) zookeeperPort = port;
	}
	const shards: Shard[] = ports.map((p, i) => {
		const shardDir = join(dir, `shard${i + 1}`);
		for (const sub of ['data', 'tmp', 'user_files', 'format_schemas', 'log']) mkdirSync(join(shardDir, sub), { recursive: true });
		writeFileSync(join(shardDir, 'config.xml'), serverConfig(shardDir, p, ports, writer, timezone, zookeeperPort));
		writeFileSync(join(shardDir, 'users.xml'), usersConfig(reader, writer));
		return { ports: p, url: `http://127.0.0.1:${p.http}`, dir: shardDir, process: null };
	});
	const zookeeper = zookeeperPort === null ? null : { port: zookeeperPort, process: null as ChildProcess | null };
	const stop = async () => {
		await Promise.all(shards.map(halt));
		if (zookeeper) await halt(zookeeper);
		rmSync(dir, { recursive: true, force: true });
	};
	try {
		if (zookeeper) zookeeper.process = await startZookeeper(join(dir, 'zookeeper'), zookeeper.port);
		shards.forEach(launch);
		await Promise.all(shards.map((s) => waitForPing(s)));
	} catch (error) {
		await stop();
		throw error;
	}
	return {
		shards,
		zookeeper,
		dir,
		reader,
		writer,
		stopShard: (i) => halt(shards[i]!),
		async startShard(i) {
			launch(shards[i]!);
			await waitForPing(shards[i]!);
		},
		stop
	};
}
