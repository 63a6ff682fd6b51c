import { targetOf, type QueueBoard, type QueueTargets, type WindowMeasures } from '$lib/metrics/wallboard';
import type { AgentNow } from '$lib/metrics/agent-states';
import type { LiveState } from './live-state';

/** A queue's measures of its calls (the service views'), kept beside the live state. */
export type Measured = Pick<QueueBoard, 'windows' | 'asaS' | 'ahtS'>;

const NO_CALLS: WindowMeasures = { offered: 0, answered: 0, abandoned: 0, serviceLevel: null, abandonRate: null };
export const NOT_MEASURED: Measured = { windows: { today: NO_CALLS, last60: NO_CALLS, last15: NO_CALLS }, asaS: null, ahtS: null };

/**
 * The wallboard's live part at `nowS` (epoch seconds) from the state kept of the log: each
 * queue's waiting calls and agents, with its measures as `measured` gives them (none yet:
 * empty), and the agents' states. Plain memory, no query: made at each batch of lines.
 */
export function liveBoards(
	state: LiveState,
	targets: QueueTargets,
	nowS: number,
	measured: (queue: string) => Measured | undefined
): { queues: QueueBoard[]; agents: AgentNow[] } {
	const agents = state.agentsAt(nowS);
	const queues: QueueBoard[] = [...state.queues]
		.sort((a, b) => a.localeCompare(b))
		.map((queue) => {
			const waits = [...state.waiting.values()].filter((w) => w.queue === queue);
			const members = agents.filter((a) => a.queues.includes(queue));
			const count = (...states: string[]) => members.filter((a) => states.includes(a.state)).length;
			return {
				queue,
				target: targetOf(targets, queue),
				waiting: waits.length,
				longestSince: waits.length ? Math.min(...waits.map((w) => w.since)) : null,
				// Ringing is counted with the calls: the agent is not free for the next one.
				agents: { available: count('available'), onCall: count('on_call', 'ringing'), paused: count('paused'), wrapUp: count('wrap_up') },
				...(measured(queue) ?? NOT_MEASURED)
			};
		});
	return { queues, agents: agents.map((a) => ({ ...a })) };
}
