import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJson, sendJson } from '../json-io';
import { RequestError } from '../request';
import type { Access } from './access';
import { clientAddress, overHttps, type ClientTrust } from './client';
import { clearedCookie, readCookie, SESSION_COOKIE, sessionCookie } from './cookies';
import { deriveKey, passwordMatches, SALT_BYTES, type Derive } from './password-hash';
import { FailureLimit, type FailureWindow } from './rate-limit';
import { Sessions } from './sessions';
import { grants, type UserRecord, type UsersFile } from './users-file';

/**
 * Sign-in for `serve --users FILE`:
 *
 *   POST   /api/session  { name, password } → { user } and the session cookie
 *   GET    /api/session  → { user: { name, datasets, unmask } } (who is signed in)
 *   DELETE /api/session  → 204, the session ended and its cookie cleared
 *
 * and the `Access` the API checks every other request with. A wrong password and an unknown
 * name get the same answer after the same work: an unknown name is hashed too, against a
 * random hash of the same length with the file's parameters.
 */
export interface SignInOptions {
	users: UsersFile;
	/** A session ends this long after sign-in (default 12 h)… */
	sessionHours?: number;
	/** …or after this long without a request (default 2 h; never longer than `sessionHours`). */
	idleHours?: number;
	/** Failed sign-ins allowed per user name and per client address (default 5 and 20 in 15 minutes). */
	tries?: { perName: FailureWindow; perAddress: FailureWindow };
	/** Milliseconds since the epoch (tests move it on instead of waiting). */
	clock?: () => number;
	derive?: Derive;
}

export const DEFAULT_SESSION_HOURS = 12;
export const DEFAULT_IDLE_HOURS = 2;
const QUARTER_HOUR = 15 * 60_000;
/** An office behind one address may mistype more often than one name is guessed. */
export const DEFAULT_TRIES = { perName: { max: 5, windowMs: QUARTER_HOUR }, perAddress: { max: 20, windowMs: QUARTER_HOUR } };
const HOUR = 3_600_000;
const MAX_BODY = 4096;
const MAX_PASSWORD = 1024;

export interface SignIn {
	/** Answers /api/session. */
	handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
	access: Access;
}

class TooManyTries extends RequestError {
	constructor(readonly retryAfterS: number) {
		super(429, 'too_many_tries', `too many failed sign-ins: try again in ${retryAfterS} s`);
	}
}

const shownUser = (user: UserRecord) => ({ name: user.name, datasets: user.datasets, unmask: user.unmask });

function credentials(body: unknown): { name: string; password: string } {
	const { name, password } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
	if (typeof name !== 'string' || name.length === 0 || name.length > 64)
		throw new RequestError(400, 'invalid_value', 'name: the user name, 1 to 64 characters');
	if (typeof password !== 'string' || password.length === 0 || password.length > MAX_PASSWORD)
		throw new RequestError(400, 'invalid_value', `password: 1 to ${MAX_PASSWORD} characters`);
	return { name, password };
}

export function createSignIn(options: SignInOptions, trust: ClientTrust): SignIn {
	const clock = options.clock ?? Date.now;
	const derive = options.derive ?? deriveKey;
	const hours = options.sessionHours ?? DEFAULT_SESSION_HOURS;
	const sessions = new Sessions({ absoluteMs: hours * HOUR, idleMs: Math.min(options.idleHours ?? DEFAULT_IDLE_HOURS, hours) * HOUR }, clock);
	const tries = options.tries ?? DEFAULT_TRIES;
	const byName = new FailureLimit(tries.perName, clock);
	const byAddress = new FailureLimit(tries.perAddress, clock);
	const users = new Map(options.users.users.map((user) => [user.name, user]));
	const parameters = options.users.scrypt;
	const unknown = { salt: randomBytes(SALT_BYTES), hash: randomBytes(parameters.keylen) };

	const tokenOf = (request: IncomingMessage) => readCookie(request.headers.cookie, SESSION_COOKIE);
	function signedIn(request: IncomingMessage) {
		const session = sessions.find(tokenOf(request));
		if (!session) throw new RequestError(401, 'signin_required', 'sign in first: POST /api/session with { name, password }');
		return session.user;
	}

	async function signIn(request: IncomingMessage, response: ServerResponse) {
		const { name, password } = credentials(await readJson(request, MAX_BODY, 'sign-in'));
		const nameKey = `name:${name}`;
		const addressKey = `address:${clientAddress(request, trust)}`;
		const waitMs = Math.max(byName.waitMs(nameKey), byAddress.waitMs(addressKey));
		if (waitMs > 0) throw new TooManyTries(Math.ceil(waitMs / 1000));
		// Counted before hashing, so that tries sent all at once cannot pass the limit together.
		byName.fail(nameKey);
		byAddress.fail(addressKey);
		const user = users.get(name);
		const { salt, hash } = user ? { salt: Buffer.from(user.salt, 'base64'), hash: Buffer.from(user.hash, 'base64') } : unknown;
		const matches = await passwordMatches(password, salt, hash, parameters, derive);
		if (!user || !matches) throw new RequestError(401, 'signin_failed', 'the user name or the password is wrong');
		byName.clear(nameKey);
		byAddress.forgiveOne(addressKey);
		// A new token at each sign-in: one a browser held before (planted by someone else) never becomes a session.
		sessions.end(tokenOf(request));
		const token = sessions.start(user);
		sendJson(response, 200, { user: shownUser(user) }, { 'Set-Cookie': sessionCookie(token, { secure: overHttps(request, trust), maxAgeS: hours * 3600 }) });
	}

	return {
		access: {
			check(request) {
				const user = signedIn(request);
				return { user: user.name, may: (dataset) => grants(user.datasets, dataset), unmask: user.unmask };
			}
		},
		async handle(request, response) {
			try {
				if (request.method === 'POST') await signIn(request, response);
				else if (request.method === 'GET') sendJson(response, 200, { user: shownUser(signedIn(request)) });
				else if (request.method === 'DELETE') {
					sessions.end(tokenOf(request));
					response.writeHead(204, { 'Set-Cookie': clearedCookie({ secure: overHttps(request, trust) }), 'Cache-Control': 'no-store' }).end();
				} else throw new RequestError(405, 'method_not_allowed', 'POST, GET or DELETE /api/session');
			} catch (error) {
				const refused = error instanceof RequestError ? error : new RequestError(500, 'internal', 'the sign-in failed on the server');
				if (!(error instanceof RequestError)) console.warn(`serve: sign-in: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
				sendJson(
					response,
					refused.status,
					{ error: { code: refused.code, message: refused.message } },
					refused instanceof TooManyTries ? { 'Retry-After': String(refused.retryAfterS) } : {}
				);
			}
		}
	};
}
