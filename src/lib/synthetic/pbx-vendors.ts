import { clock, type GeneratorOptions } from './generate';
import { pbxCalls, type PbxAgent, type PbxCall, type PbxLeg, type PbxLegOptions, type PbxQueue } from './pbx-legs';

/**
 * The generated legs (`pbx-legs.ts`) in the call-log exports of named PBX vendors, as
 * docs/pbx-exports.md describes them, with the per-call truth the import should agree with and
 * the counts its quality report should give. Each vendor writes only what its log records:
 * SMDR and CUCM write no ring-no-answer attempts, 3CX and CUCM no voicemail legs, CUCM no
 * transfers (a transfer there is a new global call id).
 */
export const PBX_VENDORS = ['3cx', 'yeastar', 'smdr', 'cucm'] as const;
export type PbxVendorId = (typeof PBX_VENDORS)[number];
export const isPbxVendor = (name: string): name is PbxVendorId => (PBX_VENDORS as readonly string[]).includes(name);

export interface PbxCallTruth {
	call_id: string;
	arrival: string;
	outcome: 'answered' | 'abandoned' | 'unanswered' | 'other';
	agent: string | null;
	queue: string | null;
	wait_s: number | null;
	talk_s: number | null;
}

export interface PbxTruth {
	vendor: PbxVendorId;
	/** Inbound calls, as the import should give them, in order of arrival in the file. */
	calls: PbxCallTruth[];
	/** Leg rows written (not the header, title or footer lines). */
	legs: number;
	/** Legs merged into calls: each call's legs but one. */
	merged: number;
	attempts: number;
	transfers: number;
	outbound: number;
	internal: number;
	/** Calls answered by voicemail only. */
	voicemail: number;
	titleRows: number;
	footerRows: number;
}

export interface PbxFileOptions {
	/** Yeastar: status and type words in the Chinese UI's words. */
	lang?: 'en' | 'zh';
	/** CUCM: the PBX's offset from UTC (its times are UTC epoch seconds); the app's default, +8 h. */
	utcOffsetSeconds?: number;
}

interface Vendor {
	what: PbxLegOptions;
	header: string[];
	/** Lines above the records (CUCM's line of types). */
	before: (header: string[]) => string[][];
	callId: (n: number) => string;
	rows: (call: PbxCall, id: string, file: PbxFileOptions) => string[][];
	agentLabel: (agent: PbxAgent) => string;
	queueLabel: (queue: PbxQueue) => string;
	footer: (calls: PbxCall[]) => string[][];
}

const pad = (n: number) => String(n).padStart(2, '0');
const hms = (s: number) => `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
const slashed = (s: number) => clock(s).replace(/-/g, '/');

/* 3CX v20 Call Log report. */
const threeCxAgent = (a: PbxAgent) => `${a.name} (${a.ext})`;
const threeCxQueue = (q: PbxQueue) => `${q.name} (${800 + q.index})`;
const THREECX: Vendor = {
	what: { attempts: true, transfers: true, voicemail: false },
	header: ['Call Time', 'Call ID', 'From', 'To', 'Direction', 'Status', 'Ringing', 'Talking', 'Cost', 'Call Activity Details'],
	before: () => [],
	callId: (n) => String(100000 + n),
	rows: (call, id) =>
		call.legs.map((leg) => {
			const status = leg.answer !== null ? 'Answered' : 'Unanswered';
			const [from, to, direction] =
				leg.role === 'queue'
					? [leg.from, threeCxQueue(leg.queue!), 'Inbound Queue']
					: leg.role === 'agent'
						? [leg.from, threeCxAgent(leg.agent!), 'Inbound']
						: leg.role === 'outbound'
							? [threeCxAgent(leg.agent!), leg.to, 'Outbound']
							: [threeCxAgent(leg.agent!), `${leg.to}`, 'Internal'];
			const details = leg.role === 'queue' ? `Inbound: ${to}` : `${from} → ${to}`;
			return [clock(leg.start), id, from, to, direction, status, hms(leg.ring_s), hms(leg.talk_s), '0.00', details];
		}),
	agentLabel: threeCxAgent,
	queueLabel: threeCxQueue,
	footer: (calls) => {
		const legs = calls.flatMap((c) => c.legs);
		const sum = (f: (l: PbxLeg) => number) => legs.reduce((a, l) => a + f(l), 0);
		return [['Totals', '', '', '', '', '', hms(sum((l) => l.ring_s)), hms(sum((l) => l.talk_s)), '0.00', '']];
	}
};

/* Yeastar P-Series CDR. Queues are numbered 6400 up (the P-Series default range). */
const yeastarAgent = (a: PbxAgent) => `${a.name}<${a.ext}>`;
const yeastarQueue = (q: PbxQueue) => `${q.name}<${6400 + q.index}>`;
const YEASTAR_WORDS = {
	en: { answered: 'ANSWERED', no_answer: 'NO ANSWER', voicemail: 'VOICEMAIL', Inbound: 'Inbound', Outbound: 'Outbound', Internal: 'Internal' },
	zh: { answered: '已接', no_answer: '未接', voicemail: '语音留言', Inbound: '呼入', Outbound: '呼出', Internal: '内部' }
};
const YEASTAR: Vendor = {
	what: { attempts: true, transfers: true, voicemail: true },
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
	before: () => [],
	callId: (n) => `${1700000000 + n * 7}.${n % 1000}`,
	rows: (call, id, file) => {
		const words = YEASTAR_WORDS[file.lang ?? 'en'];
		return call.legs.map((leg) => {
			const status = leg.role === 'voicemail' ? words.voicemail : leg.answer !== null ? words.answered : words.no_answer;
			const to =
				leg.role === 'queue' || leg.role === 'voicemail'
					? yeastarQueue(leg.queue!)
					: leg.role === 'outbound'
						? leg.to
						: leg.role === 'internal'
							? leg.to
							: yeastarAgent(leg.agent!);
			const from = leg.role === 'outbound' || leg.role === 'internal' ? yeastarAgent(leg.agent!) : leg.from;
			const type = leg.role === 'outbound' ? words.Outbound : leg.role === 'internal' ? words.Internal : words.Inbound;
			const inbound = call.kind === 'inbound';
			return [
				id,
				clock(leg.start),
				from,
				to,
				String(leg.end - leg.start),
				String(leg.ring_s),
				String(leg.talk_s),
				status,
				leg.answer !== null ? 'Call Party (External Number)' : '',
				inbound ? 'SIP-Trunk1' : '',
				leg.role === 'outbound' ? 'SIP-Trunk1' : '',
				type,
				inbound ? '4008001234' : '',
				'',
				inbound ? '' : '192.168.1.20',
				'',
				''
			];
		});
	},
	agentLabel: yeastarAgent,
	queueLabel: yeastarQueue,
	footer: () => []
};

/* Avaya IP Office SMDR (17 fields, as the knowledge base's examples). A department's DDI is 5000 up. */
const smdrQueue = (q: PbxQueue) => String(5000 + q.index);
const SMDR: Vendor = {
	what: { attempts: false, transfers: true, voicemail: true },
	header: [
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
	],
	before: () => [],
	callId: (n) => String(1000014000 + n),
	rows: (call, id) => {
		const start = slashed(call.arrival);
		if (call.kind !== 'inbound') {
			const leg = call.legs[0]!;
			const internal = call.kind === 'internal';
			const other = internal ? [`E${leg.to}`, `S${leg.to[0]}-${leg.to.slice(1)}`] : ['T9001', 'Line 1.1'];
			return [
				[
					start,
					hms(leg.talk_s),
					String(leg.ring_s),
					leg.from,
					'O',
					leg.to,
					leg.to,
					'',
					internal ? '1' : '0',
					id,
					'0',
					`E${leg.agent!.ext}`,
					leg.agent!.name,
					...other,
					'0',
					'0'
				]
			];
		}
		// One record per segment: the agent who answered (or the extension that rang out), then a
		// transfer's or voicemail's segment; all with the call's start, the last with Continuation 0.
		const queue = call.legs[0]!;
		const ddi = smdrQueue(queue.queue!);
		const answered = call.legs.filter((l) => (l.role === 'agent' && l.answer !== null) || l.role === 'voicemail');
		// A lost call is written with the extension it rang at last, connected 00:00:00.
		const lost: PbxLeg = {
			...queue,
			role: 'agent',
			answer: null,
			talk_s: 0,
			agent: {
				name: `S${queue.queue!.index + 1}-${String((call.n % 60) + 1).padStart(3, '0')}`,
				ext: `${queue.queue!.index + 1}${String((call.n % 60) + 1).padStart(3, '0')}`
			}
		};
		const segments = call.call!.answer === null ? [lost, ...answered] : answered;
		const records = segments.map((leg, i) => {
			const device = leg.role === 'voicemail' ? ['V9501', 'VM Channel 1'] : [`E${leg.agent!.ext}`, leg.agent!.name];
			const ring = i === 0 ? queue.ring_s : 0;
			return [
				start,
				hms(leg.talk_s),
				String(ring),
				queue.from,
				'I',
				ddi,
				ddi,
				'',
				'0',
				id,
				i < segments.length - 1 ? '1' : '0',
				...device,
				'T9001',
				'Line 1.1',
				'0',
				'0'
			];
		});
		return records;
	},
	agentLabel: (a) => a.name,
	queueLabel: smdrQueue,
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
const cucmQueue = (q: PbxQueue) => String(5000 + q.index);
const phone = (ext: string) => `SEP00AABB${ext.padStart(6, '0')}`;
const CUCM: Vendor = {
	what: { attempts: false, transfers: false, voicemail: false },
	header: CUCM_FIELDS.map(([name]) => name),
	before: () => [CUCM_FIELDS.map(([, type]) => type)],
	callId: (n) => String(1500000 + n),
	rows: (call, id, file) => {
		const utc = (s: number) => String(s - (file.utcOffsetSeconds ?? 8 * 3600));
		const leg = call.kind === 'inbound' ? (call.legs.find((l) => l.role === 'agent' && l.answer !== null) ?? call.legs[0]!) : call.legs[0]!;
		const inbound = call.kind === 'inbound';
		const pilot = inbound ? cucmQueue(call.legs[0]!.queue!) : leg.to;
		const connected = leg.answer !== null;
		const final = inbound ? (connected ? leg.agent!.ext : pilot) : leg.to;
		const origDevice = inbound ? 'SIPTrunk-PSTN' : phone(leg.agent!.ext);
		const destDevice = call.kind === 'outbound' ? 'SIPTrunk-PSTN' : connected || !inbound ? phone(final) : '';
		const caller = inbound ? leg.from : leg.agent!.ext;
		// The caller's hang-up (16) ends an unanswered call; a callee not picking up is 19.
		const destCause = connected ? '16' : inbound ? '0' : '19';
		const values: Record<string, string> = {
			cdrRecordType: '1',
			globalCallID_callManagerId: '1',
			globalCallID_callId: id,
			origLegCallIdentifier: String(20000000 + call.n * 2),
			dateTimeOrigination: utc(call.arrival),
			origNodeId: '1',
			origSpan: '0',
			origIpAddr: '0',
			callingPartyNumber: caller,
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
			dateTimeDisconnect: utc(call.legs.reduce((a, l) => Math.max(a, l.end), 0)),
			lastRedirectDn: inbound ? pilot : '',
			pkid: `00000000-0000-4000-8000-${String(call.n).padStart(12, '0')}`,
			duration: connected ? String(leg.talk_s) : '0',
			origDeviceName: origDevice,
			destDeviceName: destDevice
		};
		return [CUCM_FIELDS.map(([name]) => values[name] ?? '')];
	},
	agentLabel: (a) => a.ext,
	queueLabel: cucmQueue,
	footer: () => []
};

const VENDORS: Record<PbxVendorId, Vendor> = { '3cx': THREECX, yeastar: YEASTAR, smdr: SMDR, cucm: CUCM };

/** What the import should make of one inbound call (docs: the leg rules of LEGS-CONTRACT, section 4). */
function callTruth(vendor: Vendor, call: PbxCall, id: string): PbxCallTruth {
	const c = call.call!;
	const answered = c.answer !== null;
	const queue = vendor.queueLabel(call.legs[0]!.queue!);
	if (answered)
		return {
			call_id: id,
			arrival: clock(call.arrival),
			outcome: 'answered',
			agent: vendor.agentLabel(call.legs.find((l) => l.role === 'agent' && l.answer !== null)!.agent!),
			queue,
			wait_s: c.wait_s,
			talk_s: c.talk_s
		};
	// Voicemail is no agent's answer: unanswered when an agent rang (SMDR's lost segment, an attempt), else other.
	const rang = call.legs.some((l) => l.role === 'agent') || (call.voicemail && vendor === SMDR);
	const outcome = call.voicemail ? (rang ? 'unanswered' : 'other') : 'abandoned';
	return { call_id: id, arrival: clock(call.arrival), outcome, agent: null, queue, wait_s: c.wait_s, talk_s: null };
}

const csvField = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const csvLine = (fields: string[]) => fields.map(csvField).join(',') + '\n';

export const emptyPbxTruth = (vendor: PbxVendorId): PbxTruth => ({
	vendor,
	calls: [],
	legs: 0,
	merged: 0,
	attempts: 0,
	transfers: 0,
	outbound: 0,
	internal: 0,
	voicemail: 0,
	titleRows: 0,
	footerRows: 0
});

/** The file's lines, each with its line end; the truth is filled as they are written. */
export function* pbxLines(options: GeneratorOptions, vendorId: PbxVendorId, file: PbxFileOptions, truth: PbxTruth): Generator<string> {
	if (!isPbxVendor(vendorId)) throw new Error(`unknown PBX vendor ${vendorId} (vendors: ${PBX_VENDORS.join(', ')})`);
	const vendor = VENDORS[vendorId];
	yield csvLine(vendor.header);
	for (const line of vendor.before(vendor.header)) {
		truth.titleRows++;
		yield csvLine(line);
	}
	// The totals footer needs every call: kept only for a vendor that writes one.
	const kept: PbxCall[] = [];
	const footer = vendor.footer([]).length > 0;
	for (const call of pbxCalls(options, vendor.what)) {
		const id = vendor.callId(call.n);
		const rows = vendor.rows(call, id, file);
		for (const row of rows) yield csvLine(row);
		truth.legs += rows.length;
		truth.merged += rows.length - 1;
		if (call.kind === 'outbound') truth.outbound++;
		else if (call.kind === 'internal') truth.internal++;
		else {
			truth.calls.push(callTruth(vendor, call, id));
			// SMDR writes the extension that rang out on a lost call: read as an attempt.
			const lost = vendor === SMDR && call.call!.answer === null ? 1 : 0;
			truth.attempts += call.attempts + lost;
			truth.transfers += call.transfers;
			if (call.voicemail) truth.voicemail++;
		}
		if (footer) kept.push(call);
	}
	for (const row of vendor.footer(kept)) {
		truth.footerRows++;
		yield csvLine(row);
	}
}

/** The whole file in memory with its truth (tests, small runs). */
export function generatePbxLog(options: GeneratorOptions, vendor: PbxVendorId, file: PbxFileOptions = {}): { text: string; truth: PbxTruth } {
	const truth = emptyPbxTruth(vendor);
	return { text: [...pbxLines(options, vendor, file, truth)].join(''), truth };
}
