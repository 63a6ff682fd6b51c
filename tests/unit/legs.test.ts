import { describe, expect, it } from 'vitest';
import { engine, importFixtures } from './import-helpers';
import type { Mapping } from '$lib/imports/canonical';
import { ImportError } from '$lib/imports/errors';
import type { ImportResult } from '$lib/imports/pipeline';
import { legWord } from '$lib/imports/leg-values';

const bytes = (text: string) => new TextEncoder().encode(text);

const MAPPING: Mapping = {
	call_id: 'Call ID',
	direction: 'Direction',
	status: 'Status',
	arrival: 'Start',
	answer: 'Answered',
	end: 'End',
	talk: 'Talk',
	agent: 'Agent',
	queue: 'Queue',
	from: 'From',
	to: 'To'
};
const HEADER = 'Call ID,Direction,Status,Start,Answered,End,Talk,Agent,Queue,From,To';

async function calls(result: ImportResult) {
	const db = await engine();
	return (
		await db.query<Record<string, unknown>>({
			sql: `SELECT call_id, agent, queue, strftime(arrival, '%H:%M:%S') AS arrival, strftime(answer, '%H:%M:%S') AS answer, wait_s, talk_s, outcome
			      FROM ${result.table} ORDER BY call_id`,
			params: []
		})
	).map((r) => ({ ...r, wait_s: r.wait_s === null ? null : Number(r.wait_s), talk_s: r.talk_s === null ? null : Number(r.talk_s) }));
}

const count = (result: ImportResult, code: string) => result.quality.entries.find((e) => e.code === code)?.count ?? 0;

function importLegs(lines: string[], plan: Parameters<typeof importFixtures>[1] = {}) {
	return importFixtures([['legs.csv', bytes([HEADER, ...lines].join('\n') + '\n')]], { mapping: MAPPING, ...plan });
}

describe('leg log: legs into calls', () => {
	it('groups legs by call id; the answering agent leg gives agent, wait and talk; others rung are attempts', async () => {
		const result = await importLegs([
			'c1,Inbound,Answered,2024-03-01 09:00:00,2024-03-01 09:00:01,2024-03-01 09:03:00,179,,Sales,5551234,800',
			'c1,Internal,No answer,2024-03-01 09:00:05,,2024-03-01 09:00:20,0,201,Sales,800,201',
			'c1,Internal,Answered,2024-03-01 09:00:20,2024-03-01 09:00:30,2024-03-01 09:03:00,150,202,Sales,800,202',
			'c2,Inbound,Unanswered,2024-03-01 09:10:00,,2024-03-01 09:10:40,0,,Sales,5559999,800',
			'c2,Internal,No answer,2024-03-01 09:10:02,,2024-03-01 09:10:40,0,203,Sales,800,203'
		]);
		expect(await calls(result)).toEqual([
			{ call_id: 'c1', agent: '202', queue: 'Sales', arrival: '09:00:00', answer: '09:00:30', wait_s: 30, talk_s: 150, outcome: 'answered' },
			{ call_id: 'c2', agent: null, queue: 'Sales', arrival: '09:10:00', answer: null, wait_s: 40, talk_s: null, outcome: 'abandoned' }
		]);
		expect(count(result, 'legs')).toBe(3);
		expect(count(result, 'legs_attempts')).toBe(2);
		expect(result.rows).toBe(2);
	});

	it('a transfer keeps one call, counted; the talk is the first agent leg', async () => {
		const result = await importLegs([
			'c1,Inbound,Answered,2024-03-01 09:00:00,2024-03-01 09:00:00,2024-03-01 09:05:00,300,,Sales,5551234,800',
			'c1,Queue,Answered,2024-03-01 09:00:00,2024-03-01 09:00:12,2024-03-01 09:02:00,108,201,Sales,800,201',
			'c1,Internal,Answered,2024-03-01 09:02:00,2024-03-01 09:02:05,2024-03-01 09:05:00,175,305,Sales,201,305'
		]);
		expect(await calls(result)).toEqual([
			{ call_id: 'c1', agent: '201', queue: 'Sales', arrival: '09:00:00', answer: '09:00:12', wait_s: 12, talk_s: 108, outcome: 'answered' }
		]);
		expect(count(result, 'legs_transfers')).toBe(1);
	});

	it('outbound and internal calls are counted apart, never calls', async () => {
		const result = await importLegs([
			'c1,Inbound,Answered,2024-03-01 09:00:00,2024-03-01 09:00:09,2024-03-01 09:01:00,51,201,Sales,5551234,201',
			'o1,Outbound,Answered,2024-03-01 09:20:00,2024-03-01 09:20:10,2024-03-01 09:25:00,290,201,,201,5550000',
			'i1,Internal,Answered,2024-03-01 09:30:00,2024-03-01 09:30:03,2024-03-01 09:31:00,57,202,,201,202',
			'i1,Internal,No answer,2024-03-01 09:30:00,,2024-03-01 09:30:03,0,203,,201,203'
		]);
		expect((await calls(result)).map((c) => c.call_id)).toEqual(['c1']);
		expect(count(result, 'legs_outbound')).toBe(1);
		expect(count(result, 'legs_internal')).toBe(1);
		expect(count(result, 'legs_attempts')).toBe(0);
		const outbound = result.quality.entries.find((e) => e.code === 'legs_outbound')!;
		expect(outbound.kind).toBe('excluded');
		expect(outbound.examples[0]!.value).toBe('call o1: 201 → 5550000');
	});

	it('voicemail is not an agent answer: unanswered when agents rang, other when none did; counted', async () => {
		const result = await importLegs([
			'v1,Inbound,Answered,2024-03-01 09:00:00,2024-03-01 09:00:00,2024-03-01 09:01:30,90,,Sales,5551234,800',
			'v1,Queue,No answer,2024-03-01 09:00:00,,2024-03-01 09:00:25,0,201,Sales,800,201',
			'v1,Internal,Voicemail,2024-03-01 09:00:25,2024-03-01 09:00:25,2024-03-01 09:01:30,65,,Sales,800,VM',
			'v2,Inbound,Answered,2024-03-01 22:00:00,2024-03-01 22:00:00,2024-03-01 22:00:20,20,,Sales,5551234,800',
			'v2,Inbound,Closed,2024-03-01 22:00:00,2024-03-01 22:00:01,2024-03-01 22:00:20,19,,Sales,800,IVR'
		]);
		expect((await calls(result)).map((c) => [c.call_id, c.outcome, c.agent])).toEqual([
			['v1', 'unanswered', null],
			['v2', 'other', null]
		]);
		expect(count(result, 'legs_voicemail')).toBe(2);
		expect(count(result, 'legs_attempts')).toBe(1);
	});

	it('agents all busy: unanswered', async () => {
		const result = await importLegs([
			'b1,Inbound,No answer,2024-03-01 09:00:00,,2024-03-01 09:00:30,0,,Sales,5551234,800',
			'b1,Queue,Busy,2024-03-01 09:00:01,,2024-03-01 09:00:02,0,201,Sales,800,201'
		]);
		expect((await calls(result)).map((c) => [c.call_id, c.outcome, c.wait_s])).toEqual([['b1', 'unanswered', 30]]);
	});
});

describe('leg log: words in four languages', () => {
	it.each([
		['Answered', 'answered'],
		['已接听', 'answered'],
		['Contestada', 'answered'],
		['Atendida', 'answered'],
		['Unanswered', 'no_answer'],
		['未接', 'no_answer'],
		['No contestada', 'no_answer'],
		['Não atendida', 'no_answer'],
		['Voicemail', 'voicemail'],
		['语音信箱', 'voicemail'],
		['Buzón de voz', 'voicemail'],
		['Correio de voz', 'voicemail'],
		['Busy', 'busy'],
		['忙', 'busy'],
		['Ocupado', 'busy']
	])('status %s is %s', (word, expected) => expect(legWord('status', word)).toBe(expected));

	it.each([
		['Inbound', 'inbound'],
		['呼入', 'inbound'],
		['Entrante', 'inbound'],
		['Recebida', 'inbound'],
		['Outbound', 'outbound'],
		['呼出', 'outbound'],
		['Saliente', 'outbound'],
		['Efetuada', 'outbound'],
		['Internal', 'internal'],
		['内部', 'internal'],
		['Interna', 'internal']
	])('direction %s is %s', (word, expected) => expect(legWord('direction', word)).toBe(expected));

	it('a Chinese leg log imports by its words', async () => {
		const result = await importLegs([
			'c1,呼入,已接听,2024-03-01 09:00:00,2024-03-01 09:00:07,2024-03-01 09:01:00,53,201,售后,5551234,201',
			'c2,呼入,未接,2024-03-01 09:05:00,,2024-03-01 09:05:20,0,,售后,5551234,800',
			'c3,呼出,已接听,2024-03-01 09:06:00,2024-03-01 09:06:07,2024-03-01 09:07:00,53,201,,201,5551234'
		]);
		expect((await calls(result)).map((c) => [c.call_id, c.outcome])).toEqual([
			['c1', 'answered'],
			['c2', 'abandoned']
		]);
		expect(result.quality.mapping?.directions).toEqual(expect.arrayContaining([expect.objectContaining({ value: '呼入', class: 'inbound', basis: 'word' })]));
	});

	it('an unknown word stops the import with the list; assigned, it imports', async () => {
		const lines = [
			'c1,Inbound,Picked,2024-03-01 09:00:00,2024-03-01 09:00:07,2024-03-01 09:01:00,53,201,Sales,5551234,201',
			'c2,Inbound,Answered,2024-03-01 09:05:00,2024-03-01 09:05:03,2024-03-01 09:05:20,17,202,Sales,5551234,202'
		];
		const error = await importLegs(lines).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ImportError);
		const detail = (error as ImportError).detail;
		expect(detail.problem).toBe('unassigned_leg_values');
		expect(detail.column).toBe('Status');
		expect(detail.value).toBe('Picked (1)');
		expect(detail.legValues?.values.map((v) => v.value).sort()).toEqual(['Answered', 'Picked']);
		const result = await importLegs(lines, { statusValues: { Picked: 'answered' } });
		expect((await calls(result)).map((c) => c.outcome)).toEqual(['answered', 'answered']);
	});
});
