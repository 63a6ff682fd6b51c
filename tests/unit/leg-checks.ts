import { expect } from 'vitest';
import { engine } from './import-helpers';
import type { ImportResult } from '$lib/imports/pipeline';
import type { LegCallTruth, LegTruth } from '$lib/synthetic/legs';

/** The imported calls in the generator's truth's terms (arrival as local wall-clock text), in file order. */
export async function importedLegCalls(result: ImportResult): Promise<LegCallTruth[]> {
	const db = await engine();
	const rows = await db.query<Record<string, unknown>>({
		sql: `SELECT call_id, strftime(arrival, '%Y-%m-%d %H:%M:%S') AS arrival, outcome, agent, queue, wait_s, talk_s FROM ${result.table} ORDER BY source_line`,
		params: []
	});
	return rows.map((r) => ({
		call_id: String(r.call_id),
		arrival: String(r.arrival),
		outcome: String(r.outcome) as LegCallTruth['outcome'],
		agent: (r.agent as string | null) ?? null,
		queue: r.queue as string,
		wait_s: Number(r.wait_s),
		talk_s: r.talk_s == null ? null : Number(r.talk_s)
	}));
}

export const qualityCount = (result: ImportResult, code: string) => result.quality.entries.find((e) => e.code === code)?.count ?? 0;

/** What the quality report counts of a leg log equals the generator's truth; no row is left out as unreadable. */
export function expectLegCounts(result: ImportResult, truth: LegTruth) {
	expect(result.skipped.count).toBe(0);
	const counts = (codes: string[]) => codes.map((code) => qualityCount(result, code));
	expect(counts(['legs', 'legs_attempts', 'legs_transfers', 'legs_voicemail', 'legs_outbound', 'legs_internal', 'title_rows', 'footer_rows'])).toEqual([
		truth.merged,
		truth.attempts,
		truth.transfers,
		truth.voicemail,
		truth.outbound,
		truth.internal,
		truth.titleRows,
		truth.footerRows
	]);
}
