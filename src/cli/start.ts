/**
 * Serves the built app (`build/`) as `npm start` does: precompressed (brotli, gzip), hashed
 * assets cached for a year, pages revalidated.
 *
 *   npm start -- [--port 4173] [--host 127.0.0.1] [--app build]
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startStaticServer } from '$lib/server/static-server';
import { portNumber, SERVE_OPTIONS, UsageError } from './shared';

const USAGE = `usage: npm start -- [--port 4173] [--host 127.0.0.1] [--app build]
  Listens on 127.0.0.1 unless --host says otherwise (e.g. 0.0.0.0 for the whole network).`;

async function main() {
	const { values } = parseArgs({
		options: {
			...SERVE_OPTIONS
		}
	});
	if (values.help) {
		console.log(USAGE);
		return;
	}
	const port = portNumber(values.port);
	if (!existsSync(`${values.app}/index.html`)) throw new Error(`no built app in ${values.app}/ (run npm run build)`);
	const running = await startStaticServer({ root: values.app, host: values.host, port });
	console.log(`holdline: ${running.url}`);
	const stop = () => void running.close().finally(() => process.exit(0));
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error) => {
	if (error instanceof UsageError) console.error(`holdline: ${error.message}\n${USAGE}`);
	else console.error(`holdline: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(error instanceof UsageError ? 2 : 1);
});
