import { describe, expect, it } from 'vitest';
import { engine, importFixtures } from './import-helpers';
import { ImportError } from '$lib/imports/errors';
import type { ImportResult } from '$lib/imports/pipeline';

/**
 * Per-call spreadsheets as managers bring them (BI tutorial datasets, CRM and ACD exports):
 * each layout written by hand here with the calls it holds, imported with default settings.
 */

const bytes = (text: string) => new TextEncoder().encode(text);

interface Call {
	call_id: string;
	agent: string | null;
	arrival: string;
	answer: string | null;
	ended: string | null;
	wait_s: number | null;
	talk_s: number | null;
	outcome: string;
}

async function calls(result: ImportResult): Promise<Call[]> {
	const db = await engine();
	const rows = await db.query<Record<string, unknown>>({
		sql: `SELECT call_id, agent, strftime(arrival, '%Y-%m-%d %H:%M:%S') AS arrival, strftime(answer, '%Y-%m-%d %H:%M:%S') AS answer,
		        strftime(ended, '%Y-%m-%d %H:%M:%S') AS ended, wait_s, talk_s, outcome FROM ${result.table} ORDER BY source_line`,
		params: []
	});
	return rows.map((r) => ({
		call_id: String(r.call_id),
		agent: (r.agent as string | null) ?? null,
		arrival: String(r.arrival),
		answer: (r.answer as string | null) ?? null,
		ended: (r.ended as string | null) ?? null,
		wait_s: r.wait_s === null ? null : Number(r.wait_s),
		talk_s: r.talk_s === null ? null : Number(r.talk_s),
		outcome: String(r.outcome)
	}));
}

const codes = (result: ImportResult) => result.quality.entries.map((e) => `${e.kind}:${e.code}`);

describe('spreadsheet layouts import with default settings', () => {
	it('date and time in two columns, answer and end as times of day, over midnight', async () => {
		const result = await importFixtures([
			[
				'split.csv',
				bytes(
					'Call Id,Agent,Department,Date,Time,Time Answered,Time Ended,Outcome\n' +
						'A1,Li,Cards,2021-01-01,9:12:58,9:13:20,9:20:00,Answered\n' +
						'A2,,Cards,2021-01-01,23:59:50,,0:00:40,Abandoned\n' +
						'A3,Wu,Loans,2021-01-01,23:58:00,23:59:30,0:05:10,Answered\n'
				)
			]
		]);
		const got = await calls(result);
		expect(got).toEqual([
			{
				call_id: 'A1',
				agent: 'Li',
				arrival: '2021-01-01 09:12:58',
				answer: '2021-01-01 09:13:20',
				ended: '2021-01-01 09:20:00',
				wait_s: 22,
				talk_s: 400,
				outcome: 'answered'
			},
			{
				call_id: 'A2',
				agent: null,
				arrival: '2021-01-01 23:59:50',
				answer: null,
				ended: '2021-01-02 00:00:40',
				wait_s: 50,
				talk_s: null,
				outcome: 'abandoned'
			},
			{
				call_id: 'A3',
				agent: 'Wu',
				arrival: '2021-01-01 23:58:00',
				answer: '2021-01-01 23:59:30',
				ended: '2021-01-02 00:05:10',
				wait_s: 90,
				talk_s: 340,
				outcome: 'answered'
			}
		]);
		expect(result.quality.entries.find((e) => e.code === 'next_day')?.count).toBe(2);
		expect(result.quality.mapping?.fields).toMatchObject({ date: 'Date', arrival: 'Time', answer: 'Time Answered', end: 'Time Ended', outcome: 'Outcome' });
		expect(result.quality.mapping?.outcomes).toEqual(
			expect.arrayContaining([expect.objectContaining({ value: 'Answered', outcome: 'answered', basis: 'word', rows: 2 })])
		);
	});

	it('a Y/N flag, speed of answer in seconds and a per-call "average" talk column', async () => {
		const result = await importFixtures([
			[
				'flag.csv',
				bytes(
					'Call Id,Agent,Date,Time,Topic,Answered (Y/N),Resolved,Speed of answer in seconds,AvgTalkDuration,Satisfaction rating\n' +
						'ID0001,Diane,2021-01-01,9:12:58,Contract related,Y,Y,109,0:02:23,3\n' +
						'ID0002,Becky,2021-01-01,9:12:58,Technical Support,Y,N,70,0:04:02,3\n' +
						'ID0003,Stewart,2021-01-01,9:47:31,Contract related,N,N,,,\n'
				)
			]
		]);
		const got = await calls(result);
		expect(got.map((c) => [c.call_id, c.arrival, c.answer, c.wait_s, c.talk_s, c.outcome, c.agent])).toEqual([
			['ID0001', '2021-01-01 09:12:58', '2021-01-01 09:14:47', 109, 143, 'answered', 'Diane'],
			['ID0002', '2021-01-01 09:12:58', '2021-01-01 09:14:08', 70, 242, 'answered', 'Becky'],
			['ID0003', '2021-01-01 09:47:31', null, null, null, 'abandoned', null]
		]);
		expect(result.quality.flags).toEqual([]);
	});

	it('12-hour times without padding, snake-case start/answered/ended', async () => {
		const result = await importFixtures([
			[
				'sim.csv',
				bytes(
					'call_id,date,daily_caller,call_started,call_answered,call_ended,wait_length,service_length,meets_standard\n' +
						'1,2021-01-01,1,8:00:00 AM,8:00:00 AM,8:14:22 AM,0,862,True\n' +
						'2,2021-01-01,2,8:02:42 AM,8:04:57 AM,8:16:10 AM,135,673,False\n' +
						'3,2021-01-01,3,12:30:05 PM,12:30:10 PM,1:02:00 PM,5,1910,True\n'
				)
			]
		]);
		const got = await calls(result);
		expect(got.map((c) => [c.arrival, c.answer, c.ended, c.wait_s, c.talk_s, c.outcome])).toEqual([
			['2021-01-01 08:00:00', '2021-01-01 08:00:00', '2021-01-01 08:14:22', 0, 862, 'answered'],
			['2021-01-01 08:02:42', '2021-01-01 08:04:57', '2021-01-01 08:16:10', 135, 673, 'answered'],
			['2021-01-01 12:30:05', '2021-01-01 12:30:10', '2021-01-01 13:02:00', 5, 1910, 'answered']
		]);
	});

	it('placeholder dates and floats written by a spreadsheet library', async () => {
		const result = await importFixtures([
			[
				'pandas.csv',
				bytes(
					'Call Id,Agent,Date,Time,Answered (Y/N),Speed of answer in seconds,AvgTalkDuration\n' +
						'X1,Dan,2021-01-01 00:00:00,1900-01-01 09:12:58,Y,109.0,1900-01-01 00:02:23\n' +
						'X2,,2021-01-02 00:00:00,1900-01-01 17:05:00,N,,\n'
				)
			]
		]);
		const got = await calls(result);
		expect(got.map((c) => [c.arrival, c.wait_s, c.talk_s, c.outcome])).toEqual([
			['2021-01-01 09:12:58', 109, 143, 'answered'],
			['2021-01-02 17:05:00', null, null, 'abandoned']
		]);
		expect(result.quality.entries.find((e) => e.code === 'placeholder_date')?.count).toBe(2);
	});

	it('Chinese names, 上午/下午 times and outcome words', async () => {
		const result = await importFixtures([
			[
				'cn.csv',
				bytes('日期,来电时间,坐席,技能组,结果,排队时长,通话时长\n2021-03-01,上午9:12:58,王芳,信用卡,已接听,12,300\n2021-03-01,下午1:05:09,,信用卡,放弃,40,\n')
			]
		]);
		const got = await calls(result);
		expect(got.map((c) => [c.arrival, c.wait_s, c.talk_s, c.outcome, c.agent])).toEqual([
			['2021-03-01 09:12:58', 12, 300, 'answered', '王芳'],
			['2021-03-01 13:05:09', 40, null, 'abandoned', null]
		]);
	});

	it('durations only: m:ss and h:mm:ss, answered when the speed of answer has a value', async () => {
		const result = await importFixtures([
			[
				'dur.csv',
				bytes(
					'call_id,agent_id,queue,call_date,call_time,speed_of_answer,talk_duration\nD1,a7,Q1,2021-01-01,09:00:00,2:14,0:02:23\nD2,,Q1,2021-01-01,09:01:00,,\n'
				)
			]
		]);
		const got = await calls(result);
		expect(got.map((c) => [c.arrival, c.answer, c.wait_s, c.talk_s, c.outcome])).toEqual([
			['2021-01-01 09:00:00', '2021-01-01 09:02:14', 134, 143, 'answered'],
			['2021-01-01 09:01:00', null, null, null, 'abandoned']
		]);
	});
});

describe('outcome values are never classified silently', () => {
	it('a flag of the calls not answered (Abandoned Y/N): its yes means abandoned', async () => {
		const result = await importFixtures([
			['inv.csv', bytes('Incoming Call Time,Agent Name,Abandoned,Wait Seconds,Handle Time\n2021-01-01 09:00:00,Bob,N,12,300\n2021-01-01 09:02:00,,Y,40,\n')]
		]);
		expect((await calls(result)).map((c) => [c.outcome, c.agent, c.wait_s])).toEqual([
			['answered', 'Bob', 12],
			['abandoned', null, 40]
		]);
		expect(result.quality.mapping?.fields).toMatchObject({ arrival: 'Incoming Call Time', outcome: 'Abandoned' });
	});

	const business =
		'Call ID,Agent ID,Queue,Call Date,Call Time,Call Outcome\n' +
		'B1,a1,Q,2021-01-01,09:00:00,Resolved\nB2,a2,Q,2021-01-01,09:05:00,Escalated\nB3,,Q,2021-01-01,09:06:00,No answer\n';

	it('a value neither a known word nor settled by the data stops the import with the list', async () => {
		const error = await importFixtures([['biz.csv', bytes(business)]]).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ImportError);
		const detail = (error as ImportError).detail;
		expect(detail.problem).toBe('unassigned_outcomes');
		expect(detail.column).toBe('Call Outcome');
		expect(detail.outcomes?.filter((v) => !v.outcome).map((v) => v.value)).toEqual(['Escalated', 'Resolved']);
		expect(detail.outcomes?.find((v) => v.value === 'No answer')?.outcome).toBe('unanswered');
	});

	it('assigned values import, and the report states each meaning and why', async () => {
		const result = await importFixtures([['biz.csv', bytes(business)]], { outcomeValues: { Resolved: 'answered', Escalated: 'answered' } });
		const got = await calls(result);
		expect(got.map((c) => c.outcome)).toEqual(['answered', 'answered', 'unanswered']);
		expect(result.quality.mapping?.outcomes?.map((o) => [o.value, o.outcome, o.basis])).toEqual(
			expect.arrayContaining([
				['Resolved', 'answered', 'assigned'],
				['No answer', 'unanswered', 'word']
			])
		);
	});

	it('values whose rows all have (or lack) a talk time are read from the data', async () => {
		const result = await importFixtures([
			[
				'biz2.csv',
				bytes(
					'Call ID,Call Date,Call Time,Talk Time,Call Outcome\nB1,2021-01-01,09:00:00,120,Sale\nB2,2021-01-01,09:01:00,90,Sale\nB3,2021-01-01,09:02:00,,Dropped\n'
				)
			]
		]);
		expect((await calls(result)).map((c) => c.outcome)).toEqual(['answered', 'answered', 'abandoned']);
		expect(result.quality.mapping?.outcomes?.map((o) => o.basis)).toEqual(['data', 'data']);
	});
});

describe('never silently zero', () => {
	it('a date column mapped as the arrival with an unrecognised outcome: warnings name the problem', async () => {
		const result = await importFixtures([['zero.csv', bytes('Date,Wait,Talk,Agent,Result\n2021-01-01,10,100,a,Y\n2021-01-02,20,100,b,Y\n')]], {
			mapping: { arrival: 'Date', wait: 'Wait', talk: 'Talk', agent: 'Agent', outcome: 'Result' },
			outcomeValues: { Y: 'other' }
		});
		expect(codes(result)).toEqual(expect.arrayContaining(['warning:no_offered', 'warning:midnight_times']));
		expect(result.quality.flags).toEqual(expect.arrayContaining(['no_offered', 'midnight_times']));
	});

	it('answered calls without any wait information: the wait is unknown, never 0', async () => {
		const result = await importFixtures([
			['nowait.csv', bytes('call_id,start,talk,outcome\n1,2021-01-01 09:00:00,100,answered\n2,2021-01-01 09:01:00,80,answered\n')]
		]);
		expect((await calls(result)).map((c) => c.wait_s)).toEqual([null, null]);
		expect(result.quality.flags).toContain('wait_unknown');
	});

	it('every answered call waited 0 s', async () => {
		const result = await importFixtures([
			['zw.csv', bytes('call_id,start,wait,talk,outcome\n1,2021-01-01 09:00:00,0,100,answered\n2,2021-01-01 09:01:13,0,80,answered\n')]
		]);
		expect(result.quality.flags).toContain('zero_waits');
	});

	it('a mapped column nearly empty is named with its count', async () => {
		const rows = Array.from({ length: 40 }, (_, i) => `${i},2021-01-01 09:${String(i).padStart(2, '0')}:07,${i === 0 ? 'x1' : ''},answered,5`).join('\n');
		const result = await importFixtures([['empty.csv', bytes(`call_id,start,agent,outcome,wait\n${rows}\n`)]]);
		const entry = result.quality.entries.find((e) => e.code === 'mostly_empty');
		expect(entry?.examples[0]).toMatchObject({ column: 'agent', value: '39 / 40' });
	});

	it('a bare time of day without a date column is named, not read as a time', async () => {
		const error = await importFixtures([['t.csv', bytes('call_id,time,outcome\n1,9:00:00,answered\n')]], { onBadRows: 'abort' }).catch((e: unknown) => e);
		expect((error as ImportError).detail).toMatchObject({ problem: 'time_without_date', line: 2, column: 'time', value: '9:00:00' });
	});
});
