/** The session cookie: its name, reading it from a request, and the Set-Cookie that sets or clears it. */
export const SESSION_COOKIE = 'holdline-session';

/** The value of cookie `name` in a Cookie header, or null. */
export function readCookie(header: string | undefined, name: string): string | null {
	for (const part of (header ?? '').split(';')) {
		const at = part.indexOf('=');
		if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim() || null;
	}
	return null;
}

/**
 * Unreadable by the page's scripts (HttpOnly), never sent by another site's page (SameSite=Strict),
 * for the whole app (Path=/), over HTTPS only when served over it (Secure), forgotten by the
 * browser when the session ends anyway (Max-Age).
 */
export function sessionCookie(token: string, { secure, maxAgeS }: { secure: boolean; maxAgeS: number }): string {
	return [`${SESSION_COOKIE}=${token}`, 'HttpOnly', 'SameSite=Strict', 'Path=/', `Max-Age=${Math.floor(maxAgeS)}`, ...(secure ? ['Secure'] : [])].join('; ');
}

export const clearedCookie = ({ secure }: { secure: boolean }) => sessionCookie('', { secure, maxAgeS: 0 });
