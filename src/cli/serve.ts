/**
 * Serves the built app and a JSON API over a store made by `npm run load`: the app's Service
 * level page then lists the store's datasets and asks native DuckDB for its views.
 *
 *   npm run serve -- --engine duckdb:STORE.duckdb [--port 4173] [--host 127.0.0.1] [--app build]
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startServer } from '$lib/server/http';
import { storePath } from '$lib/server/store';
import { nonNegative, UsageError } from './shared';

const USAGE = `usage: npm run serve -- --engine duckdb:STORE.duckdb [--port 4173] [--host 127.0.0.1] [--app build]
  Listens on 127.0.0.1 unless --host says otherwise (e.g. 0.0.0.0 for the whole network).`;

function options() {
	const { values } = parseArgs({
		options: {
			engine: { type: 'string' },
			port: { type: 'string', default: '4173' },
			host: { type: 'string', default: '127.0.0.1' },
			app: { type: 'string', default: 'build' },
			help: { type: 'boolean', default: false }
		}
	});
	if (values.help) {
		console.log(USAGE);
		process.exit(0);
	}
	if (!values.engine) throw new UsageError('--engine duckdb:PATH is required');
	let store: string;
	try {
		store = storePath(values.engine);
	} catch (error) {
		throw new UsageError(`--engine: ${(error as Error).message}`);
	}
	if (!existsSync(store)) throw new UsageError(`no store at ${store}: make one with npm run load -- FILES… --into duckdb:${store}`);
	const port = nonNegative('port', values.port!);
	if (!Number.isInteger(port) || port > 65535) throw new UsageError(`--port must be 0 to 65535, not ${values.port}`);
	const app = existsSync(`${values.app}/index.html`) ? values.app! : null;
	return { store, port, host: values.host!, app };
}

async function main() {
	const opts = options();
	if (!opts.app) console.error('holdline serve: no built app (run npm run build); serving the API only');
	const running = await startServer(opts);
	console.log(`holdline serve: ${running.url} (store ${opts.store}, native DuckDB)`);
	// Exits even if closing the database hangs (seen once after serving a million-row store).
	const stop = () => {
		setTimeout(() => process.exit(0), 2000).unref();
		void running.close().finally(() => process.exit(0));
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error) => {
	if (error instanceof UsageError) console.error(`holdline serve: ${error.message}\n${USAGE}`);
	else console.error(`holdline serve: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
	process.exit(error instanceof UsageError ? 2 : 1);
});
