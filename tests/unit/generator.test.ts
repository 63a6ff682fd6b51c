import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CSV_HEADER, csvLine, generateCalls, generateFile, generateText, masterCsvLine, queueLogLines, type GeneratorOptions } from '$lib/synthetic/generate';
import { engine, importFixtures } from './import-helpers';
import { incidentQuery } from '$lib/metrics/incident';
import { summaryQuery, DEFAULT_SETTINGS } from '$lib/metrics/service';
import { EMPTY_FILTER } from '$lib/filters/filter';

const base: GeneratorOptions = { rows: 30_000, seed: 42, start: '2008-05-11', incident: '2008-05-12 14:28:00', completeShare: 0.6 };
const csv = (o: GeneratorOptions) => [CSV_HEADER, ...[...generateCalls(o)].map(csvLine)].join('\n') + '\n';

describe('synthetic call generator', () => {
	it('is deterministic: the same seed gives the same bytes, another seed other calls', () => {
		const small = { ...base, rows: 2000 };
		expect(csv(small)).toBe(csv(small));
		expect(csv({ ...small, seed: 43 })).not.toBe(csv(small));
		expect(csv(small).split('\n').filter(Boolean)).toHaveLength(2001);
	});

	it('labels every record synthetic and keeps times consistent', () => {
		for (const call of generateCalls({ ...base, rows: 5000 })) {
			expect(call.call_id.startsWith('SYN')).toBe(true);
			expect(call.end).toBeGreaterThanOrEqual(call.answer ?? call.arrival);
			if (call.answer !== null) expect(call.answer - call.arrival).toBe(call.wait_s);
		}
		expect(queueLogLines([...generateCalls({ ...base, rows: 1 })][0]!)[0]).toContain('ENTERQUEUE');
	});

	it('calibrated to the article at the 14:28 onset: most calls in service complete, most of them run over 2 minutes', async () => {
		const result = await importFixtures([['synthetic.csv', csv(base)]]);
		expect(result.rows).toBe(30_000);
		const [i] = await (await engine()).query({ ...incidentQuery(result.table, { onset: base.incident!, end: null, longS: 120 }, EMPTY_FILTER) });
		expect(Number(i!.in_service)).toBeGreaterThan(20);
		expect(Number(i!.completed_share)).toBeGreaterThan(0.5);
		expect(Number(i!.long_share)).toBeGreaterThan(0.5);
		expect(Number(i!.interrupted)).toBeGreaterThan(0);
		// Interrupted calls were answered: they count as answered in the service level.
		const [s] = await (await engine()).query({ ...summaryQuery(result.table, DEFAULT_SETTINGS, EMPTY_FILTER) });
		expect(Number(s!.answered) + Number(s!.abandoned)).toBe(30_000);
	}, 60_000);

	it('without dirt, writes exactly the bytes it always wrote, in every text format', () => {
		const small = { ...base, rows: 3000 };
		const calls = [...generateCalls(small)];
		expect([...generateText(small, 'csv')].join('')).toBe(csv(small));
		expect([...generateText(small, 'master.csv')].join('')).toBe(calls.map(masterCsvLine).join('\n') + '\n');
		expect([...generateText(small, 'queue_log')].join('')).toBe(calls.flatMap(queueLogLines).join('\n') + '\n');
	});

	it('its clean Master.csv imports as one call per row, agents named without the channel suffix', async () => {
		const small = { ...base, rows: 500, incident: null };
		const calls = [...generateCalls(small)];
		const result = await importFixtures([['Master.csv', [...generateText(small, 'master.csv')].join('')]]);
		expect(result.rows).toBe(calls.length);
		const agents = await (await engine()).query<{ agent: string }>({ sql: `SELECT DISTINCT agent FROM ${result.table} WHERE agent IS NOT NULL`, params: [] });
		const expected = new Set(calls.filter((c) => c.answer !== null).map((c) => `SIP/${c.agent}`));
		expect(new Set(agents.map((a) => a.agent))).toEqual(expected);
	}, 60_000);
});

describe('synthetic files with dirt', () => {
	const small: GeneratorOptions = { ...base, rows: 500 };
	const master = { ringGroups: 0.2, queueAttempts: 0.2, transfers: 0.1, ivrCalls: 0.1 };

	it('are deterministic from the seed, and the dirt leaves the calls as they were', () => {
		const a = generateFile({ ...small, dirt: master }, 'master.csv');
		expect(generateFile({ ...small, dirt: master }, 'master.csv')).toEqual(a);
		expect(generateFile({ ...small, seed: 43, dirt: master }, 'master.csv').text).not.toBe(a.text);
		// The same calls as without dirt (plus the IVR-only ones), and the CSV's the same calls too.
		const clean = generateFile(small, 'csv');
		expect(a.calls.filter((c) => !c.call_id.startsWith('SYN-IVR')).map((c) => c.call_id)).toEqual(clean.calls.map((c) => c.call_id));
		const dirty = generateFile({ ...small, dirt: { clockSkew: 0.2, duplicates: 0.2 } }, 'csv');
		expect(dirty.calls.map((c) => [c.call_id, c.outcome, c.talk_s])).toEqual(clean.calls.map((c) => [c.call_id, c.outcome, c.talk_s]));
		expect(dirty.records).toBe(500 + dirty.dirt['merged:duplicate_rows']!);
		expect(clean.dirt).toEqual({});
	});

	it('refuses dirt a format does not have, and a re-save with clock skew', () => {
		expect(() => generateFile({ ...small, dirt: { clockSkew: 0.1 } }, 'master.csv')).toThrow(/does not apply/);
		expect(() => generateFile({ ...small, dirt: { ringGroups: 0.1 } }, 'csv')).toThrow(/does not apply/);
		expect(() => generateFile({ ...small, dirt: { resave: true, clockSkew: 0.1 } }, 'csv')).toThrow(/cannot be combined/);
		expect(() => generateFile({ ...small, dirt: { duplicates: 2 } }, 'csv')).toThrow(/share/);
		expect(() => generateFile(small, 'master.csv')).toThrow(/21-column/);
	});

	it('npm run generate -- --dirt … --truth FILE writes the same file and truth as the library', async () => {
		const run = promisify(execFile);
		const dir = mkdtempSync(join(tmpdir(), 'holdline-dirt-'));
		const generate = (...args: string[]) =>
			run(process.execPath, ['--import', 'tsx', 'src/cli/generate.ts', '--rows', '500', '--seed', '42', '--start', '2008-05-11', ...args]);
		try {
			await generate('--format', 'master.csv', '--dirt', 'all,ivr=0.1', '--truth', join(dir, 'm.json'), '--out', join(dir, 'Master.csv'));
			const expected = generateFile(
				{ ...small, incident: null, dirt: { ringGroups: 0.15, queueAttempts: 0.15, transfers: 0.05, ivrCalls: 0.1 } },
				'master.csv'
			);
			expect(readFileSync(join(dir, 'Master.csv'), 'utf8')).toBe(expected.text);
			expect(JSON.parse(readFileSync(join(dir, 'm.json'), 'utf8'))).toMatchObject({
				synthetic: true,
				calls: expected.calls,
				dirt: expected.dirt,
				records: expected.records
			});
			await generate('--format', 'csv', '--dirt', 'all,resave', '--out', join(dir, 'calls.csv'));
			expect(readFileSync(join(dir, 'calls.csv'), 'utf8')).toBe(
				generateFile({ ...small, incident: null, dirt: { duplicates: 0.02, resave: true } }, 'csv').text
			);
			const refused = (...args: string[]) =>
				generate(...args, '--out', join(dir, 'x')).then(
					() => '',
					(e: { stderr: string }) => e.stderr
				);
			expect(await refused('--format', 'queue_log', '--dirt', 'all')).toContain('--dirt applies to --format csv, parquet and master.csv');
			expect(await refused('--format', 'master.csv', '--dirt', 'skew')).toContain('--dirt skew applies to --format csv or parquet');
			expect(await refused('--format', 'csv', '--dirt', 'skew,resave')).toContain('cannot be combined');
			expect(await refused('--format', 'csv', '--dirt', 'mud')).toContain('unknown --dirt mud');
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}, 60_000);
});
