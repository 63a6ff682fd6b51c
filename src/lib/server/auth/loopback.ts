import { isIP } from 'node:net';

/**
 * Whether `serve` listening on `host` is reachable from this machine only: 127.0.0.0/8, ::1,
 * an IPv4-mapped 127.x, or `localhost`. Anything else (0.0.0.0, ::, a LAN address, a name)
 * may be reached by others, and needs sign-in (or `--no-auth` said out loud).
 */
export function isLoopback(host: string): boolean {
	const h = host
		.trim()
		.toLowerCase()
		.replace(/^\[(.*)\]$/, '$1');
	if (h === 'localhost') return true;
	if (isIP(h) === 4) return h.startsWith('127.');
	if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
	return false;
}
