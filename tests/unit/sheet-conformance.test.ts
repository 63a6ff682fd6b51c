import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { engine, importFixtures } from './import-helpers';
import { generateSheet } from '$lib/synthetic/sheet';
import { SHEET_LAYOUTS, type SheetLayoutId } from '$lib/synthetic/sheet-layouts';
import type { ImportResult } from '$lib/imports/pipeline';
import type { SheetCallTruth } from '$lib/synthetic/sheet-layouts';

/**
 * Conformance: every spreadsheet layout the generator writes (the per-call exports managers
 * bring: split date and time, durations only, Y/N flags, 12-hour clocks, placeholder dates,
 * business outcomes, Chinese), as CSV and as a workbook, imports with default settings to the
 * generator's per-call truth, and the quality report states the mapping used.
 */

interface Imported {
	call_id: string;
	queue: string | null;
	agent: string | null;
	arrival: string;
	wait_s: number | null;
	talk_s: number | null;
	outcome: string;
}

async function importedCalls(result: ImportResult): Promise<Imported[]> {
	const db = await engine();
	const rows = await db.query<Record<string, unknown>>({
		sql: `SELECT call_id, queue, agent, strftime(arrival, '%Y-%m-%d %H:%M:%S') AS arrival, wait_s, talk_s, outcome FROM ${result.table} ORDER BY source_line`,
		params: []
	});
	return rows.map((r) => ({
		call_id: String(r.call_id),
		queue: (r.queue as string | null) ?? null,
		agent: (r.agent as string | null) ?? null,
		arrival: String(r.arrival),
		wait_s: r.wait_s == null ? null : Number(r.wait_s),
		talk_s: r.talk_s == null ? null : Number(r.talk_s),
		outcome: String(r.outcome)
	}));
}

const expected = (c: SheetCallTruth): Imported => ({
	call_id: c.call_id,
	queue: c.queue,
	agent: c.agent,
	arrival: c.arrival,
	wait_s: c.wait_s,
	talk_s: c.talk_s,
	outcome: c.outcome
});

async function check(layout: SheetLayoutId, output: 'csv' | 'xlsx', seed: number, rows: number, titles: boolean): Promise<ImportResult> {
	const options = { rows, seed, start: '2021-01-01', incident: null, completeShare: 0.6 };
	const name = `calls-${layout}.${output}`;
	const made =
		output === 'csv' ? generateSheet(options, layout, 'csv', { fileName: name }) : await generateSheet(options, layout, 'xlsx', { fileName: name, titles });
	const bytes = 'text' in made ? new TextEncoder().encode(made.text) : made.bytes;
	const result = await importFixtures([[name, bytes]]);
	expect(result.skipped.count).toBe(0);
	expect(await importedCalls(result)).toEqual(made.truth.calls.map(expected));
	expect(result.quality.mapping?.fields.arrival ?? result.quality.mapping?.fields.date).toBeTruthy();
	// Nothing read silently wrong: no dataset-wide warning on a clean file.
	expect(result.quality.flags).toEqual([]);
	return result;
}

describe('spreadsheet layouts import to the generator truth with default settings', () => {
	for (const layout of SHEET_LAYOUTS) {
		it(`${layout}: CSV and workbook, random seeds and sizes`, async () => {
			await fc.assert(
				fc.asyncProperty(
					fc.integer({ min: 0, max: 2 ** 32 - 1 }),
					fc.integer({ min: 30, max: 400 }),
					fc.constantFrom<'csv' | 'xlsx'>('csv', 'xlsx'),
					fc.boolean(),
					async (seed, rows, output, titles) => {
						await check(layout, output, seed, rows, titles);
					}
				),
				{ numRuns: 4 }
			);
		}, 120_000);
	}

	it('a day that crosses midnight (split date and time): ends on the next day', async () => {
		// 5,000 calls span the generator's first day into the night, where calls end after midnight.
		const result = await check('split-datetime', 'csv', 7, 5000, false);
		expect(result.quality.entries.find((e) => e.code === 'next_day')?.count).toBeGreaterThan(0);
	}, 120_000);
});
