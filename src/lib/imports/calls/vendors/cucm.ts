import { cell, word, type VendorPreset } from './preset';

/**
 * Cisco Unified CM CDR flat file (docs/pbx-exports.md, "Cisco Unified CM"): one CDR per call
 * leg pair, the records of a call sharing `globalCallID_callId`; times in UTC epoch seconds
 * (`dateTimeConnect` 0 when never connected). No direction field: a call from a device that is
 * not a phone (a gateway or SIP trunk) came from outside, one to such a device went out, phone
 * to phone is internal. A call to a hunt pilot names it in `originalCalledPartyNumber` (the
 * queue) and the line that answered in `finalCalledPartyNumber` (the agent). The second line
 * of the file, the fields' types, is read as part of the header (formats.ts `findUnderHeader`).
 */
const phone = (column: string) => `regexp_matches(${word(column)}, '^(sep|csf|bot|tct|tab)')`;
const connected = `coalesce(${cell('dateTimeConnect')}, '0') <> '0'`;
const inbound = `NOT ${phone('origDeviceName')}`;

export const CUCM: VendorPreset = {
	id: 'cucm',
	source: 'Cisco Unified CM CDR',
	signature: [
		'cdrRecordType',
		'globalCallID_callId',
		'dateTimeOrigination',
		'dateTimeConnect',
		'dateTimeDisconnect',
		'originalCalledPartyNumber',
		'finalCalledPartyNumber'
	],
	mapping: {
		call_id: 'globalCallID_callId',
		arrival: 'dateTimeOrigination',
		end: 'dateTimeDisconnect',
		talk: 'duration',
		from: 'callingPartyNumber',
		to: 'finalCalledPartyNumber'
	},
	expressions: {
		answer: `CASE WHEN ${connected} THEN ${cell('dateTimeConnect')} END`,
		direction: `CASE WHEN ${inbound} THEN 'Inbound' WHEN ${word('destDeviceName')} <> '' AND NOT ${phone('destDeviceName')} THEN 'Outbound' ELSE 'Internal' END`,
		status: `CASE WHEN ${connected} THEN 'Answered' WHEN ${word('destCause_value')} = '17' THEN 'Busy' ELSE 'No answer' END`,
		agent: `CASE WHEN ${inbound} AND ${connected} THEN ${cell('finalCalledPartyNumber')} END`,
		queue: `CASE WHEN ${inbound} THEN ${cell('originalCalledPartyNumber')} END`
	},
	directionWords: { inbound: 'inbound', outbound: 'outbound', internal: 'internal' },
	statusWords: { answered: 'answered', 'no answer': 'no_answer', busy: 'busy' }
};
