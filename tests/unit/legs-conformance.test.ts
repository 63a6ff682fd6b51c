import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { importFixtures } from './import-helpers';
import { expectLegCounts, importedLegCalls } from './leg-checks';
import { clock } from '$lib/synthetic/generate';
import { callLegs, legFile, LEG_LAYOUTS, type LegRow } from '$lib/synthetic/legs';
import { refLegs, type RefLeg } from '../reference/legs';

/**
 * A leg log of a vendor holdline does not know (the generator's generic layout: a title and an
 * export date above the header, one row per leg, outbound and internal calls mixed in, ring-no-
 * answer attempts, transfers, voicemail, a totals row), imported with the mapping a user makes
 * in the mapping step, gives the generator's per-call truth and the independent reference's
 * calls; the quality report counts the legs merged, attempts, transfers, outbound and internal
 * calls, voicemail, the title lines and the footer.
 */

/** The generator's legs as the reference reads them (the file carries no time in queue). */
const refLeg = (l: LegRow): RefLeg => ({
	callId: l.call_id,
	direction: l.direction,
	status: l.status,
	start: l.start,
	answer: l.answer,
	end: l.end,
	talk: l.talk_s,
	wait: null,
	agent: l.agent,
	queue: l.queue
});

async function check(seed: number, rows: number) {
	const options = { rows, seed, start: '2024-03-04', incident: null, completeShare: 0.5, callsPerDay: 400 };
	const { text, truth } = legFile(options, 'generic');
	const result = await importFixtures([['legs.csv', new TextEncoder().encode(text)]], { mapping: LEG_LAYOUTS.generic!.mapping, utcOffsetSeconds: 0 });
	const byId = (a: { call_id: string }, b: { call_id: string }) => (a.call_id < b.call_id ? -1 : a.call_id > b.call_id ? 1 : 0);
	const got = (await importedLegCalls(result)).sort(byId);
	expect(got).toEqual([...truth.calls].sort(byId));
	const reference = refLegs([...callLegs(options)].flatMap((c) => c.legs).map(refLeg));
	expect(got).toEqual(reference.calls.map((c) => ({ ...c, arrival: clock(c.arrival) })).sort(byId));
	expectLegCounts(result, truth);
	expect([reference.merged, reference.attempts, reference.transfers, reference.outbound, reference.internal, reference.voicemail]).toEqual([
		truth.merged,
		truth.attempts,
		truth.transfers,
		truth.outbound,
		truth.internal,
		truth.voicemail
	]);
}

describe('generic leg log conformance', () => {
	it('one seed, every complication present', async () => {
		const { truth } = legFile({ rows: 300, seed: 7, start: '2024-03-04', incident: null, completeShare: 0.5, callsPerDay: 400 }, 'generic');
		for (const n of [truth.attempts, truth.transfers, truth.outbound, truth.internal, truth.voicemail]) expect(n).toBeGreaterThan(0);
		await check(7, 300);
	}, 60_000);

	it('imports to the truth and the reference for any seed and size', async () => {
		await fc.assert(
			fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 120 }), async (seed, rows) => {
				await check(seed, rows);
			}),
			{ numRuns: 8 }
		);
	}, 240_000);
});
