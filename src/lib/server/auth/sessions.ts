import { createHash, randomBytes } from 'node:crypto';
import type { UserRecord } from './users-file';

/**
 * Signed-in sessions, in memory (a restart signs everyone out). A session is a random 32-byte
 * token in the browser's cookie; it ends `absoluteMs` after sign-in, after `idleMs` without a
 * request, or at sign-out. Kept by the token's SHA-256, so the table holds no usable cookie.
 */
export interface SessionLimits {
	absoluteMs: number;
	idleMs: number;
}

export interface Session {
	user: UserRecord;
	startedAt: number;
	lastSeen: number;
}

/** Sessions beyond this many end oldest first (sign-ins of many browsers never fill the memory). */
const MOST_SESSIONS = 10_000;

const digest = (token: string) => createHash('sha256').update(token).digest('base64url');

export class Sessions {
	private readonly open = new Map<string, Session>();

	constructor(
		readonly limits: SessionLimits,
		/** Milliseconds since the epoch; tests move it on instead of waiting. */
		private readonly clock: () => number = Date.now
	) {}

	/** A new session for `user`: its token, for the cookie. */
	start(user: UserRecord): string {
		this.forgetEnded();
		if (this.open.size >= MOST_SESSIONS) this.open.delete(this.open.keys().next().value!);
		const token = randomBytes(32).toString('base64url');
		const now = this.clock();
		this.open.set(digest(token), { user, startedAt: now, lastSeen: now });
		return token;
	}

	/** The session of a token, if it is one and has not ended; a request keeps it from idling out. */
	find(token: string | null): Session | null {
		if (!token) return null;
		const key = digest(token);
		const session = this.open.get(key);
		if (!session) return null;
		const now = this.clock();
		if (this.ended(session, now)) {
			this.open.delete(key);
			return null;
		}
		session.lastSeen = now;
		return session;
	}

	end(token: string | null) {
		if (token) this.open.delete(digest(token));
	}

	private ended(session: Session, now: number) {
		return now - session.startedAt >= this.limits.absoluteMs || now - session.lastSeen >= this.limits.idleMs;
	}

	private forgetEnded() {
		const now = this.clock();
		for (const [key, session] of this.open) if (this.ended(session, now)) this.open.delete(key);
	}
}
