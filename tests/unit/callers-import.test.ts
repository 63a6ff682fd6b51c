import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { engine, fixture, importFixtures } from './import-helpers';
import { lines, splitCsvLine } from '../reference/common';
import { generateText } from '$lib/synthetic/generate';
import { legFile } from '$lib/synthetic/legs';
import { generatePbxLog, PBX_VENDORS } from '$lib/synthetic/pbx-vendors';
import { callbacksQuery } from '$lib/metrics/callers';
import { EMPTY_FILTER } from '$lib/filters/filter';

// The caller's number comes through every format that writes one, as written (docs/importing.md).
const real = (name: string) => new Uint8Array(readFileSync(fileURLToPath(new URL(`../fixtures/real/${name}`, import.meta.url))));
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function callers(table: string): Promise<Map<string, string | null>> {
	const rows = await (await engine()).query<{ call_id: string; caller: string | null }>({ sql: `SELECT call_id, caller FROM ${table}`, params: [] });
	return new Map(rows.map((r) => [r.call_id, r.caller]));
}

// Imports run DuckDB-WASM in Node: slow on a shared machine, never a timing under test.
const SLOW = 300_000;

describe('the caller’s number of each format', () => {
	it(
		'queue_log: ENTERQUEUE’s data2 (url|callerid|position), on the real FreePBX log',
		async () => {
			const bytes = real('queue_log-freepbx-2010.txt');
			const result = await importFixtures([['queue_log-freepbx-2010.txt', bytes]]);
			// Row by row: each call id's first ENTERQUEUE's second data field.
			const expected = new Map<string, string>();
			for (const line of lines(text(bytes))) {
				const [, callid, , , event, , data2] = line.split('|');
				if (event === 'ENTERQUEUE' && !expected.has(callid!)) expected.set(callid!, data2!);
			}
			const got = await callers(result.table);
			expect(got.size).toBeGreaterThan(0);
			for (const [id, caller] of got) expect(caller, id).toBe(expected.get(id) ?? null);
			expect([...got.values()]).toContain('01000000001');
			expect([...got.values()]).toContain('anonymous');
		},
		SLOW
	);

	it(
		'Asterisk CDR: the first leg’s src, on the real lab Master.csv',
		async () => {
			const bytes = real('asterisk-master-lab-2015.csv');
			const result = await importFixtures([['asterisk-master-lab-2015.csv', bytes]]);
			// Legs by uniqueid (no linkedid in this file); the first by start, then by line.
			const first = new Map<string, { start: string; src: string }>();
			for (const line of lines(text(bytes))) {
				const f = splitCsvLine(line);
				const [src, start, id] = [f[1]!, f[9]!, f[16]!];
				const seen = first.get(id);
				if (!seen || start < seen.start) first.set(id, { start, src });
			}
			const got = await callers(result.table);
			expect(got.size).toBeGreaterThan(0);
			for (const [id, caller] of got) expect(caller, id).toBe(first.get(id)?.src || null);
		},
		SLOW
	);

	it(
		'Asterisk CDR: the number in clid ("Name" <number>) where src is empty',
		async () => {
			const row = `"","","8001","from-pstn","""Zhang"" <13800000009>","SIP/trunk-00000001","SIP/agent101-00000002","Queue","cards","2024-03-06 09:00:00","2024-03-06 09:00:15","2024-03-06 09:03:15",195,180,"ANSWERED","DOCUMENTATION","1709715600.1","","","1709715600.1",1\n`;
			const result = await importFixtures([['clid-Master.csv', row]]);
			expect([...(await callers(result.table)).values()]).toEqual(['13800000009']);
		},
		SLOW
	);

	it(
		'FreeSWITCH: the a-leg’s caller_id_number, on the real cdr_csv',
		async () => {
			const bytes = real('freeswitch-cdr-csv-vbee-2021.csv');
			const result = await importFixtures([['freeswitch-cdr-csv-vbee-2021.csv', bytes]]);
			const byUuid = new Map<string, string>();
			for (const line of lines(text(bytes))) {
				const f = splitCsvLine(line);
				if (!byUuid.has(f[10]!)) byUuid.set(f[10]!, f[1]!);
			}
			const got = await callers(result.table);
			expect(got.size).toBeGreaterThan(0);
			for (const [id, caller] of got) expect(caller, id).toBe(byUuid.get(id) || null);
		},
		SLOW
	);

	it(
		'Grandstream: the Caller Number of the session’s first leg',
		async () => {
			const result = await importFixtures(['grandstream-cdr.csv']);
			const got = await callers(result.table);
			expect(got.get('1709514000.1')).toBe('13800000001');
		},
		SLOW
	);

	it(
		'a mapped export: the caller column, else the from column',
		async () => {
			const csv = 'Call ID,Start,Answered,Talk,Caller\nA1,2024-03-04 09:00:00,2024-03-04 09:00:10,60,+86 138 1234 5678\nA2,2024-03-04 09:05:00,,0,\n';
			const byFrom = await importFixtures([['calls.csv', csv]], {
				format: 'mapped',
				mapping: { call_id: 'Call ID', arrival: 'Start', answer: 'Answered', talk: 'Talk', from: 'Caller' }
			});
			expect(Object.fromEntries(await callers(byFrom.table))).toEqual({ A1: '+86 138 1234 5678', A2: null });
			const byCaller = await importFixtures([['calls.csv', csv]], {
				format: 'mapped',
				mapping: { call_id: 'Call ID', arrival: 'Start', answer: 'Answered', talk: 'Talk', caller: 'Caller' }
			});
			expect(Object.fromEntries(await callers(byCaller.table))).toEqual({ A1: '+86 138 1234 5678', A2: null });
		},
		SLOW
	);

	it(
		'generated files: queue_log and Master.csv keep the caller they write; leg logs the caller’s inbound leg’s number',
		async () => {
			const options = { rows: 120, seed: 5, start: '2024-03-04', incident: null, completeShare: 1 };
			for (const format of ['queue_log', 'master.csv'] as const) {
				const result = await importFixtures([[format === 'queue_log' ? 'queue_log' : 'Master.csv', [...generateText(options, format)].join('')]]);
				const values = new Set((await callers(result.table)).values());
				expect([...values], format).toEqual(['synthetic']);
			}
			const logs = [{ id: 'generic', file: legFile(options, 'generic') }, ...PBX_VENDORS.map((id) => ({ id, file: generatePbxLog(options, id) }))];
			for (const { id, file } of logs) {
				const result = await importFixtures([[`${id}.csv`, file.text]]);
				const got = await callers(result.table);
				const written = new Set(file.text.match(/1\d{10}/g));
				expect(got.size, id).toBe(file.truth.calls.length);
				for (const [call, caller] of got) {
					expect(caller, `${id} ${call}`).toMatch(/1\d{10}/);
					expect(written.has(caller!.match(/1\d{10}/)![0]), `${id} ${call}`).toBe(true);
				}
			}
		},
		SLOW
	);
});

describe('called back: an outbound call to the caller’s number', () => {
	it(
		'a CDR’s outbound call marks the abandoned caller it reached (dialled with a trunk prefix), before the review leaves it out',
		async () => {
			const outbound = `"","201","013800000002","from-internal","""Agent 201"" <201>","SIP/201-00000010","SIP/trunk-00000011","Dial","SIP/trunk/013800000002,60","2024-03-06 09:58:00","2024-03-06 09:58:05","2024-03-06 09:59:05",65,60,"ANSWERED","DOCUMENTATION","1709719080.16","","","1709719080.16",16\n`;
			const result = await importFixtures([['queue-mixed-Master.csv', text(fixture('queue-mixed-Master.csv')) + outbound]]);
			const db = await engine();
			const rows = await db.query<{ call_id: string; caller: string; callback_at: string | null }>({
				sql: `SELECT call_id, caller, strftime(callback_at, '%Y-%m-%d %H:%M:%S') AS callback_at FROM ${result.table} ORDER BY call_id`,
				params: []
			});
			expect(rows.find((r) => r.call_id === '1709716200.3')).toEqual({ call_id: '1709716200.3', caller: '13800000002', callback_at: '2024-03-06 09:58:00' });
			expect(rows.filter((r) => r.callback_at !== null)).toHaveLength(1);
			// The outbound calls stay out of the calls, as before.
			expect(rows.some((r) => r.call_id === '1709719080.16')).toBe(false);
			const [listed] = await db.query(callbacksQuery(result.table, EMPTY_FILTER));
			expect(listed).toMatchObject({ caller: '138****0002', arrival: '2024-03-06 09:10:00', called_back: '2024-03-06 09:58:00', resolved: 1 });
		},
		SLOW
	);

	it(
		'a format without outbound calls leaves callback_at empty',
		async () => {
			const result = await importFixtures([['queue_log-freepbx-2010.txt', real('queue_log-freepbx-2010.txt')]]);
			const [{ n }] = (await (await engine()).query<{ n: number }>({ sql: `SELECT count(callback_at) AS n FROM ${result.table}`, params: [] })) as [
				{ n: number }
			];
			expect(Number(n)).toBe(0);
		},
		SLOW
	);
});
