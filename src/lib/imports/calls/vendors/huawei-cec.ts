import { cell, word, type VendorPreset } from './preset';

/**
 * Huawei Cloud contact center (云客服, CEC) call-record file, "话单录音索引文件定义"
 * (docs/pbx-exports.md, "Huawei Cloud CEC"): `…_call_N.csv`, one record per device a call passed
 * (a skill queue, an agent, an IVR flow), the records of a call sharing `call_id`, numbered by
 * `call_id_num` (−1 on the last). The page lists the columns by position; the first 21 are
 * these (the export may write more after them, read as `column22` … and not used).
 * Times are `YYYY-MM-DD hh:mm:ss`; `ack_begin` is empty when the device never answered.
 */
export const HUAWEI_CEC_COLUMNS = [
	'developer',
	'account_id',
	'cc_id',
	'agent_id',
	'call_id',
	'caller_no',
	'callee_no',
	'wait_begin',
	'wait_end',
	'ack_begin',
	'ack_end',
	'call_begin',
	'call_end',
	'device_type',
	'device_no',
	'call_type',
	'release_cause',
	'call_id_num',
	'vdn_id',
	'pre_device_type',
	'pre_device_no'
];

/** device_type: 1 skill queue, 2 agent, 3 IVR flow. */
const device = word('device_type');
const stamp = (column: string) => `try_strptime(${cell(column)}, '%Y-%m-%d %H:%M:%S')`;
const timeLike = (s: string | undefined) => s !== undefined && /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})?$/.test(s.trim());

/**
 * call_type codes of the call-record index ("呼叫类型说明(话单索引)", cec_07_0840 / cec_07_2635):
 * the codes whose 呼叫方式 is 呼入 are inbound, INTER_CALL (6) is an agent calling an agent,
 * the other codes read there (呼出) outbound. A code not listed stops the import for the user
 * to assign it.
 */
const INBOUND_CODES = ['0', '1', '5', '13', '15', '17', '21', '30', '32', '33'];
const OUTBOUND_CODES = ['2', '3', '4', '7', '8', '9', '10', '11', '12', '14', '16', '18', '20', '22', '23', '31', '34', '35'];

export const HUAWEI_CEC: VendorPreset = {
	id: 'huawei-cec',
	source: 'Huawei Cloud CEC call-record index file (话单录音索引文件定义)',
	signature: ['call_id', 'wait_begin', 'wait_end', 'ack_begin', 'ack_end', 'call_begin', 'call_end', 'device_type', 'device_no', 'call_id_num'],
	// The index file has no header: a first record of its shape.
	matches: (fields) =>
		fields.length >= HUAWEI_CEC_COLUMNS.length &&
		[7, 8, 9, 10, 11, 12].every((i) => timeLike(fields[i])) &&
		/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(fields[11]!.trim()) &&
		/^[123]$/.test(fields[13]!.trim()) &&
		/^\d+$/.test(fields[15]!.trim()) &&
		/^-?\d+$/.test(fields[17]!.trim()),
	columns: HUAWEI_CEC_COLUMNS,
	mapping: { call_id: 'call_id', arrival: 'call_begin', answer: 'ack_begin', end: 'call_end', direction: 'call_type', from: 'caller_no', to: 'callee_no' },
	expressions: {
		status: `CASE WHEN ${device} = '3' THEN 'IVR' WHEN ${cell('ack_begin')} IS NOT NULL THEN 'Answered' ELSE 'No answer' END`,
		agent: `CASE WHEN ${device} = '2' THEN ${cell('device_no')} END`,
		queue: `CASE WHEN ${device} = '1' THEN ${cell('device_no')} END`,
		// A skill queue's record: its wait, the caller's time in queue.
		wait: `CASE WHEN ${device} = '1' THEN CAST(date_diff('second', ${stamp('wait_begin')}, ${stamp('wait_end')}) AS VARCHAR) END`
	},
	directionWords: {
		...Object.fromEntries(INBOUND_CODES.map((code) => [code, 'inbound' as const])),
		...Object.fromEntries(OUTBOUND_CODES.map((code) => [code, 'outbound' as const])),
		'6': 'internal'
	},
	statusWords: { answered: 'answered', 'no answer': 'no_answer', ivr: 'ivr' }
};
