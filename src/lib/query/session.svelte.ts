import { forgetServer, serverSignsIn, session, signInNeeded, type SessionUser } from './remote.svelte';

/**
 * Sign-in on the server that served the page (`serve --users`, `/api/session`). The cookie is
 * the server's (HttpOnly: no script here reads it); this module only asks and keeps who it is.
 */

/** Asks who is signed in, when the server that served the page signs users in. */
export async function checkSession(): Promise<void> {
	if (!serverSignsIn()) return;
	const response = await fetch('/api/session', { headers: { Accept: 'application/json' } }).catch(() => null);
	if (response?.status === 401) signInNeeded();
	else if (response?.ok) {
		const body = (await response.json().catch(() => null)) as { user?: SessionUser } | null;
		if (!body?.user) return;
		session.offered = true;
		session.needed = false;
		session.user = body.user;
	}
}

/** Why a sign-in failed, for the form to word: a wrong name or password, too many tries (and for how long), or no answer. */
export type SignInFailure = { code: 'failed' } | { code: 'tooMany'; minutes: number } | { code: 'unavailable' };

export async function signIn(name: string, password: string): Promise<SignInFailure | null> {
	const response = await fetch('/api/session', {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
		body: JSON.stringify({ name, password })
	}).catch(() => null);
	if (!response) return { code: 'unavailable' };
	if (response.status === 429) return { code: 'tooMany', minutes: Math.max(1, Math.ceil(Number(response.headers.get('retry-after') ?? 60) / 60)) };
	if (response.status === 401 || response.status === 400) return { code: 'failed' };
	const body = (await response.json().catch(() => null)) as { user?: SessionUser } | null;
	if (!response.ok || !body?.user) return { code: 'unavailable' };
	forgetServer();
	session.offered = true;
	session.user = body.user;
	session.needed = false;
	return null;
}

export async function signOut(): Promise<void> {
	await fetch('/api/session', { method: 'DELETE' }).catch(() => null);
	forgetServer();
	signInNeeded();
}
