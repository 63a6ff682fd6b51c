import { cell, word, type VendorPreset } from './preset';

/**
 * 3CX v20 Call Log report (docs/pbx-exports.md, "3CX"): one row per segment, the segments of a
 * call sharing `Call ID`. The `Inbound Queue` segment is the queue leg (its `Ringing` the time
 * in queue, its `To` the queue); an `Inbound` segment is an agent rung (`To` the agent, `Name
 * (ext)`), answered or not. The `Totals` row at the end is a footer (leg assembly, section 6).
 */
const queueLeg = `${word('Direction')} = 'inbound queue'`;

export const THREECX: VendorPreset = {
	id: '3cx',
	source: '3CX v20 Call Log report',
	signature: ['Call Time', 'Call ID', 'From', 'To', 'Direction', 'Status', 'Ringing', 'Talking'],
	mapping: { call_id: 'Call ID', arrival: 'Call Time', direction: 'Direction', status: 'Status', ring: 'Ringing', talk: 'Talking', from: 'From', to: 'To' },
	expressions: {
		queue: `CASE WHEN ${queueLeg} THEN ${cell('To')} END`,
		agent: `CASE WHEN ${word('Direction')} = 'inbound' THEN ${cell('To')} WHEN ${word('Direction')} IN ('outbound', 'internal') THEN ${cell('From')} END`,
		wait: `CASE WHEN ${queueLeg} THEN ${cell('Ringing')} END`
	},
	directionWords: { 'inbound queue': 'queue', inbound: 'inbound', outbound: 'outbound', internal: 'internal' },
	// `Waiting`: still queued when the report was made; never answered by then.
	statusWords: { answered: 'answered', unanswered: 'no_answer', waiting: 'no_answer' }
};
