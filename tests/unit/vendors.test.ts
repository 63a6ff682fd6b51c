import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { engine, importFixtures } from './import-helpers';
import { expectLegCounts, importedLegCalls } from './leg-checks';
import type { LegFileOptions } from '$lib/synthetic/legs';
import { generateFile, type CallTruth } from '$lib/synthetic/generate';
import { detectFormat } from '$lib/imports/formats';
import { generatePbxLog, type PbxVendorId } from '$lib/synthetic/pbx-vendors';
import { YEASTAR_S_COLUMNS } from '$lib/imports/calls/vendors/yeastar-s';

/**
 * PBX vendors' call logs recognised without a mapping: each vendor's layout as
 * docs/pbx-exports.md documents it (with its source and version), generated one row per leg
 * with outbound and internal calls, attempts, transfers and voicemail where the vendor logs
 * them, imports with default settings to the generator's per-call truth, and the quality
 * report counts the legs merged, the attempts, transfers, voicemail, outbound and internal
 * calls, the title rows (CUCM's line of field types under the header) and the totals row (3CX),
 * none of them left out as a row with an unreadable time.
 */

async function check(vendor: PbxVendorId, seed: number, rows: number, file: LegFileOptions = {}) {
	const options = { rows, seed, start: '2021-03-01', incident: null, completeShare: 0.6 };
	const { text, truth } = generatePbxLog(options, vendor, file);
	const result = await importFixtures([[`calls-${vendor}.csv`, text]]);
	expect(await importedLegCalls(result)).toEqual(truth.calls);
	expectLegCounts(result, truth);
	expect([truth.titleRows, truth.footerRows]).toEqual([vendor === 'cucm' ? 1 : 0, vendor === '3cx' ? 1 : 0]);
	return { result, truth };
}

const property = (vendor: PbxVendorId, file: LegFileOptions = {}) =>
	fc.assert(
		fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 20, max: 300 }), async (seed, rows) => {
			await check(vendor, seed, rows, file);
		}),
		{ numRuns: 4 }
	);

describe('PBX vendors import to the generator truth with default settings (docs/pbx-exports.md)', () => {
	it('every complication a vendor logs is in one seed', () => {
		const options = { rows: 300, seed: 7, start: '2021-03-01', incident: null, completeShare: 0.6 };
		const counts = (vendor: PbxVendorId) => {
			const { truth } = generatePbxLog(options, vendor);
			return [truth.attempts, truth.transfers, truth.voicemail, truth.outbound, truth.internal].map((n) => n > 0);
		};
		expect(counts('3cx')).toEqual([true, true, false, true, true]);
		expect(counts('yeastar')).toEqual([true, true, true, true, true]);
		// Yeastar S-Series: one record per call, so no attempts or transfers of their own.
		expect(counts('yeastar-s')).toEqual([false, false, true, true, true]);
		// SMDR: the extension a lost call rang at last is its attempt.
		expect(counts('smdr')).toEqual([true, true, true, true, true]);
		expect(counts('cucm')).toEqual([false, false, false, true, true]);
		// Huawei CEC: voicemail is an IVR flow's record (device_type 3), read as a machine leg.
		expect(counts('huawei-cec')).toEqual([true, true, true, true, true]);
	});
	// docs/pbx-exports.md "3CX": v20 Call Log report, columns as public parsers of the 2025 report read them.
	// The v18 Call Log export is not claimed: no public source of its columns was found (docs/pbx-exports.md "3CX", v18).
	it('3CX v20 call log report', () => property('3cx'), 120_000);
	// docs/pbx-exports.md "Yeastar": P-Series CDR (firmware 37/83/84.21.0.117 guides), English and Chinese words.
	it('Yeastar P-Series CDR', () => property('yeastar'), 120_000);
	it('Yeastar P-Series CDR in the Chinese UI words (已接, 未接, 语音留言, 呼入 …)', () => property('yeastar', { lang: 'zh' }), 120_000);
	// docs/pbx-exports.md "Yeastar S-Series": the CDR file the S-Series API downloads (S-Series/S1000 API
	// "下载通话记录", help.yeastar.com/zh-cn/s1000-developer/api/download-cdr.html, API v1.1.0: "通话记录文件的格式为
	// CSV"), its columns the API's CDR fields (NewCdr, help.yeastar.com/en/cloudpbx-developer/api/api_cdr.html) in the
	// order of a downloaded file's header line quoted in public code (a Laravel migration reading it; not the export's
	// own page). Status words of the S-Series API (ANSWERED, NOANSWER, FAILED, VOICEMAIL, and BUSY).
	it('Yeastar S-Series CDR file (API download)', () => property('yeastar-s'), 120_000);
	it('Yeastar S-Series: the record quoted in public code, and a file without didnumber (queue = source trunk)', async () => {
		const sample =
			[YEASTAR_S_COLUMNS.join(','), '1589299528.4,2020-05-12 17:05:28,966024422,110,42,34,MEO,,ANSWERED,Inbound,,,,369392534749'].join('\n') + '\n';
		expect(detectFormat(sample)).toMatchObject({ format: 'legs' });
		const one = await importFixtures([['cdr.csv', sample]]);
		// Answered by extension 110 after 42 − 34 = 8 s; talked 34 s; came in on trunk MEO (no didnumber).
		expect(await importedLegCalls(one)).toEqual([
			{ call_id: '1589299528.4', arrival: '2020-05-12 17:05:28', outcome: 'answered', agent: '110', queue: 'MEO', wait_s: 8, talk_s: 34 }
		]);
		const options = { rows: 60, seed: 5, start: '2021-03-01', incident: null, completeShare: 0.6 };
		const { text, truth } = generatePbxLog(options, 'yeastar-s');
		const did = YEASTAR_S_COLUMNS.indexOf('didnumber');
		const withoutDid = text.replace(/^(.*)$/gm, (line, _, offset) => {
			if (offset === 0 || line === '') return line;
			const cells = line.split(',');
			cells[did] = '';
			return cells.join(',');
		});
		const result = await importFixtures([['cdr.csv', withoutDid]]);
		expect(await importedLegCalls(result)).toEqual(truth.calls.map((c) => ({ ...c, queue: 'SIP-Trunk1' })));
	}, 60_000);
	it('npm run generate -- --format yeastar --series s writes the same file and truth as the library', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'holdline-yeastar-s-'));
		const generate = (...args: string[]) =>
			promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/generate.ts', '--rows', '80', '--seed', '9', '--start', '2021-03-01', ...args]);
		const refused = (...args: string[]) =>
			generate(...args, '--out', join(dir, 'x')).then(
				() => '',
				(e: { stderr: string }) => e.stderr
			);
		try {
			await generate('--format', 'yeastar', '--series', 's', '--out', join(dir, 'cdr.csv'), '--truth', join(dir, 'cdr.json'));
			const expected = generatePbxLog({ rows: 80, seed: 9, start: '2021-03-01', incident: null, completeShare: 0.6 }, 'yeastar-s');
			expect(readFileSync(join(dir, 'cdr.csv'), 'utf8')).toBe(expected.text);
			expect(JSON.parse(readFileSync(join(dir, 'cdr.json'), 'utf8'))).toMatchObject({ format: 'yeastar', layout: 'yeastar-s', calls: expected.truth.calls });
			expect(await refused('--format', 'yeastar', '--series', 's', '--lang', 'zh')).toContain('--lang en|zh applies to --format yeastar (P-Series)');
			expect(await refused('--format', '3cx', '--series', 's')).toContain('--series p|s applies to --format yeastar');
			expect(await refused('--format', 'yeastar-s')).toContain('--format yeastar --series s');
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}, 60_000);
	// docs/pbx-exports.md "Avaya IP Office": SMDR fields and examples, IP Office knowledge base.
	it('Avaya IP Office SMDR', () => property('smdr'), 120_000);
	// docs/pbx-exports.md "Cisco Unified CM": CDR Definition 4.2(3) / CDR Administration Guide 8.x, UTC epoch seconds.
	it('Cisco UCM CDR flat file', () => property('cucm'), 120_000);
	// docs/pbx-exports.md "Huawei Cloud CEC": 话单录音索引文件定义 (support.huaweicloud.com/api-ccfs-cec/cec_07_0831.html,
	// updated 2025-11-13), the call-record file's first 21 columns by position, no header; call_type codes of
	// 呼叫类型说明(话单索引) (cec_07_0840), device_type 1 skill queue, 2 agent, 3 IVR.
	it('Huawei Cloud CEC call-record index file (headerless)', () => property('huawei-cec'), 120_000);
	it('Huawei Cloud CEC call-record index file with its column names as a header', () => property('huawei-cec', { header: true }), 120_000);
	it('Huawei Cloud CEC: fields written after the 21 documented columns are staged and not read', async () => {
		const options = { rows: 40, seed: 11, start: '2021-03-01', incident: null, completeShare: 0.6 };
		const { text, truth } = generatePbxLog(options, 'huawei-cec');
		expect(detectFormat(text.slice(0, 4096))).toMatchObject({ format: 'legs', layout: { header: false } });
		const wider = text.replace(/\n/g, ',5,,x\n');
		expect(detectFormat(wider.slice(0, 4096)).layout.columns.slice(-3)).toEqual(['column22', 'column23', 'column24']);
		const result = await importFixtures([['20210301000000000123_call_1.csv', wider]]);
		expect(await importedLegCalls(result)).toEqual(truth.calls);
		expectLegCounts(result, truth);
	}, 60_000);

	// docs/pbx-exports.md "FreePBX": the cdr module's CSV download (FreePBX/cdr functions.inc.php
	// cdr_export_csv, page.cdr.php): the Asterisk cdr table's columns, linkedid left empty,
	// newest first; read as an Asterisk CDR by its header, ring groups, queue attempts and
	// IVR-only calls as the Master.csv rules read them.
	it('FreePBX CDR Reports page CSV download', async () => {
		const key = (c: CallTruth) => [c.call_id, c.queue, c.agent, c.outcome, c.wait_s, c.talk_s].join('|');
		await fc.assert(
			fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 20, max: 300 }), async (seed, rows) => {
				const options = { rows, seed, start: '2021-03-01', incident: null, completeShare: 0.6, dirt: { ringGroups: 0.2, queueAttempts: 0.2, ivrCalls: 0.1 } };
				const file = generateFile(options, 'freepbx-report');
				expect(detectFormat(file.text.slice(0, 4096)).format).toBe('asterisk-cdr');
				const result = await importFixtures([['cdr__1614556800pbx.example.csv', file.text]]);
				expect(result.skipped.count).toBe(0);
				const got = await (
					await engine()
				).query<CallTruth & Record<string, unknown>>({ sql: `SELECT call_id, queue, agent, outcome, wait_s, talk_s FROM ${result.table}`, params: [] });
				const imported = got.map((c) => key({ ...c, wait_s: Number(c.wait_s), talk_s: c.talk_s === null ? null : Number(c.talk_s) })).sort();
				expect(imported).toEqual(file.calls.map(key).sort());
				expect(Object.fromEntries(result.quality.entries.map((e) => [`${e.kind}:${e.code}`, e.count]))).toEqual(file.dirt);
			}),
			{ numRuns: 4 }
		);
	}, 120_000);
});
