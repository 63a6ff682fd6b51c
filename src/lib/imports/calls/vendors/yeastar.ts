import { cell, type VendorPreset } from './preset';

/**
 * Yeastar P-Series CDR (docs/pbx-exports.md, "Yeastar"): one row per call leg, the legs of a
 * call sharing `ID`. `Call To` names the party as `Name<number>`; a queue (or ring group) is a
 * number of the P-Series default ranges 6400–6499 (6300–6399), its leg's `Ring Duration` the
 * time in queue; any other `Name<ext>` is an agent's leg. Status and type words in English or
 * in the Chinese UI's words.
 */
const queueLeg = `regexp_matches(coalesce(${cell('Call To')}, ''), '<6[34][0-9][0-9]>$')`;

export const YEASTAR: VendorPreset = {
	id: 'yeastar',
	source: 'Yeastar P-Series CDR',
	signature: ['ID', 'Time', 'Call From', 'Call To', 'Ring Duration', 'Talk Duration', 'Status', 'Communication Type'],
	mapping: {
		call_id: 'ID',
		arrival: 'Time',
		direction: 'Communication Type',
		status: 'Status',
		ring: 'Ring Duration',
		talk: 'Talk Duration',
		from: 'Call From',
		to: 'Call To'
	},
	expressions: {
		queue: `CASE WHEN ${queueLeg} THEN ${cell('Call To')} END`,
		agent: `CASE WHEN NOT ${queueLeg} AND regexp_matches(coalesce(${cell('Call To')}, ''), '<[0-9]+>$') THEN ${cell('Call To')} END`,
		wait: `CASE WHEN ${queueLeg} THEN ${cell('Ring Duration')} END`
	},
	directionWords: { inbound: 'inbound', outbound: 'outbound', internal: 'internal', 呼入: 'inbound', 呼出: 'outbound', 内部: 'internal' },
	statusWords: {
		answered: 'answered',
		'no answer': 'no_answer',
		abandoned: 'no_answer',
		busy: 'busy',
		failed: 'failed',
		voicemail: 'voicemail',
		已接: 'answered',
		未接: 'no_answer',
		忙: 'busy',
		失败: 'failed',
		语音留言: 'voicemail'
	}
};
