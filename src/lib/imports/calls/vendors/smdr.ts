import { cell, word, type VendorPreset } from './preset';

/**
 * Avaya IP Office SMDR (docs/pbx-exports.md, "Avaya IP Office"): one record per segment, the
 * records of a call sharing `Call ID` (`Continuation` 1 until the last). The file says no
 * direction word of its own beyond I/O: `Is Internal` 1 is internal, `I` inbound, else
 * outbound. A segment is answered when connected (`Connected Time` above 00:00:00), by
 * voicemail when Party1 is a voicemail channel (`V…`); its agent is Party1 when an extension
 * (`E…`). `Ring Time` is the inbound call's time to answer, queueing included: the wait.
 * A lost segment (connected 00:00:00 at an extension) is an extension that rang out.
 */
export const SMDR_COLUMNS = [
	'Call Start',
	'Connected Time',
	'Ring Time',
	'Caller',
	'Direction',
	'Called Number',
	'Dialled Number',
	'Account',
	'Is Internal',
	'Call ID',
	'Continuation',
	'Party1Device',
	'Party1Name',
	'Party2Device',
	'Party2Name',
	'Hold Time',
	'Park Time'
];

const device = word('Party1Device');

export const SMDR: VendorPreset = {
	id: 'smdr',
	source: 'Avaya IP Office SMDR',
	signature: ['Call Start', 'Connected Time', 'Ring Time', 'Caller', 'Direction', 'Called Number', 'Is Internal', 'Call ID', 'Continuation', 'Party1Device'],
	// The SMDR stream itself has no header: a first record of its shape.
	matches: (fields) =>
		fields.length >= 17 &&
		/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}$/.test(fields[0]!.trim()) &&
		/^\d{2}:\d{2}:\d{2}$/.test(fields[1]!.trim()) &&
		/^[IO]$/.test(fields[4]!.trim()) &&
		/^[01]$/.test(fields[10]!.trim()),
	columns: SMDR_COLUMNS,
	mapping: { call_id: 'Call ID', arrival: 'Call Start', talk: 'Connected Time', wait: 'Ring Time', from: 'Caller', to: 'Called Number', hold: 'Hold Time' },
	expressions: {
		direction: `CASE WHEN ${word('Is Internal')} = '1' THEN 'Internal' WHEN ${word('Direction')} = 'i' THEN 'Inbound' ELSE 'Outbound' END`,
		status: `CASE WHEN ${device} LIKE 'v%' THEN 'Voicemail' WHEN coalesce(${cell('Connected Time')}, '00:00:00') <> '00:00:00' THEN 'Answered' ELSE 'No answer' END`,
		agent: `CASE WHEN ${device} LIKE 'e%' THEN coalesce(${cell('Party1Name')}, ${cell('Party1Device')}) END`,
		queue: `CASE WHEN ${word('Direction')} = 'i' THEN ${cell('Called Number')} END`
	},
	directionWords: { inbound: 'inbound', outbound: 'outbound', internal: 'internal' },
	statusWords: { answered: 'answered', 'no answer': 'no_answer', voicemail: 'voicemail' }
};
