import type { Engine } from '$lib/engine/types';
import { DUCKDB_TEXT } from './caller-mask';

/**
 * Which calls were called back: where a file has outbound calls (an Asterisk CDR, a leg log),
 * its assembly gives each one its called number (`__callee`) before the review leaves them out,
 * and a call from a number gets `callback_at`, the first outbound call to that number at or
 * after its arrival, in the same import. Formats without outbound calls (queue_log, FreeSWITCH,
 * Grandstream, a one-row-per-call export) leave it NULL.
 *
 * Numbers match on their digits when both have at least 7 and one ends with the other: an
 * outbound call dialled with a trunk prefix (`0`, `9`) or a country code reaches the same caller.
 */
export const CALLBACK_MIN_DIGITS = 7;

export async function markCallbacks(engine: Engine, work: string): Promise<void> {
	await engine.exec(`ALTER TABLE ${work} ADD COLUMN callback_at TIMESTAMP`);
	const [{ outbound = 0 } = {}] = await engine.query<{ outbound: number }>({
		sql: `SELECT count(*) AS outbound FROM ${work} WHERE __callee IS NOT NULL`,
		params: []
	});
	if (!Number(outbound)) return;
	const digits = DUCKDB_TEXT.digits;
	// Joined on the last 7 digits (a hash join), then the longer number must end with the shorter.
	await engine.exec(`UPDATE ${work} SET callback_at = m.at FROM (
  SELECT c.id, min(o.arrival) AS at
  FROM (SELECT rowid AS id, arrival, ${digits('caller')} AS k FROM ${work} WHERE caller IS NOT NULL AND __callee IS NULL) c
  JOIN (SELECT arrival, ${digits('__callee')} AS k FROM ${work} WHERE __callee IS NOT NULL) o
    ON right(o.k, ${CALLBACK_MIN_DIGITS}) = right(c.k, ${CALLBACK_MIN_DIGITS})
  WHERE length(c.k) >= ${CALLBACK_MIN_DIGITS} AND length(o.k) >= ${CALLBACK_MIN_DIGITS}
    AND (ends_with(o.k, c.k) OR ends_with(c.k, o.k)) AND o.arrival >= c.arrival
  GROUP BY c.id
) m WHERE ${work}.rowid = m.id`);
}
