import { describe, expect, it } from 'vitest';
import { EMPTY_FILTER, type Filter } from '$lib/filters/filter';
import {
	agentServiceQuery,
	kpiQuery,
	outcomesByDepartmentQuery,
	timelineQuery,
	type AgentServiceRow,
	type OutcomeRow,
	type StoryKpis,
	type TimelineRow
} from '$lib/story/metrics';
import { storyEngine } from './helpers';

async function kpis(filter: Partial<Filter> = {}): Promise<StoryKpis> {
	const engine = await storyEngine();
	const [row] = await engine.query<StoryKpis & Record<string, unknown>>(kpiQuery({ ...EMPTY_FILTER, ...filter }));
	return row!;
}

// Expected values are worked out by hand from data/calls.csv:
//   C01 彭昭 一部 in progress, completed, 213 s     C02 罗希 一部 in progress, completed, 132 s
//   C03 税远容 三部 in progress, completed, —       C04 王娅馨 一部 in progress, ended_by_customer, —
//   C05 高敏 二部 in progress, unknown, —           C06 高敏 二部 started 14:31, interrupted, 120 s
//   C07 曾晶 三部 episode (not a call), callback_advised, left 840 s after onset; C06's agent left at 300 s
describe('story KPIs, all departments', () => {
	it('counts calls in progress at onset and completions', async () => {
		const k = await kpis();
		expect(k.calls_described).toBe(6);
		expect(k.in_progress_at_onset).toBe(5);
		expect(k.completed).toBe(3);
		expect(k.known_outcome).toBe(5); // C05's outcome is not stated
		expect(k.completed_share).toBeCloseTo(3 / 5, 10);
	});

	it('summarises in-quake service time', async () => {
		const k = await kpis();
		expect(k.timed_calls).toBe(3); // 213, 132, 120
		expect(k.max_in_quake_seconds).toBe(213);
		expect(k.median_in_quake_seconds).toBe(132);
		expect(k.over_two_minutes).toBe(2); // 120 s is not over 2 minutes
		expect(k.over_two_minutes_share).toBeCloseTo(2 / 3, 10);
	});

	it('finds when the last agent left', async () => {
		expect((await kpis()).last_agent_left_seconds).toBe(840);
	});
});

describe('story KPIs per department', () => {
	it('座席一部: C01, C02, C04', async () => {
		const k = await kpis({ queue: '座席一部' });
		expect(k.calls_described).toBe(3);
		expect(k.in_progress_at_onset).toBe(3);
		expect(k.completed).toBe(2);
		expect(k.completed_share).toBeCloseTo(2 / 3, 10);
		expect(k.max_in_quake_seconds).toBe(213);
		expect(k.median_in_quake_seconds).toBe((213 + 132) / 2);
		expect(k.over_two_minutes_share).toBe(1);
		expect(k.last_agent_left_seconds).toBeNull();
	});

	it('座席二部: C05, C06', async () => {
		const k = await kpis({ queue: '座席二部' });
		expect(k.calls_described).toBe(2);
		expect(k.in_progress_at_onset).toBe(1);
		expect(k.completed).toBe(0);
		expect(k.known_outcome).toBe(1);
		expect(k.completed_share).toBe(0);
		expect(k.median_in_quake_seconds).toBe(120);
		expect(k.over_two_minutes_share).toBe(0);
		expect(k.last_agent_left_seconds).toBe(300);
	});

	it('座席三部: C03 and the C07 episode', async () => {
		const k = await kpis({ queue: '座席三部' });
		expect(k.calls_described).toBe(1);
		expect(k.in_progress_at_onset).toBe(1);
		expect(k.completed_share).toBe(1);
		expect(k.timed_calls).toBe(0);
		expect(k.max_in_quake_seconds).toBeNull();
		expect(k.over_two_minutes_share).toBeNull();
		expect(k.last_agent_left_seconds).toBe(840);
	});

	it('an unknown department matches nothing rather than everything', async () => {
		const k = await kpis({ queue: "座席一部' OR 1=1 --" });
		expect(k.calls_described).toBe(0);
		expect(k.completed_share).toBeNull();
	});
});

describe('chart queries', () => {
	it('agent service bars: longest first, unknown durations last', async () => {
		const engine = await storyEngine();
		const rows = await engine.query<AgentServiceRow & Record<string, unknown>>(agentServiceQuery(EMPTY_FILTER));
		expect(rows.map((r) => r.id)).toEqual(['C01', 'C02', 'C06', 'C03', 'C04', 'C05']);
		expect(rows.map((r) => r.in_quake_seconds)).toEqual([213, 132, 120, null, null, null]);
	});

	it('outcomes by department, filtered by outcome', async () => {
		const engine = await storyEngine();
		const all = await engine.query<OutcomeRow & Record<string, unknown>>(outcomesByDepartmentQuery(EMPTY_FILTER));
		expect(all.map((r) => [r.department, r.outcome, r.calls])).toEqual([
			['座席一部', 'completed', 2],
			['座席一部', 'ended_by_customer', 1],
			['座席二部', 'interrupted_by_evacuation', 1],
			['座席二部', 'unknown', 1],
			['座席三部', 'completed', 1]
		]);
		const completed = await engine.query<OutcomeRow & Record<string, unknown>>(outcomesByDepartmentQuery({ ...EMPTY_FILTER, outcome: 'completed' }));
		expect(completed.reduce((sum, r) => sum + r.calls, 0)).toBe(3);
	});

	it('timeline offsets are relative to 14:28:00', async () => {
		const engine = await storyEngine();
		const rows = await engine.query<TimelineRow & Record<string, unknown>>(timelineQuery(EMPTY_FILTER));
		const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
		expect(byId.C01!.start_offset_seconds).toBeNull();
		expect(byId.C01!.end_offset_seconds).toBe(3 * 60 + 33);
		expect(byId.C02!.end_offset_seconds).toBe(132);
		expect(byId.C04!.start_offset_seconds).toBe(-23);
		expect(byId.C06!.start_offset_seconds).toBe(180);
		expect(byId.C06!.end_offset_seconds).toBe(300);
		expect(byId.C07!.agent_left_after_onset_seconds).toBe(840);
	});
});
