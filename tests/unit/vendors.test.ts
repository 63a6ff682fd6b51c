import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { engine, importFixtures } from './import-helpers';
import type { ImportResult } from '$lib/imports/pipeline';
import { generatePbxLog, type PbxCallTruth, type PbxFileOptions, type PbxVendorId } from '$lib/synthetic/pbx-vendors';

/**
 * PBX vendors' call logs recognised without a mapping: each vendor's layout as
 * docs/pbx-exports.md documents it (with its source and version), generated one row per leg
 * with outbound and internal calls, attempts, transfers and voicemail where the vendor logs
 * them, imports with default settings to the generator's per-call truth, and the quality
 * report counts the legs merged, the attempts, transfers, voicemail, outbound and internal calls.
 */

async function importedCalls(result: ImportResult): Promise<PbxCallTruth[]> {
	const db = await engine();
	const rows = await db.query<Record<string, unknown>>({
		sql: `SELECT call_id, strftime(arrival, '%Y-%m-%d %H:%M:%S') AS arrival, outcome, agent, queue, wait_s, talk_s FROM ${result.table} ORDER BY source_line`,
		params: []
	});
	return rows.map((r) => ({
		call_id: String(r.call_id),
		arrival: String(r.arrival),
		outcome: String(r.outcome) as PbxCallTruth['outcome'],
		agent: (r.agent as string | null) ?? null,
		queue: (r.queue as string | null) ?? null,
		wait_s: r.wait_s == null ? null : Number(r.wait_s),
		talk_s: r.talk_s == null ? null : Number(r.talk_s)
	}));
}

const count = (result: ImportResult, code: string) => result.quality.entries.find((e) => e.code === code)?.count ?? 0;

async function check(vendor: PbxVendorId, seed: number, rows: number, file: PbxFileOptions = {}) {
	const options = { rows, seed, start: '2021-03-01', incident: null, completeShare: 0.6 };
	const { text, truth } = generatePbxLog(options, vendor, file);
	const result = await importFixtures([[`calls-${vendor}.csv`, text]]);
	expect(await importedCalls(result)).toEqual(truth.calls);
	expect(count(result, 'legs')).toBe(truth.merged);
	expect(count(result, 'legs_attempts')).toBe(truth.attempts);
	expect(count(result, 'legs_transfers')).toBe(truth.transfers);
	expect(count(result, 'legs_voicemail')).toBe(truth.voicemail);
	expect(count(result, 'legs_outbound')).toBe(truth.outbound);
	expect(count(result, 'legs_internal')).toBe(truth.internal);
	// The totals row (3CX) and the line of field types under the header (CUCM) are no calls:
	// reported as a footer and a title row, never as rows left out.
	expect(result.skipped.count).toBe(0);
	expect(count(result, 'footer_rows')).toBe(truth.footerRows);
	expect(count(result, 'title_rows')).toBe(truth.titleRows);
	expect(truth.footerRows + truth.titleRows).toBe(vendor === '3cx' || vendor === 'cucm' ? 1 : 0);
	return { result, truth };
}

const property = (vendor: PbxVendorId, file: PbxFileOptions = {}) =>
	fc.assert(
		fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 20, max: 300 }), async (seed, rows) => {
			await check(vendor, seed, rows, file);
		}),
		{ numRuns: 4 }
	);

describe('PBX vendors import to the generator truth with default settings (docs/pbx-exports.md)', () => {
	// docs/pbx-exports.md "3CX": v20 Call Log report, columns as public parsers of the 2025 report read them.
	it('3CX v20 call log report', () => property('3cx'), 120_000);
	// docs/pbx-exports.md "Yeastar": P-Series CDR (firmware 37/83/84.21.0.117 guides), English and Chinese words.
	it('Yeastar P-Series CDR', () => property('yeastar'), 120_000);
	it('Yeastar P-Series CDR in the Chinese UI words (已接, 未接, 语音留言, 呼入 …)', () => property('yeastar', { lang: 'zh' }), 120_000);
	// docs/pbx-exports.md "Avaya IP Office": SMDR fields and examples, IP Office knowledge base.
	it('Avaya IP Office SMDR', () => property('smdr'), 120_000);
	// docs/pbx-exports.md "Cisco Unified CM": CDR Definition 4.2(3) / CDR Administration Guide 8.x, UTC epoch seconds.
	it('Cisco UCM CDR flat file', () => property('cucm'), 120_000);
});
