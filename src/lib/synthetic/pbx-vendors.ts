import { HUAWEI_CEC_COLUMNS } from '$lib/imports/calls/vendors/huawei-cec';
import { SMDR_COLUMNS } from '$lib/imports/calls/vendors/smdr';
import { YEASTAR_S_COLUMNS } from '$lib/imports/calls/vendors/yeastar-s';
import { clock, DEPARTMENTS, type GeneratorOptions } from './generate';
import { extension, legFile, LEG_LAYOUTS, type LegCall, type LegFileOptions, type LegLayout, type LegRow, type LegTruth } from './legs';

/**
 * The generated legs (legs.ts) in the call-log exports of named PBX vendors, as
 * docs/pbx-exports.md describes them. Each vendor writes only what its log records: SMDR and
 * CUCM write no ring-no-answer attempts, 3CX and CUCM no voicemail legs, CUCM no transfers (a
 * transfer there is a new global call id). The truth and the counts the quality report should
 * give follow from the legs written (legs.ts `legLines`).
 */
export const PBX_VENDORS = ['3cx', 'yeastar', 'yeastar-s', 'smdr', 'cucm', 'huawei-cec'] as const;
export type PbxVendorId = (typeof PBX_VENDORS)[number];
export const isPbxVendor = (name: string): name is PbxVendorId => (PBX_VENDORS as readonly string[]).includes(name);

const pad = (n: number) => String(n).padStart(2, '0');
const hms = (s: number) => `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
const slashed = (s: number) => clock(s).replace(/-/g, '/');
/** A department's number in a vendor's range of queues (or DDIs, hunt pilots). */
const numbered = (first: number) => (queue: string) => String(first + DEPARTMENTS.indexOf(queue));
/** The caller's leg of an inbound call (the generator writes it first). */
const trunkOf = (call: LegCall) => call.legs[0]!;
const answeredCall = (call: LegCall) => call.truth?.outcome === 'answered';

/* 3CX v20 Call Log report. Queues are numbered 800 up. */
const threeCxAgent = (agent: string) => `${agent} (${extension(agent)})`;
const threeCxQueue = (queue: string) => `${queue} (${numbered(800)(queue)})`;
const THREECX: LegLayout = {
	id: '3cx',
	header: ['Call Time', 'Call ID', 'From', 'To', 'Direction', 'Status', 'Ringing', 'Talking', 'Cost', 'Call Activity Details'],
	delimiter: ',',
	titles: () => [],
	mix: { voicemail: 0 },
	callId: (n) => String(100000 + n),
	writesWait: true,
	agentLabel: threeCxAgent,
	queueLabel: threeCxQueue,
	row: (leg, call) => {
		const caller = trunkOf(call).from;
		// The caller's leg is the `Inbound Queue` segment, its Ringing the time in queue; each agent rung (a transfer too) an `Inbound` one.
		const queued = call.kind === 'inbound' && leg.agent === null;
		const [from, to, direction] =
			call.kind === 'outbound'
				? [threeCxAgent(leg.from), leg.to, 'Outbound']
				: call.kind === 'internal'
					? [threeCxAgent(leg.from), extension(leg.to), 'Internal']
					: queued
						? [caller, threeCxQueue(leg.queue!), 'Inbound Queue']
						: [caller, threeCxAgent(leg.agent!), 'Inbound'];
		const status = (queued ? answeredCall(call) : leg.status === 'answered') ? 'Answered' : 'Unanswered';
		const ring = queued ? leg.wait_s! : leg.ring_s;
		const talk = queued ? (call.truth?.talk_s ?? 0) : leg.talk_s;
		const details = queued ? `Inbound: ${to}` : `${from} → ${to}`;
		return [clock(leg.start), leg.call_id, from, to, direction, status, hms(ring), hms(talk), '0.00', details];
	},
	footer: (_, sums) => [['Totals', '', '', '', '', '', hms(sums.ring_s), hms(sums.talk_s), '0.00', '']]
};

/* Yeastar P-Series CDR. Queues are numbered 6400 up (the P-Series default range). */
const yeastarAgent = (agent: string) => `${agent}<${extension(agent)}>`;
const yeastarQueue = (queue: string) => `${queue}<${numbered(6400)(queue)}>`;
const YEASTAR_WORDS = {
	en: { answered: 'ANSWERED', no_answer: 'NO ANSWER', busy: 'BUSY', voicemail: 'VOICEMAIL', inbound: 'Inbound', outbound: 'Outbound', internal: 'Internal' },
	zh: { answered: '已接', no_answer: '未接', busy: '忙', voicemail: '语音留言', inbound: '呼入', outbound: '呼出', internal: '内部' }
};
const YEASTAR: LegLayout = {
	id: 'yeastar',
	header: [
		'ID',
		'Time',
		'Call From',
		'Call To',
		'Call Duration',
		'Ring Duration',
		'Talk Duration',
		'Status',
		'Reason',
		'Source Trunk',
		'Destination Trunk',
		'Communication Type',
		'DID/DDI',
		'Outbound Caller ID',
		'Caller IP Address',
		'PIN Code',
		'Recording File'
	],
	delimiter: ',',
	titles: () => [],
	callId: (n) => `${1700000000 + n * 7}.${n % 1000}`,
	writesWait: true,
	agentLabel: yeastarAgent,
	queueLabel: yeastarQueue,
	row: (leg, call, file) => {
		const words = YEASTAR_WORDS[file.lang ?? 'en'];
		const inbound = call.kind === 'inbound';
		// The caller's leg and a voicemail leg are written to the queue (`Name<64xx>`); the caller's leg's Ring Duration is the time in queue.
		const queued = inbound && leg.agent === null;
		const answered = queued && leg.status !== 'voicemail' ? answeredCall(call) : leg.status === 'answered';
		const status = leg.status === 'voicemail' ? words.voicemail : answered ? words.answered : leg.status === 'busy' ? words.busy : words.no_answer;
		const from = inbound ? trunkOf(call).from : yeastarAgent(leg.from);
		const to = queued ? yeastarQueue(leg.queue!) : inbound ? yeastarAgent(leg.agent!) : call.kind === 'outbound' ? leg.to : extension(leg.to);
		const ring = queued ? (leg.wait_s ?? 0) : leg.ring_s;
		const talk = queued && leg.status !== 'voicemail' ? (call.truth?.talk_s ?? 0) : leg.talk_s;
		return [
			leg.call_id,
			clock(leg.start),
			from,
			to,
			String(leg.end - leg.start),
			String(ring),
			String(talk),
			status,
			answered ? 'Call Party (External Number)' : '',
			inbound ? 'SIP-Trunk1' : '',
			call.kind === 'outbound' ? 'SIP-Trunk1' : '',
			words[inbound ? 'inbound' : call.kind],
			inbound ? '4008001234' : '',
			'',
			inbound ? '' : '192.168.1.20',
			'',
			''
		];
	},
	footer: () => []
};

/*
 * Yeastar S-Series CDR file (the API's download): one record per call, its columns the API's
 * field names. Inbound calls dial a department's number (`didnumber`, 4008001230 up); the
 * record of an answered one names the extension that answered (`callto`), one not answered the
 * department's queue (6400 up, not read). No attempts and no transfers: the file has no legs.
 */
const yeastarSDid = numbered(4008001230);
const yeastarSQueue = numbered(6400);
const YEASTAR_S_STATUS = { answered: 'ANSWERED', no_answer: 'NOANSWER', busy: 'BUSY', voicemail: 'VOICEMAIL' } as const;
const YEASTAR_S: LegLayout = {
	id: 'yeastar-s',
	header: YEASTAR_S_COLUMNS,
	delimiter: ',',
	titles: () => [],
	mix: { attempts: 0, transfers: 0 },
	callId: (n) => `${1589299528 + n * 7}.${n % 1000}`,
	agentLabel: extension,
	queueLabel: yeastarSDid,
	rows: (call) => {
		const first = call.legs[0]!;
		const last = call.legs[call.legs.length - 1]!;
		const start = clock(first.start);
		const duration = (end: number) => String(end - first.start);
		const record = (from: string, to: string, end: number, talk: number, status: string, type: string, trunks: [string, string], did: string) => [
			first.call_id,
			start,
			from,
			to,
			duration(end),
			String(talk),
			...trunks,
			status,
			type,
			'',
			talk > 0 ? `${start.replace(/\D/g, '')}-${first.call_id}-${from}-${to}-${type}.wav` : '',
			did,
			'369392534749'
		];
		if (call.kind === 'outbound')
			return [
				record(
					extension(first.from),
					first.to,
					first.end,
					first.talk_s,
					YEASTAR_S_STATUS[first.status === 'answered' ? 'answered' : 'no_answer'],
					'Outbound',
					['', 'SIP-Trunk1'],
					''
				)
			];
		if (call.kind === 'internal')
			return [
				record(
					extension(first.from),
					extension(last.to),
					last.end,
					last.talk_s,
					YEASTAR_S_STATUS[last.status === 'answered' ? 'answered' : 'no_answer'],
					'Internal',
					['', ''],
					''
				)
			];
		const ended = Math.max(...call.legs.map((l) => l.end));
		const agent = call.legs.find((l) => l.agent !== null && l.status === 'answered');
		const voicemail = call.legs.find((l) => l.status === 'voicemail');
		const [to, talk, status] = agent
			? [extension(agent.agent!), agent.talk_s, YEASTAR_S_STATUS.answered]
			: [yeastarSQueue(first.queue!), voicemail?.talk_s ?? 0, voicemail ? YEASTAR_S_STATUS.voicemail : YEASTAR_S_STATUS.no_answer];
		return [record(first.from, to, ended, talk, status, 'Inbound', ['SIP-Trunk1', ''], yeastarSDid(first.queue!))];
	},
	footer: () => []
};

/* Avaya IP Office SMDR (17 fields, as the knowledge base's examples). A department's DDI is 5000 up. */
const smdrQueue = numbered(5000);
const SMDR: LegLayout = {
	id: 'smdr',
	header: SMDR_COLUMNS,
	delimiter: ',',
	titles: () => [],
	mix: { attempts: 0 },
	callId: (n) => String(1000014000 + n),
	writesWait: true,
	queueLabel: smdrQueue,
	// A lost call is written with the extension it rang at last, connected 00:00:00: an agent rung who did not answer.
	logged: (call) => {
		if (call.kind !== 'inbound' || answeredCall(call)) return call.legs;
		const [trunk, ...rest] = call.legs;
		const d = DEPARTMENTS.indexOf(trunk!.queue!) + 1;
		const agent = `S${d}-${String((call.n % 60) + 1).padStart(3, '0')}`;
		const lost: LegRow = {
			...trunk!,
			direction: 'queue',
			status: 'no_answer',
			answer: null,
			ring_s: 0,
			talk_s: 0,
			wait_s: null,
			agent,
			from: trunk!.to,
			to: agent
		};
		return [trunk!, lost, ...rest];
	},
	rows: (call) => {
		const trunk = trunkOf(call);
		const start = slashed(trunk.start);
		const continued = (i: number, of: number) => (i < of - 1 ? '1' : '0');
		if (call.kind !== 'inbound')
			return call.legs.map((leg, i) => {
				const internal = call.kind === 'internal';
				const called = internal ? extension(leg.to) : leg.to;
				const other = internal ? [`E${called}`, leg.to] : ['T9001', 'Line 1.1'];
				const caller = extension(leg.from);
				return [
					start,
					hms(leg.talk_s),
					String(leg.ring_s),
					caller,
					'O',
					called,
					called,
					'',
					internal ? '1' : '0',
					leg.call_id,
					continued(i, call.legs.length),
					`E${caller}`,
					leg.from,
					...other,
					'0',
					'0'
				];
			});
		// One record per segment: each agent leg (the one that answered, a transfer's, a lost call's) and voicemail, all with the call's start; Ring Time is the time to answer, on the first.
		const segments = call.legs.filter((l) => l.agent !== null || l.status === 'voicemail');
		const ddi = smdrQueue(trunk.queue!);
		return segments.map((leg, i) => [
			start,
			hms(leg.talk_s),
			String(i === 0 ? trunk.wait_s! : 0),
			trunk.from,
			'I',
			ddi,
			ddi,
			'',
			'0',
			leg.call_id,
			continued(i, segments.length),
			...(leg.status === 'voicemail' ? ['V9501', 'VM Channel 1'] : [`E${extension(leg.agent!)}`, leg.agent!]),
			'T9001',
			'Line 1.1',
			'0',
			'0'
		]);
	},
	footer: () => []
};

/* Cisco UCM CDR flat file: names, then types, then records; UTC epoch seconds. Hunt pilots 5000 up. */
const CUCM_FIELDS: [string, string][] = [
	['cdrRecordType', 'INTEGER'],
	['globalCallID_callManagerId', 'INTEGER'],
	['globalCallID_callId', 'INTEGER'],
	['origLegCallIdentifier', 'INTEGER'],
	['dateTimeOrigination', 'INTEGER'],
	['origNodeId', 'INTEGER'],
	['origSpan', 'INTEGER'],
	['origIpAddr', 'INTEGER'],
	['callingPartyNumber', 'VARCHAR(50)'],
	['callingPartyUnicodeLoginUserID', 'VARCHAR(128)'],
	['origCause_location', 'INTEGER'],
	['origCause_value', 'INTEGER'],
	['origPrecedenceLevel', 'INTEGER'],
	['destLegCallIdentifier', 'INTEGER'],
	['destNodeId', 'INTEGER'],
	['destSpan', 'INTEGER'],
	['destIpAddr', 'INTEGER'],
	['originalCalledPartyNumber', 'VARCHAR(50)'],
	['finalCalledPartyNumber', 'VARCHAR(50)'],
	['finalCalledPartyUnicodeLoginUserID', 'VARCHAR(128)'],
	['destCause_location', 'INTEGER'],
	['destCause_value', 'INTEGER'],
	['destPrecedenceLevel', 'INTEGER'],
	['dateTimeConnect', 'INTEGER'],
	['dateTimeDisconnect', 'INTEGER'],
	['lastRedirectDn', 'VARCHAR(50)'],
	['pkid', 'UNIQUEIDENTIFIER'],
	['originalCalledPartyNumberPartition', 'VARCHAR(50)'],
	['callingPartyNumberPartition', 'VARCHAR(50)'],
	['finalCalledPartyNumberPartition', 'VARCHAR(50)'],
	['lastRedirectDnPartition', 'VARCHAR(50)'],
	['duration', 'INTEGER'],
	['origDeviceName', 'VARCHAR(129)'],
	['destDeviceName', 'VARCHAR(129)']
];
const cucmQueue = numbered(5000);
const phone = (ext: string) => `SEP00AABB${ext.padStart(6, '0')}`;
const CUCM: LegLayout = {
	id: 'cucm',
	header: CUCM_FIELDS.map(([name]) => name),
	underHeader: [CUCM_FIELDS.map(([, type]) => type)],
	delimiter: ',',
	titles: () => [],
	mix: { attempts: 0, transfers: 0, voicemail: 0 },
	callId: (n) => String(1500000 + n),
	agentLabel: extension,
	queueLabel: cucmQueue,
	// One record per call: the leg that connected (an agent's, or an outbound or internal call's), else the first.
	rows: (call, file) => {
		const utc = (s: number) => String(s - (file.utcOffsetSeconds ?? 8 * 3600));
		const inbound = call.kind === 'inbound';
		const first = call.legs[0]!;
		const leg = call.legs.find((l) => (!inbound || l.agent !== null) && l.status === 'answered') ?? first;
		const connected = leg.answer !== null && (!inbound || leg.agent !== null);
		const pilot = inbound ? cucmQueue(first.queue!) : call.kind === 'outbound' ? leg.to : extension(leg.to);
		const final = inbound ? (connected ? extension(leg.agent!) : pilot) : pilot;
		const origDevice = inbound ? 'SIPTrunk-PSTN' : phone(extension(first.from));
		const destDevice = call.kind === 'outbound' ? 'SIPTrunk-PSTN' : connected || !inbound ? phone(final) : '';
		// The caller's hang-up (16) ends an unanswered call; a callee not picking up is 19.
		const destCause = connected ? '16' : inbound ? '0' : '19';
		const values: Record<string, string> = {
			cdrRecordType: '1',
			globalCallID_callManagerId: '1',
			globalCallID_callId: leg.call_id,
			origLegCallIdentifier: String(20000000 + call.n * 2),
			dateTimeOrigination: utc(first.start),
			origNodeId: '1',
			origSpan: '0',
			origIpAddr: '0',
			callingPartyNumber: inbound ? first.from : extension(first.from),
			origCause_location: '0',
			origCause_value: connected ? '0' : '16',
			origPrecedenceLevel: '4',
			destLegCallIdentifier: String(20000001 + call.n * 2),
			destNodeId: '1',
			destSpan: '0',
			destIpAddr: '0',
			originalCalledPartyNumber: pilot,
			finalCalledPartyNumber: final,
			destCause_location: '0',
			destCause_value: destCause,
			destPrecedenceLevel: '4',
			dateTimeConnect: connected ? utc(leg.answer!) : '0',
			dateTimeDisconnect: utc(Math.max(...call.legs.map((l) => l.end))),
			lastRedirectDn: inbound ? pilot : '',
			pkid: `00000000-0000-4000-8000-${String(call.n).padStart(12, '0')}`,
			duration: connected ? String(leg.talk_s) : '0',
			origDeviceName: origDevice,
			destDeviceName: destDevice
		};
		return [CUCM_FIELDS.map(([name]) => values[name] ?? '')];
	},
	footer: () => []
};

/*
 * Huawei Cloud CEC call-record index file (话单录音索引文件定义): no header, the first 21 columns
 * the page lists, one record per device a call passed. The caller's leg is the skill queue's
 * record (device_type 1, its wait the time in queue), each agent rung an agent's (2), voicemail
 * an IVR flow's (3). call_type 0 (普通呼入), 7 (普通呼出), 6 (内部呼叫). Skill queues are numbered
 * 1 up, agents by their extension.
 */
const cecQueue = numbered(1);
const CEC_CALL_TYPE = { inbound: '0', outbound: '7', internal: '6' } as const;
const HUAWEI: LegLayout = {
	id: 'huawei-cec',
	header: HUAWEI_CEC_COLUMNS,
	headerless: true,
	delimiter: ',',
	titles: () => [],
	callId: (n) => `${1678978542 + n * 13}-${n % 1000}`,
	writesWait: true,
	agentLabel: extension,
	queueLabel: cecQueue,
	rows: (call) => {
		const inbound = call.kind === 'inbound';
		const caller = inbound ? trunkOf(call).from : extension(call.legs[0]!.from);
		const devices = call.legs.map((leg): [string, string] =>
			leg.agent !== null ? ['2', extension(leg.agent)] : leg.status === 'voicemail' ? ['3', '9001'] : ['1', cecQueue(leg.queue!)]
		);
		return call.legs.map((leg, i) => {
			const [type, no] = devices[i]!;
			const queued = type === '1';
			const answer = queued || leg.answer === null ? '' : clock(leg.answer);
			const last = i === call.legs.length - 1;
			const callee = inbound ? '4008001234' : call.kind === 'outbound' ? leg.to : extension(leg.to);
			return [
				'synthetic',
				'synthetic',
				'1',
				type === '2' ? no : '',
				leg.call_id,
				caller,
				callee,
				clock(leg.start),
				clock(queued ? leg.start + leg.wait_s! : (leg.answer ?? leg.end)),
				answer,
				answer === '' ? '' : clock(leg.end),
				clock(leg.start),
				clock(leg.end),
				type,
				no,
				CEC_CALL_TYPE[call.kind],
				// The release cause means something on the call's last record only: 0 the flow ended it, 49 the user hung up before an answer.
				last ? (inbound && !answeredCall(call) ? '49' : '0') : '0',
				last ? '-1' : String(i + 1),
				'170',
				i === 0 ? '' : devices[i - 1]![0],
				i === 0 ? '' : devices[i - 1]![1]
			];
		});
	},
	footer: () => []
};

for (const layout of [THREECX, YEASTAR, YEASTAR_S, SMDR, CUCM, HUAWEI]) LEG_LAYOUTS[layout.id] = layout;

/** The whole file in memory with its truth (tests, small runs). */
export function generatePbxLog(options: GeneratorOptions, vendor: PbxVendorId, file: LegFileOptions = {}): { text: string; truth: LegTruth } {
	return legFile(options, vendor, file);
}
