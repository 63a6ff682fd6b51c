/**
 * Signing the command line in to a `serve --users FILE` server, as the sign-in page does: the
 * name from the URL (`http://NAME@HOST:PORT`) or HOLDLINE_USER, the password from
 * HOLDLINE_PASSWORD (cron) or typed without echo on a terminal. Asked only when the server says
 * it wants a session; the session is ended when the command is done.
 */
import { askHidden } from './hidden-input';
import { UsageError } from './shared';

export interface ServerSession {
	/** The server's address without the name and password given in it. */
	base: string;
	/** `fetch` on the server, with the session's cookie once signed in. */
	fetch(path: string, init?: RequestInit): Promise<Response>;
	/** Signs the session out (nothing when none was opened). */
	close(): Promise<void>;
}

interface Credentials {
	name: string | undefined;
	password: string | undefined;
}

type AskPassword = (prompt: string) => Promise<string>;

const typedPassword: AskPassword = async (prompt) => (await askHidden([prompt]))[0]!;

/** The server's own message for a refused request, else its status. */
async function refusal(response: Response): Promise<string> {
	const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
	return body?.error?.message ?? `HTTP ${response.status}`;
}

export function serverSession(
	url: string,
	env: NodeJS.ProcessEnv = process.env,
	askPassword: AskPassword | null = process.stdin.isTTY ? typedPassword : null
): ServerSession {
	const parsed = new URL(url);
	const given: Credentials = {
		name: decodeURIComponent(parsed.username) || env.HOLDLINE_USER || undefined,
		password: decodeURIComponent(parsed.password) || env.HOLDLINE_PASSWORD || undefined
	};
	parsed.username = '';
	parsed.password = '';
	const base = parsed.href.replace(/\/+$/, '');
	let cookie: string | null = null;

	const plain = (path: string, init: RequestInit = {}) =>
		fetch(`${base}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), ...(cookie ? { Cookie: cookie } : {}) } });

	async function signIn(): Promise<void> {
		const name = given.name;
		if (!name)
			throw new UsageError(
				`the server at ${base} asks for sign-in: give the name in the URL (http://NAME@HOST:PORT) or HOLDLINE_USER, and the password in HOLDLINE_PASSWORD`
			);
		const password = given.password ?? (askPassword ? await askPassword(`Password for ${name} at ${base}: `) : undefined);
		if (password === undefined)
			throw new UsageError(`the server at ${base} asks for ${name}'s password: set HOLDLINE_PASSWORD (or run on a terminal to type it)`);
		const response = await plain('/api/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name, password }) });
		if (!response.ok) throw new UsageError(`sign-in to ${base} as ${name} refused: ${await refusal(response)}`);
		const set = response.headers.get('set-cookie');
		if (!set) throw new UsageError(`sign-in to ${base} as ${name}: the server sent no session`);
		cookie = set.split(';')[0]!;
	}

	return {
		base,
		async fetch(path, init) {
			const response = await plain(path, init);
			if (response.status !== 401 || cookie) return response;
			await signIn();
			return plain(path, init);
		},
		async close() {
			if (!cookie) return;
			await plain('/api/session', { method: 'DELETE' }).catch(() => {});
			cookie = null;
		}
	};
}
