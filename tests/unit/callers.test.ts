import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { engine } from './import-helpers';
import { CANONICAL_TABLE_DDL } from '$lib/imports/canonical';
import { DUCKDB_TEXT, maskCaller, maskCallerSql } from '$lib/imports/caller-mask';
import { callbacksQuery, repeatCallersQuery } from '$lib/metrics/callers';
import { EMPTY_FILTER, type Filter } from '$lib/filters/filter';
import { refCallbacks, refMask, refRepeatCallers, type RefCallerCall } from '../reference/callers';
import { expectSameRows } from './same-rows';

describe('masking a caller’s number', () => {
	it('keeps the first 3 and last 4 digits of a mobile number, and says what it does with short and international ones', () => {
		expect(maskCaller('13812345678')).toBe('138****5678');
		expect(maskCaller('+86 138-1234-5678')).toBe('+861******5678');
		expect(maskCaller('87654321')).toBe('****4321');
		expect(maskCaller('5550100')).toBe('***0100');
		expect(maskCaller('0212345678')).toBe('02****5678');
		expect(maskCaller('"Li Lei" <13812345678>')).toBe('138****5678');
		for (const shown of ['100', '95588', 'anonymous', '']) expect(maskCaller(shown)).toBe(shown);
		expect(maskCaller(null)).toBeNull();
	});

	it('TypeScript, DuckDB SQL and the reference agree on any text', async () => {
		const db = await engine();
		const phone = fc
			.tuple(fc.constantFrom('', '+', ' +', '00'), fc.array(fc.constantFrom(...'0123456789 -()'.split('')), { maxLength: 20 }))
			.map(([lead, rest]) => lead + rest.join(''));
		await fc.assert(
			fc.asyncProperty(fc.array(fc.oneof(phone, fc.string({ maxLength: 16 })), { minLength: 1, maxLength: 30 }), async (values) => {
				const rows = await db.query<{ i: number; masked: string | null }>({
					sql: `SELECT i, ${maskCallerSql('v', DUCKDB_TEXT)} AS masked FROM (VALUES ${values.map((_, i) => `(${i}, ?)`).join(', ')}) AS t(i, v) ORDER BY i`,
					params: values
				});
				values.forEach((v, i) => {
					expect(maskCaller(v), JSON.stringify(v)).toBe(refMask(v));
					expect(rows[i]!.masked, JSON.stringify(v)).toBe(refMask(v));
				});
			}),
			{ numRuns: 40 }
		);
	});
});

const NUMBERS = ['13812345678', '+86 138 1234 5678', '+8613812345678', '13900001111', '021-5550-0100', '5550100', '100', 'anonymous', null, ''];
const QUEUES = ['sales', 'support'];
const OUTCOMES = ['answered', 'interrupted', 'abandoned', 'unanswered', 'other'] as const;
const START = Date.UTC(2024, 2, 4, 8);
const text = (at: number) => new Date(at).toISOString().slice(0, 19).replace('T', ' ');

/** Calls from a few numbers over four days, some called back; no two at one second (the list's order is then one). */
const callsArb = fc
	.array(
		fc.record({
			caller: fc.constantFrom(...NUMBERS),
			gapS: fc.integer({ min: 1, max: 9 * 3600 }),
			queue: fc.constantFrom(...QUEUES),
			outcome: fc.constantFrom(...OUTCOMES),
			wait: fc.integer({ min: 0, max: 300 }),
			backAfterS: fc.option(fc.integer({ min: -600, max: 30 * 3600 }), { nil: null })
		}),
		{ minLength: 1, maxLength: 60 }
	)
	.map((drawn) => {
		let at = START;
		return drawn.map((d, i): RefCallerCall => {
			at += d.gapS * 1000;
			return {
				caller: d.caller,
				arrival: text(at),
				queue: d.queue,
				outcome: d.outcome,
				wait_s: d.wait,
				callback_at: d.backAfterS === null ? null : text(at + d.backAfterS * 1000),
				source_line: i + 1
			};
		});
	});

let tables = 0;
async function tableOf(calls: RefCallerCall[]): Promise<string> {
	const db = await engine();
	const table = `callers_${++tables}`;
	await db.exec(`CREATE TABLE ${table} ${CANONICAL_TABLE_DDL}`);
	for (const c of calls)
		await db.query({
			sql: `INSERT INTO ${table} (call_id, queue, arrival, wait_s, outcome, source_file, source_line, caller, callback_at) VALUES (?, ?, CAST(? AS TIMESTAMP), ?, ?, 'f', ?, ?, CAST(? AS TIMESTAMP))`,
			params: [`c${c.source_line}`, c.queue, c.arrival, c.wait_s, c.outcome, c.source_line, c.caller, c.callback_at]
		});
	return table;
}

describe('the call-back list and the repeat-caller rates, against the reference', () => {
	const sales: Filter = { ...EMPTY_FILTER, queue: 'sales' };
	const chosenBy = (filter: Filter) => (c: RefCallerCall) => !filter.queue || c.queue === filter.queue;

	it('lists each abandoned caller with what followed within the window, unresolved and oldest first', async () => {
		const db = await engine();
		await fc.assert(
			fc.asyncProperty(callsArb, fc.constantFrom(EMPTY_FILTER, sales), fc.constantFrom(1, 24, 72), fc.boolean(), async (calls, filter, hours, unmask) => {
				const table = await tableOf(calls);
				const rows = await db.query(callbacksQuery(table, filter, { hours, unmask }));
				expectSameRows(rows, refCallbacks(calls, chosenBy(filter), hours, unmask) as never, `callbacks ${hours} h`);
				await db.exec(`DROP TABLE ${table}`);
			}),
			{ numRuns: 30 }
		);
	});

	it('counts the calls whose number called again within 24 h and 7 days', async () => {
		const db = await engine();
		await fc.assert(
			fc.asyncProperty(callsArb, fc.constantFrom(EMPTY_FILTER, sales), async (calls, filter) => {
				const table = await tableOf(calls);
				const rows = await db.query(repeatCallersQuery(table, filter));
				expectSameRows(rows, [refRepeatCallers(calls, chosenBy(filter))] as never, 'repeat callers');
				await db.exec(`DROP TABLE ${table}`);
			}),
			{ numRuns: 30 }
		);
	});

	it('says there are no numbers rather than a zero rate', async () => {
		const db = await engine();
		const table = await tableOf([
			{ caller: null, arrival: '2024-03-04 09:00:00', queue: 'sales', outcome: 'abandoned', wait_s: 5, callback_at: null, source_line: 1 }
		]);
		const [row] = await db.query(repeatCallersQuery(table, EMPTY_FILTER));
		expect(row).toMatchObject({ calls: 1, with_number: 0, repeat_rate_24h: null, repeat_rate_7d: null });
		expect(await db.query(callbacksQuery(table, EMPTY_FILTER))).toEqual([]);
	});
});
