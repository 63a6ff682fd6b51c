import { cell, word, type VendorPreset } from './preset';

/**
 * Yeastar S-Series CDR file (docs/pbx-exports.md, "Yeastar S-Series"): the CSV the S-Series API
 * downloads (`cdr/get_random`, then `cdr/download`), its columns the API's CDR field names. One
 * record per call, its id `callid`; no ring-no-answer attempts and no legs of a call. The wait
 * is `callduraction − talkduraction` of an answered call (the time before the answer), the
 * whole `callduraction` of one not answered. An answered inbound call's agent is `callto` (the
 * extension that answered); the queue is the number the caller dialled (`didnumber`), else the
 * trunk it came in on (`srctrunkname`).
 */
export const YEASTAR_S_COLUMNS = [
	'callid',
	'timestart',
	'callfrom',
	'callto',
	'callduraction',
	'talkduraction',
	'srctrunkname',
	'dsttrunkname',
	'status',
	'type',
	'pincode',
	'recording',
	'didnumber',
	'sn'
];

const answered = `${word('status')} = 'answered'`;
const inbound = `${word('type')} = 'inbound'`;
const callSeconds = `TRY_CAST(${cell('callduraction')} AS DOUBLE)`;
const talkSeconds = `coalesce(TRY_CAST(${cell('talkduraction')} AS DOUBLE), 0)`;

export const YEASTAR_S: VendorPreset = {
	id: 'yeastar-s',
	source: 'Yeastar S-Series CDR file (API download)',
	signature: ['callid', 'timestart', 'callfrom', 'callto', 'callduraction', 'talkduraction', 'status', 'type'],
	mapping: { call_id: 'callid', arrival: 'timestart', direction: 'type', status: 'status', talk: 'talkduraction', from: 'callfrom', to: 'callto' },
	expressions: {
		// Ringing (queueing included) before the answer; a call not answered rang for all of its duration.
		ring: `CAST(CASE WHEN ${answered} THEN ${callSeconds} - ${talkSeconds} ELSE ${callSeconds} END AS VARCHAR)`,
		queue: `CASE WHEN ${inbound} THEN coalesce(${cell('didnumber')}, ${cell('srctrunkname')}) END`,
		agent: `CASE WHEN ${inbound} AND ${answered} THEN ${cell('callto')} END`
	},
	// `Callback` and `Transfer` (in the API's list of types) are not described: left to the user.
	directionWords: { inbound: 'inbound', outbound: 'outbound', internal: 'internal' },
	// The S-Series API writes `NOANSWER`; the P-Series and the web page `NO ANSWER`.
	statusWords: { answered: 'answered', noanswer: 'no_answer', 'no answer': 'no_answer', busy: 'busy', failed: 'failed', voicemail: 'voicemail' }
};
