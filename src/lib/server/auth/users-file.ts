import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { DEFAULT_SCRYPT, type ScryptParameters } from './password-hash';

/**
 * The users `serve --users FILE` lets sign in: JSON, versioned, written by `npm run users`.
 *
 *   { "version": 1, "scrypt": { "N": 32768, "r": 8, "p": 1, "keylen": 64 },
 *     "users": [{ "name": "ana", "salt": "…", "hash": "…", "datasets": ["2024"], "unmask": false }] }
 *
 * `datasets` names the datasets a user may see, by name or id, or is "*" for every one.
 * `unmask`: the user may see callers' numbers in full (masked otherwise); false by default.
 */
export const USERS_FILE_VERSION = 1;

export type DatasetGrant = '*' | string[];

export interface UserRecord {
	name: string;
	/** Base64: the user's random salt and the scrypt hash of the password under it. */
	salt: string;
	hash: string;
	datasets: DatasetGrant;
	unmask: boolean;
}

export interface UsersFile {
	version: typeof USERS_FILE_VERSION;
	scrypt: ScryptParameters;
	users: UserRecord[];
}

/** A user name: letters, digits and . _ @ - (an e-mail address fits), at most 64 characters. */
export const USER_NAME = /^[\p{L}\p{N}][\p{L}\p{N}._@-]{0,63}$/u;

/** The file is not what `npm run users` writes: says where, and what is wrong. */
export class UsersFileError extends Error {}

export const emptyUsersFile = (scrypt: ScryptParameters = DEFAULT_SCRYPT): UsersFile => ({ version: USERS_FILE_VERSION, scrypt, users: [] });

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function checkParameters(value: unknown): ScryptParameters {
	const p = (value ?? {}) as Record<string, unknown>;
	const integer = (key: string, min: number, max: number) => {
		const n = p[key];
		if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) throw new UsersFileError(`scrypt.${key}: an integer from ${min} to ${max}`);
		return n;
	};
	const N = integer('N', 2, 2 ** 24);
	if ((N & (N - 1)) !== 0) throw new UsersFileError('scrypt.N: a power of 2');
	return { N, r: integer('r', 1, 64), p: integer('p', 1, 16), keylen: integer('keylen', 16, 1024) };
}

function checkUser(value: unknown, i: number, keylen: number): UserRecord {
	const u = (value ?? {}) as Record<string, unknown>;
	const at = `users[${i}]`;
	if (typeof u.name !== 'string' || !USER_NAME.test(u.name)) throw new UsersFileError(`${at}.name: letters, digits and . _ @ -, at most 64`);
	for (const key of ['salt', 'hash'] as const) if (typeof u[key] !== 'string' || !BASE64.test(u[key])) throw new UsersFileError(`${at}.${key}: base64 text`);
	if (Buffer.from(u.hash as string, 'base64').length !== keylen) throw new UsersFileError(`${at}.hash: ${keylen} bytes (scrypt.keylen)`);
	const datasets = u.datasets;
	const grant = datasets === '*' || (Array.isArray(datasets) && datasets.every((d) => typeof d === 'string' && d.length > 0));
	if (!grant) throw new UsersFileError(`${at}.datasets: "*" or a list of dataset names or ids`);
	if (u.unmask !== undefined && typeof u.unmask !== 'boolean') throw new UsersFileError(`${at}.unmask: true or false`);
	return { name: u.name, salt: u.salt as string, hash: u.hash as string, datasets: datasets as DatasetGrant, unmask: u.unmask === true };
}

/** The file's users, checked field by field. */
export function parseUsersFile(text: string): UsersFile {
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		throw new UsersFileError('not JSON');
	}
	const top = (json ?? {}) as Record<string, unknown>;
	if (top.version !== USERS_FILE_VERSION)
		throw new UsersFileError(`version: ${USERS_FILE_VERSION} is the version this holdline reads, not ${JSON.stringify(top.version)}`);
	const scrypt = checkParameters(top.scrypt);
	if (!Array.isArray(top.users)) throw new UsersFileError('users: a list');
	const users = top.users.map((u, i) => checkUser(u, i, scrypt.keylen));
	const names = new Set<string>();
	for (const user of users) {
		if (names.has(user.name)) throw new UsersFileError(`users: ${user.name} is there twice`);
		names.add(user.name);
	}
	return { version: USERS_FILE_VERSION, scrypt, users };
}

export async function readUsersFile(path: string): Promise<UsersFile> {
	const text = await readFile(path, 'utf8');
	try {
		return parseUsersFile(text);
	} catch (error) {
		throw new UsersFileError(`${path}: ${(error as Error).message}`);
	}
}

/** Written whole then renamed over the old file (a reader never sees half of it), readable by its owner only. */
export async function writeUsersFile(path: string, file: UsersFile): Promise<void> {
	const temporary = `${path}.${process.pid}.tmp`;
	await writeFile(temporary, `${JSON.stringify(file, null, '\t')}\n`, { mode: 0o600 });
	await chmod(temporary, 0o600);
	await rename(temporary, path);
}

/** The file with `user` added, or in place of the user of that name. */
export function withUser(file: UsersFile, user: UserRecord): UsersFile {
	const at = file.users.findIndex((u) => u.name === user.name);
	const users = at < 0 ? [...file.users, user] : file.users.map((u, i) => (i === at ? user : u));
	return { ...file, users };
}

export function withoutUser(file: UsersFile, name: string): UsersFile {
	return { ...file, users: file.users.filter((u) => u.name !== name) };
}

/** Whether a grant covers a dataset, named by its name or its id. */
export const grants = (grant: DatasetGrant, dataset: { id: string; name: string }) =>
	grant === '*' || grant.includes(dataset.id) || grant.includes(dataset.name);
