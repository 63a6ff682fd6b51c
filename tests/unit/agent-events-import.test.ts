/**
 * A queue_log import keeps its agent events beside the calls (`<table>_agents`), the
 * `agentEvents` view reads them for a filter, and the agents' states worked out from the view's
 * rows are the independent reference's over the same file.
 */
import { describe, expect, it } from 'vitest';
import { engine, fixture, importFixtures } from './import-helpers';
import { localViews } from '$lib/query/named-views';
import { EMPTY_FILTER, type Filter } from '$lib/filters/filter';
import { DEFAULT_SETTINGS } from '$lib/metrics/service';
import { viewSettings } from '$lib/metrics/views/spec';
import { agentStatesOf, parseWrapSeconds, staffedByInterval, wallClockSeconds, type AgentEventRow } from '$lib/metrics/agent-events-view';
import { agentEventsTable } from '$lib/imports/agent-events';
import { queueLogWithAgents } from '$lib/synthetic/queue-log-agents';
import { refAgentRows, refAgentTotals } from '../reference/agent-states';
import { computeReport } from '$lib/report/model';
import { reportTables } from '$lib/report/tables';
import type { ReportSpec } from '$lib/report/spec';

const OFFSET_S = 8 * 3600;
const text = new TextDecoder().decode(fixture('queue_log'));

async function agentRows(table: string, filter: Filter = EMPTY_FILTER): Promise<AgentEventRow[]> {
	const db = await engine();
	return (await localViews(
		(query) => db.query(query),
		table
	)({
		dataset: table,
		view: 'agentEvents',
		filter,
		settings: viewSettings(DEFAULT_SETTINGS)
	})) as AgentEventRow[];
}

/** The reference over the file, its times shifted to local wall-clock as the import does. */
const shifted = (raw: string) => refAgentRows(raw).map((r) => ({ ...r, time: r.time + OFFSET_S }));

describe('agent events kept by a queue_log import', () => {
	it('every row naming an agent, in time order, with local times', async () => {
		const result = await importFixtures([['queue_log', text]], { utcOffsetSeconds: OFFSET_S });
		const db = await engine();
		const kept = await db.query<{ n: number }>({ sql: `SELECT count(*) AS n FROM ${agentEventsTable(result.table)}`, params: [] });
		const naming = text.split('\n').filter((l) => l && !['NONE', ''].includes(l.split('|')[3]!.trim()));
		expect(Number(kept[0]!.n)).toBe(naming.length);
		const rows = await agentRows(result.table);
		expect(rows.map((r) => r.t)).toEqual(naming.map((l) => Number(l.split('|')[0]) + OFFSET_S));
		expect(rows.find((r) => r.event === 'RINGNOANSWER')).toMatchObject({ agent: 'Agent/102', queue: 'cards', data1: '15000' });
	}, 120_000);

	it("the agents' states from the view are the reference's", async () => {
		const result = await importFixtures([['queue_log', text]], { utcOffsetSeconds: OFFSET_S });
		const rows = await agentRows(result.table);
		const states = agentStatesOf(rows, EMPTY_FILTER);
		const expected = refAgentTotals(shifted(text), states.from!, states.to!);
		expect(states.summary.map((s) => [s.agent, s.loggedInS, s.availableS, s.ringingS, s.talkS, s.pausedS, s.occupancy])).toEqual(
			expected.map((e) => [e.agent, e.loggedInS, e.availableS, e.ringingS, e.talkS, e.pausedS, e.occupancy])
		);
	}, 120_000);

	it('a period reads a day before it (a login earlier stays in force) and cuts the states to it', async () => {
		const { lines } = queueLogWithAgents({ rows: 1500, seed: 3, start: '2008-05-05', incident: null, completeShare: 0.6 }, { wrapSeconds: 20 });
		const raw = lines.join('\n') + '\n';
		const result = await importFixtures([['queue_log', raw]], { utcOffsetSeconds: OFFSET_S });
		const filter: Filter = { ...EMPTY_FILTER, from: '2008-05-05 20:00:00', to: '2008-05-06 10:00:00' };
		const wrap = parseWrapSeconds('20');
		const states = agentStatesOf(await agentRows(result.table, filter), filter, wrap);
		const expected = refAgentTotals(shifted(raw), wallClockSeconds(filter.from!), wallClockSeconds(filter.to!), wrap).filter((e) => e.loggedInS + e.talkS > 0);
		const got = states.summary.filter((s) => s.loggedInS + s.talkS > 0);
		expect(got.map((s) => [s.agent, s.loggedInS, s.talkS, s.wrapS, s.pausedS, s.ringNoAnswer])).toEqual(
			expected.map((e) => [e.agent, e.loggedInS, e.talkS, e.wrapS, e.pausedS, e.ringNoAnswer])
		);
		expect(got.length).toBeGreaterThan(0);
		// A queue: its agents only, their states whole.
		const q1 = agentStatesOf(await agentRows(result.table, { ...filter, queue: 'q1' }), filter, wrap);
		expect(q1.summary.length).toBeGreaterThan(0);
		expect(q1.summary.every((s) => s.agent.startsWith('S1-'))).toBe(true);
	}, 120_000);

	it('other formats keep no agent events', async () => {
		const result = await importFixtures(['mapped-utf8.csv']);
		const db = await engine();
		const tables = await db.query({ sql: `SELECT table_name FROM duckdb_tables() WHERE table_name = ?`, params: [agentEventsTable(result.table)] });
		expect(tables).toEqual([]);
	}, 120_000);

	it('reads wrap-up seconds for all queues or per queue', () => {
		const wrap = parseWrapSeconds('sales=30, support=15, 10');
		expect([wrap('sales'), wrap('support'), wrap('other')]).toEqual([30, 15, 10]);
		expect(parseWrapSeconds('20')('any')).toBe(20);
		expect(() => parseWrapSeconds('sales=-1')).toThrow();
		expect(() => parseWrapSeconds('x')).toThrow();
	});

	it("the report's agents table: each agent's time per state in the period, as the reference", async () => {
		const { lines } = queueLogWithAgents({ rows: 1500, seed: 5, start: '2008-05-05', incident: null, completeShare: 0.6 }, { wrapSeconds: 15 });
		const raw = lines.join('\n') + '\n';
		const result = await importFixtures([['queue_log', raw]], { utcOffsetSeconds: OFFSET_S });
		const db = await engine();
		const spec: ReportSpec = {
			from: '2008-05-05',
			to: '2008-05-05',
			queues: [],
			by: 'day',
			settings: { thresholdS: 20, shortAbandonS: 5, variant: 'count' },
			goal: 0.8,
			onset: null,
			end: null,
			wrapSeconds: '15'
		};
		const source = { name: 'agents', files: ['queue_log'], format: 'queue_log', rows: result.rows, from: result.from, to: result.to };
		const data = await computeReport(
			localViews((query) => db.query(query), result.table),
			result.table,
			spec,
			source,
			null
		);
		const section = data.extra.find((x) => x.id === 'agent_states')!;
		const expected = refAgentTotals(shifted(raw), wallClockSeconds('2008-05-05 00:00:00'), wallClockSeconds('2008-05-06 00:00:00'), () => 15).filter(
			(e) => e.loggedInS > 0
		);
		expect(section.rows.map((r) => [r.agent, r.logged_in_s, r.talk_s, r.wrap_s, r.paused_s, r.ring_no_answer])).toEqual(
			expected.map((e) => [e.agent, e.loggedInS, e.talkS, e.wrapS, e.pausedS, e.ringNoAnswer])
		);
		for (const lang of ['zh-CN', 'en'] as const) {
			const table = reportTables(data, lang).find((x) => x.id === 'agent_states')!;
			expect(table.rows).toHaveLength(expected.length);
			expect(table.columns.map((c) => c.kind)).toContain('percent');
			// The definitions name occupancy and idle time in the report's language.
			const definitions = reportTables(data, lang).flatMap((x) => x.rows.map((r) => String(r.definition ?? '')));
			expect(definitions.some((d) => d.includes(lang === 'en' ? '(talk + wrap-up) ÷' : '（通话 + 话后处理）÷'))).toBe(true);
		}
		// Another format: no agents table.
		const csv = await computeReport(
			localViews((query) => db.query(query), result.table),
			result.table,
			spec,
			{ ...source, format: 'generic' },
			null
		);
		expect(csv.extra.map((x) => x.id)).not.toContain('agent_states');
	}, 120_000);

	it('agents staffed per interval: logged-in, unpaused agent-seconds over the interval, as the reference counts them', () => {
		const { lines } = queueLogWithAgents({ rows: 800, seed: 9, start: '2008-05-05', incident: null, completeShare: 0.6 }, { wrapSeconds: 10 });
		const rows = refAgentRows(lines.join('\n'));
		const until = rows[rows.length - 1]!.time;
		const eventRows: AgentEventRow[] = rows.map((r) => ({
			t: r.time,
			call_id: r.callId,
			queue: r.queue,
			agent: r.agent,
			event: r.event,
			data1: r.data[0] ?? null,
			data2: r.data[1] ?? null,
			data3: r.data[2] ?? null,
			data4: r.data[3] ?? null,
			data5: r.data[4] ?? null
		}));
		const states = agentStatesOf(eventRows, { from: null, to: null }, () => 10);
		const staffed = staffedByInterval(states.spans, 3600);
		// Each hour: the reference's logged-in, unpaused seconds of every agent in it, over 3600.
		for (const hour of [9, 10, 14, 20]) {
			const from = wallClockSeconds(`2008-05-05 ${String(hour).padStart(2, '0')}:00:00`);
			const totals = refAgentTotals(rows, from, Math.min(from + 3600, until), () => 10);
			const expected = totals.reduce((n, t) => n + t.loggedInS - t.pausedS, 0) / 3600;
			expect(staffed.get(`2008-05-05 ${String(hour).padStart(2, '0')}:00:00`) ?? 0).toBeCloseTo(expected, 9);
		}
	});
});
