import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Passwords are kept as scrypt hashes (`node:crypto`): the parameters live in the users file, so
 * a file made with other costs still verifies. 2^15 × 8 takes 32 MB and about 0.1 s a try, run
 * on libuv's thread pool (4 threads: at most 4 tries hash at once, whatever arrives).
 */
export interface ScryptParameters {
	N: number;
	r: number;
	p: number;
	/** Bytes of the derived key (the stored hash). */
	keylen: number;
}

export const DEFAULT_SCRYPT: ScryptParameters = { N: 2 ** 15, r: 8, p: 1, keylen: 64 };

/** Bytes of each user's random salt. */
export const SALT_BYTES = 16;

/** The key scrypt derives from a password (NFC, so the same word typed on two keyboards matches). */
export type Derive = (password: string, salt: Buffer, parameters: ScryptParameters) => Promise<Buffer>;

export const deriveKey: Derive = (password, salt, { N, r, p, keylen }) =>
	new Promise((resolve, reject) =>
		// scrypt needs 128·N·r bytes; Node refuses above 32 MB unless told the room it may take.
		scrypt(password.normalize('NFC'), salt, keylen, { N, r, p, maxmem: 256 * N * r * p }, (error, key) => (error ? reject(error) : resolve(key)))
	);

/** A new salt and the password's hash under it, both base64 as the users file keeps them. */
export async function hashPassword(password: string, parameters: ScryptParameters, derive: Derive = deriveKey) {
	const salt = randomBytes(SALT_BYTES);
	return { salt: salt.toString('base64'), hash: (await derive(password, salt, parameters)).toString('base64') };
}

/** Whether `password` hashes, with `salt`, to `hash`: compared in constant time. */
export async function passwordMatches(password: string, salt: Buffer, hash: Buffer, parameters: ScryptParameters, derive: Derive = deriveKey) {
	const key = await derive(password, salt, parameters);
	return key.length === hash.length && timingSafeEqual(key, hash);
}
