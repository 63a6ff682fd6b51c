/**
 * Serves the built app and a JSON API over what `npm run load` loaded: the app's Service level
 * page then lists its datasets and asks native DuckDB, or ClickHouse, for its views.
 *
 *   npm run serve -- --engine duckdb:STORE.duckdb [--port 4173] [--host 127.0.0.1] [--app build]
 *   npm run serve -- --engine clickhouse:http://[USER:PASSWORD@]HOST:PORT/DB [the same options]
 *   npm run serve -- --engine duckdb:STORE.duckdb --follow /var/log/asterisk/queue_log [--queue-targets FILE.json] [--utc-offset HOURS]
 *   sign-in: --users FILE [--session-hours 12]; HTTPS: --tls-cert FILE --tls-key FILE; behind a proxy: --trust-proxy
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { OpenServerError, startServer } from '$lib/server/http';
import { readUsersFile } from '$lib/server/auth/users-file';
import { isLoopback } from '$lib/server/auth/loopback';
import { DEFAULT_SESSION_HOURS } from '$lib/server/auth/sign-in';
import { parseLoadTarget } from '$lib/imports/clickhouse-load';
import { storePath } from '$lib/server/store';
import { parseQueueTargets, type QueueTargets } from '$lib/metrics/wallboard';
import { portNumber, SERVE_OPTIONS, UsageError } from './shared';

const USAGE = `usage: npm run serve -- --engine duckdb:STORE.duckdb [--port 4173] [--host 127.0.0.1] [--app build]
   or: npm run serve -- --engine clickhouse:http://[USER:PASSWORD@]HOST:PORT/DB [the same options]
   or: npm run serve -- --engine duckdb:STORE.duckdb --follow QUEUE_LOG|DIR [--queue-targets FILE.json] [--utc-offset HOURS] [the same options]
  --follow: Asterisk's queue_log (or a directory of it and its rotated files) read, then followed
  as the dataset "live: NAME"; the wallboard (/wallboard) shows it. --queue-targets: JSON
  { "default": { "percent": 80, "thresholdS": 20 }, "queues": { "NAME": { … } } } (docs/live.md).
  Listens on 127.0.0.1 unless --host says otherwise (e.g. 0.0.0.0 for the whole network).
  Sign-in: --users FILE (npm run users -- add NAME writes it) [--session-hours ${DEFAULT_SESSION_HOURS}]; any host but
  loopback needs it, or --no-auth to serve every dataset to anyone who reaches the port.
  HTTPS: --tls-cert FILE --tls-key FILE (PEM). Behind a reverse proxy: --trust-proxy believes its
  X-Forwarded-For / X-Forwarded-Proto.
  ClickHouse: ask the server loaded into (it holds the load records) as a read-only user; the
  user and password may instead come from HOLDLINE_CLICKHOUSE_USER / HOLDLINE_CLICKHOUSE_PASSWORD.`;

function options() {
	const { values } = parseArgs({
		options: {
			engine: { type: 'string' },
			users: { type: 'string' },
			'no-auth': { type: 'boolean', default: false },
			'session-hours': { type: 'string', default: String(DEFAULT_SESSION_HOURS) },
			'tls-cert': { type: 'string' },
			'tls-key': { type: 'string' },
			'trust-proxy': { type: 'boolean', default: false },
			follow: { type: 'string' },
			'queue-targets': { type: 'string' },
			'utc-offset': { type: 'string' },
			...SERVE_OPTIONS
		}
	});
	if (values.help) {
		console.log(USAGE);
		process.exit(0);
	}
	if (!values.engine) throw new UsageError('--engine duckdb:PATH or --engine clickhouse:URL is required');
	const engine = values.engine;
	try {
		if (engine.startsWith('clickhouse:')) parseLoadTarget(engine);
		else {
			const store = storePath(engine);
			if (!existsSync(store)) throw new Error(`no store at ${store}: make one with npm run load -- FILES… --into duckdb:${store}`);
		}
	} catch (error) {
		throw new UsageError(`--engine: ${(error as Error).message.replace(/^--into takes/, 'takes')}`);
	}
	const port = portNumber(values.port!);
	const app = existsSync(`${values.app}/index.html`) ? values.app! : null;
	if (values.users && values['no-auth']) throw new UsageError('--users and --no-auth: one or the other');
	// Checked before the store is opened: an open server is refused at once.
	if (!values.users && !values['no-auth'] && !isLoopback(values.host!))
		throw new UsageError(
			`--host ${values.host} may be reached from other machines: give --users FILE, or --no-auth to serve every dataset to anyone who reaches it`
		);
	const sessionHours = Number(values['session-hours']);
	if (!Number.isFinite(sessionHours) || sessionHours <= 0 || sessionHours > 24 * 30)
		throw new UsageError(`--session-hours must be a number of hours above 0, at most 720, not ${JSON.stringify(values['session-hours'])}`);
	if (!values['tls-cert'] !== !values['tls-key']) throw new UsageError('--tls-cert and --tls-key go together');
	const tls = values['tls-cert'] ? { cert: readPem('tls-cert', values['tls-cert']), key: readPem('tls-key', values['tls-key']!) } : undefined;
	return {
		engine,
		port,
		host: values.host!,
		app,
		users: values.users,
		noAuth: values['no-auth']!,
		sessionHours,
		tls,
		trustProxy: values['trust-proxy']!,
		follow: followSettings(engine, values)
	};
}

function followSettings(engine: string, values: { follow?: string; 'queue-targets'?: string; 'utc-offset'?: string }) {
	if (!values.follow) {
		if (values['queue-targets'] || values['utc-offset']) throw new UsageError('--queue-targets and --utc-offset go with --follow');
		return undefined;
	}
	if (!engine.startsWith('duckdb:')) throw new UsageError('--follow needs a DuckDB store (--engine duckdb:STORE.duckdb)');
	if (!existsSync(values.follow)) throw new UsageError(`--follow: no file or directory ${values.follow}`);
	let targets: QueueTargets | undefined;
	if (values['queue-targets']) {
		try {
			targets = parseQueueTargets(JSON.parse(readFileSync(values['queue-targets'], 'utf8')));
		} catch (error) {
			throw new UsageError(`--queue-targets ${values['queue-targets']}: ${(error as Error).message}`);
		}
	}
	const offset = values['utc-offset'];
	if (offset !== undefined && !Number.isFinite(Number(offset))) throw new UsageError(`--utc-offset must be a number of hours, not ${JSON.stringify(offset)}`);
	const utcOffsetSeconds = offset !== undefined ? Number(offset) * 3600 : -new Date().getTimezoneOffset() * 60;
	return { path: values.follow, targets, utcOffsetSeconds };
}

function readPem(option: string, path: string): Buffer {
	try {
		return readFileSync(path);
	} catch (error) {
		throw new UsageError(`--${option}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
	}
}

/** The users file, checked; a file with no user is refused (nobody could sign in). */
async function users(path: string) {
	const file = await readUsersFile(path).catch((error: Error) => {
		throw new UsageError(
			`--users: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? `no file ${path}: make it with npm run users -- add NAME --file ${path}` : error.message}`
		);
	});
	if (!file.users.length) throw new UsageError(`--users: ${path} has no users: add one with npm run users -- add NAME --file ${path}`);
	return file;
}

async function main() {
	const { users: usersPath, sessionHours, ...opts } = options();
	const signIn = usersPath ? { users: await users(usersPath), sessionHours } : undefined;
	if (!opts.app) console.error('holdline serve: no built app (run npm run build); serving the API only');
	const started = performance.now();
	const running = await startServer({ ...opts, signIn, env: process.env });
	if (running.live)
		void running.live.ready.then(
			() =>
				console.log(
					`holdline serve: following ${opts.follow!.path} as "${running.live!.dataset.name}" (${running.live!.dataset.rows} calls today); wallboard at ${running.url}/wallboard`
				),
			(error: Error) => console.error(`holdline serve: --follow ${opts.follow!.path}: ${error.message}`)
		);
	if (opts.noAuth) console.error(`holdline serve: WARNING: --no-auth: no sign-in; anyone who reaches ${running.url} sees every dataset`);
	if (signIn)
		console.log(
			`holdline serve: sign-in required: ${signIn.users.users.length} user(s) from ${usersPath}; sessions end after ${sessionHours} h${opts.trustProxy ? '; trusting X-Forwarded-For/-Proto' : ''}`
		);
	// A DuckDB store's first answers and cubes are made in the background (server/served-views.ts).
	void running.api.prepared.then(() => {
		const { remembered, cubes } = running.api.diagnostics();
		if (remembered || cubes)
			console.log(`holdline serve: ${remembered} first answers and ${cubes} cubes ready after ${((performance.now() - started) / 1000).toFixed(1)} s`);
	});
	// The address without its password.
	const shown = opts.engine.replace(/\/\/[^@/]*@/, '//');
	console.log(
		`holdline serve: ${running.url} (${opts.engine.startsWith('clickhouse:') ? `ClickHouse ${shown.slice('clickhouse:'.length)}` : `store ${shown.slice('duckdb:'.length)}, native DuckDB`})`
	);
	// Exits even if closing the database hangs (seen once after serving a million-row store).
	const stop = () => {
		setTimeout(() => process.exit(0), 2000).unref();
		void running.close().finally(() => process.exit(0));
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error) => {
	if (error instanceof OpenServerError) console.error(`holdline serve: ${error.message}`);
	else if (error instanceof UsageError) console.error(`holdline serve: ${error.message}\n${USAGE}`);
	else console.error(`holdline serve: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
	process.exit(error instanceof UsageError || error instanceof OpenServerError ? 2 : 1);
});
