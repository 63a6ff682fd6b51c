import { agentStatesOf, parseWrapSeconds, type AgentEventRow } from '$lib/metrics/agent-events-view';
import type { ExtraSection, SectionBuilder } from './model';

/**
 * The report's agents table, for a queue_log dataset: each agent's logged-in, available,
 * ringing, talk, wrap-up and paused time in the period (pause reasons with their time),
 * occupancy and rings not answered, worked out from the agent events as on the Service level
 * page (`metrics/agent-events-view.ts`). Other formats carry no agent events: no section.
 */
export const agentStatesSection: SectionBuilder = async (ask, question, spec, source) => {
	if (source?.format !== 'queue_log' || question.kind === 'intervals') return null;
	const rows = (await ask({ ...question, view: 'agentEvents' })) as AgentEventRow[];
	const { summary } = agentStatesOf(rows, question.filter, parseWrapSeconds(spec.wrapSeconds ?? '0'));
	const agents = summary.filter((s) => s.loggedInS > 0);
	if (!agents.length) return null;
	const section: ExtraSection = {
		id: 'agent_states',
		title: 'staffing.agentStates.report',
		note: [{ key: 'staffing.agentStates.desc' }],
		columns: [
			{ key: 'agent', header: 'staffing.agentStates.col.agent', kind: 'text' },
			{ key: 'logged_in_s', header: 'staffing.agentStates.col.loggedIn', kind: 'duration' },
			{ key: 'available_s', header: 'staffing.agentStates.col.available', kind: 'duration' },
			{ key: 'ringing_s', header: 'staffing.agentStates.col.ringing', kind: 'duration' },
			{ key: 'talk_s', header: 'staffing.agentStates.col.talk', kind: 'duration' },
			{ key: 'wrap_s', header: 'staffing.agentStates.col.wrap', kind: 'duration' },
			{ key: 'paused_s', header: 'staffing.agentStates.col.paused', kind: 'duration' },
			{ key: 'idle_s', header: 'staffing.agentStates.col.idle', kind: 'duration' },
			{ key: 'pause_reasons', header: 'staffing.agentStates.col.pauseReasons', kind: 'text' },
			{ key: 'occupancy', header: 'staffing.agentStates.col.occupancy', kind: 'percent' },
			{ key: 'ring_no_answer', header: 'staffing.agentStates.col.ringNoAnswer', kind: 'int' }
		],
		rows: agents.map((s) => ({
			agent: s.agent,
			logged_in_s: s.loggedInS,
			available_s: s.availableS,
			ringing_s: s.ringingS,
			talk_s: s.talkS,
			wrap_s: s.wrapS,
			paused_s: s.pausedS,
			idle_s: s.idleS,
			// Reasons as given in the log (a reason is the PBX's own word); seconds, longest first.
			pause_reasons: Object.entries(s.pausedByReason)
				.sort((a, b) => b[1] - a[1])
				.map(([reason, seconds]) => `${reason || '—'} ${Math.round(seconds)} s`)
				.join('; '),
			occupancy: s.occupancy,
			ring_no_answer: s.ringNoAnswer
		}))
	};
	return section;
};
