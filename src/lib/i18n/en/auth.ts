import type { auth as zh } from '../zh/auth';

/** Sign-in on a holdline server (`serve --users`). Typed from the Chinese: a key missing here fails the type check. */
export const auth: Record<keyof typeof zh, string> = {
	'auth.title': 'Sign in',
	'auth.intro': 'The data on this server is shown to signed-in users only.',
	'auth.name': 'User name',
	'auth.password': 'Password',
	'auth.submit': 'Sign in',
	'auth.submitting': 'Signing in…',
	'auth.failed': 'The user name or the password is wrong.',
	'auth.tooMany': 'Too many failed sign-ins: try again in {minutes} min.',
	'auth.unavailable': 'The server cannot be reached just now: try again later.',
	'auth.signedInAs': 'Signed in as {name}',
	'auth.signOut': 'Sign out',
	'auth.refused.signinRequired': 'Your session has ended: sign in again.',
	'auth.refused.forbiddenDataset': 'You may not see this dataset.'
};
