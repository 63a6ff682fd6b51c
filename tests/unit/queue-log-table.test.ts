import { describe, expect, it } from 'vitest';
import type { ImportResult } from '$lib/imports/pipeline';
import { engine, importFixtures } from './import-helpers';

/**
 * A queue_log table exported with a schema of its own: no agent column, the event time in
 * `date_time` and a bare `time` of seconds beside it. Its calls must be those of the same
 * events written as Asterisk's pipe-separated queue_log file (agent aside, which it lacks).
 */

const OFFSET_S = 8 * 3600;

/** Events as Asterisk documents their data: ENTERQUEUE url|callerid|position, CONNECT holdtime|uniqueid|ringtime, COMPLETE* holdtime|calltime|origposition, ABANDON position|origposition|waittime. */
const EVENTS: [epoch: number, callid: string, queue: string, agent: string, event: string, d1: string, d2: string, d3: string][] = [
	[1709514000, '1709514000.1', 'cards', 'NONE', 'ENTERQUEUE', '', '13800000001', '1'],
	[1709514010, '1709514000.1', 'cards', 'Agent/101', 'CONNECT', '10', '1709514000.2', '2'],
	[1709514190, '1709514000.1', 'cards', 'Agent/101', 'COMPLETECALLER', '10', '180', '1'],
	[1709514300, '1709514300.3', 'cards', 'NONE', 'ENTERQUEUE', '', '13800000002', '1'],
	[1709514303, '1709514300.3', 'cards', 'NONE', 'ABANDON', '1', '1', '3'],
	[1709514600, '1709514600.4', 'loans', 'NONE', 'ENTERQUEUE', '', '13800000003', '2'],
	[1709514660, '1709514600.4', 'loans', 'Agent/102', 'CONNECT', '60', '1709514600.5', '15'],
	[1709514960, '1709514600.4', 'loans', 'Agent/102', 'COMPLETEAGENT', '60', '300', '2']
];

const pipeLog = EVENTS.map((e) => e.join('|')).join('\n') + '\n';

/** Local wall-clock time of an epoch second, as the database column holds it. */
const local = (epoch: number) => new Date((epoch + OFFSET_S) * 1000).toISOString().slice(0, 19).replace('T', ' ');

const HEADER = 'uid,date_time,callid,queue_name,type,event,param1,param2,param3,entpos,expos,htime,ttime,time';

function tableExport(timeFirst: boolean): string {
	const rows = EVENTS.map(([epoch, callid, queue, , event, d1, d2, d3], i) => {
		// `time` is small seconds (here the hold time), as in schemas that keep one per event.
		const row = [String(i + 1), local(epoch), callid, queue, 'call', event, d1, d2, d3, event === 'ENTERQUEUE' ? d3 : '', '', d1 || '0', '0', d1 || '0'];
		return timeFirst ? [row[13], ...row.slice(0, 13)] : row;
	});
	const header = timeFirst ? ['time', ...HEADER.split(',').slice(0, 13)].join(',') : HEADER;
	return [header, ...rows.map((r) => r.join(','))].join('\n') + '\n';
}

async function calls(result: ImportResult) {
	return (await engine()).query<Record<string, unknown>>({
		sql: `SELECT call_id, queue, agent, strftime(arrival, '%Y-%m-%d %H:%M:%S') AS arrival, strftime(answer, '%Y-%m-%d %H:%M:%S') AS answer,
		        strftime(ended, '%Y-%m-%d %H:%M:%S') AS ended, wait_s, talk_s, outcome FROM ${result.table} ORDER BY call_id`,
		params: []
	});
}

describe('a queue_log table without an agent column, with date_time and time', () => {
	it.each([
		['date_time before time', false],
		['time before date_time', true]
	])('%s: the calls of the pipe-separated log, agent unknown', async (_, timeFirst) => {
		const table = await importFixtures([['queue_log.csv', tableExport(timeFirst)]], { utcOffsetSeconds: OFFSET_S });
		const piped = await importFixtures([['queue_log', pipeLog]], { utcOffsetSeconds: OFFSET_S });
		const fromPipe = await calls(piped);
		expect(fromPipe.map((c) => c.outcome)).toEqual(['answered', 'abandoned', 'answered']);
		expect(await calls(table)).toEqual(fromPipe.map((c) => ({ ...c, agent: null })));
	});
});
