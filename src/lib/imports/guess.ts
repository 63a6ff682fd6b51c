import type { Mapping, MappableField } from './canonical';
import { legWord } from './leg-values';

/**
 * A mapping guessed from a file's header (English and Chinese names used by call-center
 * exports, BI tutorial datasets, CRM and ACD reports) and checked against the first rows'
 * values, each guess with its reason and three sample values, so the user sees why.
 */

/** A name compared loosely: lower case, letters and digits only (`Answered (Y/N)` → `answeredyn`). */
export const plainName = (name: string) => name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

interface FieldNames {
	/** Whole names (plain). */
	exact: string[];
	/** Parts of a name (plain), weaker than a whole name. */
	parts: string[];
}

const NAMES: Record<MappableField, FieldNames> = {
	call_id: {
		exact: [
			'callid',
			'id',
			'uniqueid',
			'uuid',
			'callreference',
			'callref',
			'contactid',
			'interactionid',
			'呼叫编号',
			'通话编号',
			'流水号',
			'呼叫id',
			'通话id',
			'记录编号',
			...['sessionid', 'session', 'callsessionid', 'linkedid', '会话id', 'idllamada', 'iddallamada', 'iddachamada']
		],
		parts: ['callid', 'contactid', '编号']
	},
	queue: {
		exact: [
			'queue',
			'queuename',
			'department',
			'dept',
			'skill',
			'skillgroup',
			'group',
			'split',
			'csq',
			'callcenter',
			'部门',
			'队列',
			'技能组',
			'座席组',
			'坐席组',
			'业务组'
		],
		parts: ['queue', 'skill', 'department', '技能组', '队列', '部门']
	},
	agent: {
		exact: [
			...['agent', 'agentname', 'agentid', 'agentcode', 'server', 'operator', 'extension', 'ext', 'representative', 'rep', 'employee', 'member', 'membername'],
			...['坐席', '座席', '工号', '客服', '坐席工号', '座席工号', '坐席姓名', '座席姓名', '分机', '分机号', '座席员']
		],
		parts: ['agent', '坐席', '座席', '工号']
	},
	// A timestamp column holding dates alone is the date (its times are not in the file).
	date: { exact: ['date', 'calldate', 'day', 'callday', '日期', '来电日期', '呼入日期', '通话日期'], parts: ['date', '日期', 'timestamp'] },
	arrival: {
		exact: [
			...[
				'arrival',
				'arrivaltime',
				'start',
				'starttime',
				'calltime',
				'time',
				'callstart',
				'callstarted',
				'callstarttime',
				'calltimestamp',
				'timestamp',
				'datetime'
			],
			...['entertime', 'queuestart', 'queueentry', 'offered', 'offertime', 'startstamp', 'begin', 'begintime'],
			...['来电时间', '进线时间', '开始时间', '呼入时间', '时间', '呼叫时间']
		],
		parts: ['started', 'arriv', 'starttime', 'calltime', 'incoming', 'timestamp', '来电', '呼入']
	},
	answer: {
		exact: [
			...[
				'answer',
				'answertime',
				'answered',
				'answeredat',
				'timeanswered',
				'callanswered',
				'answeredtime',
				'connecttime',
				'connected',
				'serstart',
				'pickuptime',
				'answerstamp'
			],
			...['应答时间', '接听时间', '接通时间']
		],
		parts: ['answered', 'answertime', '应答时间', '接听时间', '接通时间']
	},
	end: {
		exact: [
			...['end', 'endtime', 'ended', 'endedat', 'callended', 'callend', 'timeended', 'hangup', 'hanguptime', 'disconnecttime', 'endstamp', 'finish'],
			...['结束时间', '挂机时间']
		],
		parts: ['ended', 'endtime', 'hangup', '结束', '挂机']
	},
	wait: {
		exact: [
			...[
				'wait',
				'waits',
				'waittime',
				'waitseconds',
				'waitlength',
				'queuetime',
				'qtime',
				'speedofanswer',
				'speedofanswerinseconds',
				'asa',
				'timeinqueue',
				'holdtime_queue'
			],
			...['等待时长', '排队时长', '等待时间', '排队时间', '应答速度', '应答时长']
		],
		parts: ['speedofanswer', 'wait', 'inqueue', '排队', '等待']
	},
	talk: {
		exact: [
			...['talk', 'talks', 'talktime', 'talkseconds', 'talkduration', 'avgtalkduration', 'billsec', 'sertime', 'duration', 'callduration', 'servicelength'],
			...['servicetime', 'handletime', 'handlingtime', 'conversationtime', '通话时长', '通话时间', '处理时长']
		],
		parts: ['talk', 'servicelength', 'handletime', 'conversation', '通话时长']
	},
	hold: { exact: ['hold', 'holds', 'holdtime', 'holdseconds', 'holdduration', '保持时长'], parts: ['hold', '保持'] },
	wrap: {
		exact: ['wrap', 'wraps', 'wraptime', 'wrapup', 'wrapuptime', 'acw', 'aftercallwork', '话后处理时长', '整理时长', '话后时长'],
		parts: ['wrap', 'aftercall', '话后']
	},
	outcome: {
		exact: [
			...['outcome', 'result', 'status', 'disposition', 'callresult', 'calloutcome', 'callstatus', 'answeredyn', 'isanswered', 'callanswered'],
			...['结果', '呼叫结果', '状态', '接听状态', '是否接听', '是否接通', '通话结果', '处理结果']
		],
		// A flag of the calls not answered (`Abandoned` Y/N) is an outcome too: its yes means abandoned (outcome-values.ts).
		parts: ['outcome', 'status', 'disposition', 'result', 'answeredyn', 'abandoned', 'missed', '结果', '状态', '是否接', '是否放弃']
	},
	// The caller's number. Names such as `Caller` or `主叫号码` are guessed as `from`, which a
	// one-row-per-call export reads as its caller too (calls/mapped.ts).
	caller: {
		exact: [
			'callingnumber',
			'customernumber',
			'customerphone',
			'phonenumber',
			'phone',
			'telephone',
			'mobile',
			'客户号码',
			'客户电话',
			'电话号码',
			'手机号',
			'联系电话'
		],
		parts: ['callingnumber', '客户号码', '客户电话']
	},
	// A leg log's own fields. `status` here is a leg's; a column named `Status` is guessed as the
	// outcome and becomes the leg status when the file also has a call id and a direction (settleLegs).
	direction: {
		exact: [
			...['direction', 'calldirection', 'type', 'calltype', 'inout', 'inboundoutbound', 'legdirection'],
			...['呼叫方向', '方向', '呼叫类型', '通话类型', 'dirección', 'direccion', 'sentido', 'tipo', 'tipodellamada', 'tipodechamada']
		],
		parts: ['direction', '方向']
	},
	status: { exact: ['legstatus', 'segmentstatus', '通话段状态'], parts: [] },
	ring: {
		exact: ['ring', 'ringing', 'ringtime', 'ringduration', 'ringingtime', 'ringingduration', 'ringseconds', '振铃时长', '振铃时间', '响铃时长', 'timbrado'],
		parts: ['ringing', 'ringtime', '振铃', '响铃']
	},
	from: {
		exact: ['from', 'caller', 'callfrom', 'callernumber', 'callerid', 'src', 'source', 'ani', 'origin', '主叫', '主叫号码', '来电号码', 'origen', 'de'],
		parts: ['caller', '主叫']
	},
	to: {
		exact: ['to', 'callto', 'callee', 'destination', 'dst', 'dnis', 'callednumber', 'calledparty', '被叫', '被叫号码', 'destino', 'para'],
		parts: ['callee', 'callednumber', '被叫']
	}
};

/** Why a column was guessed for a field. */
export type GuessReason = 'name' | 'name_part' | 'values';

export interface Guess {
	field: MappableField;
	column: string;
	reason: GuessReason;
	/** The name or part that matched (plain). */
	matched: string;
	/** Up to three values of the column from the file's first rows. */
	samples: string[];
}

const FLAG = /^(y|n|yes|no|true|false|t|f|0|1|是|否)$/i;
const TIME_LIKE = /\d{1,2}:\d{2}|^\d+(\.\d+)?$/;
/** Values that are a date and a time together (`2021-01-01 09:12:58`, `1/1/2021 8:02 AM`). */
const DATE_AND_TIME = /\d[-/.年]\d.*\s+.*\d{1,2}:\d{2}/;

/**
 * Does a column's values fit the field? Times and durations need digits, an outcome a few
 * words or flags (a column `Answered` holding `Y`/`N` is the outcome, not the answer time).
 */
function fits(field: MappableField, samples: string[]): boolean {
	if (!samples.length) return true;
	switch (field) {
		case 'answer':
		case 'end':
		case 'arrival':
		case 'wait':
		case 'talk':
		case 'hold':
		case 'wrap':
			return samples.some((s) => TIME_LIKE.test(s)) && !samples.every((s) => FLAG.test(s) && !/^\d+$/.test(s));
		case 'date':
			return samples.some((s) => /\d/.test(s)) && !samples.every((s) => /^\d{1,2}:\d{2}/.test(s));
		case 'outcome':
			return !samples.every((s) => /\d{1,2}:\d{2}/.test(s));
		case 'ring':
			return samples.some((s) => TIME_LIKE.test(s));
		// A direction or leg status column writes known words (a `Type` of other values is something else).
		case 'direction':
			return samples.some((s) => legWord('direction', s) !== null);
		case 'status':
			return samples.some((s) => legWord('status', s) !== null);
		default:
			return true;
	}
}

/** Guesses every field it can, strongest first: a whole name beats a part of one; a column serves one field. */
export function guessMapping(columns: string[], preview: string[][]): Guess[] {
	const samplesOf = (i: number) =>
		preview
			.map((row) => (row[i] ?? '').trim())
			.filter((v) => v !== '')
			.slice(0, 3);
	const candidates: (Guess & { score: number })[] = [];
	columns.forEach((column, i) => {
		const plain = plainName(column);
		if (!plain) return;
		const samples = samplesOf(i);
		for (const [field, names] of Object.entries(NAMES) as [MappableField, FieldNames][]) {
			if (!fits(field, samples)) continue;
			if (names.exact.includes(plain)) candidates.push({ field, column, reason: 'name', matched: plain, samples, score: 2 });
			else {
				const part = names.parts.find((p) => plain.includes(p));
				if (part) candidates.push({ field, column, reason: 'name_part', matched: part, samples, score: 1 });
			}
		}
	});
	candidates.sort((a, b) => b.score - a.score || columns.indexOf(a.column) - columns.indexOf(b.column));
	const guesses: Guess[] = [];
	for (const { score: _, ...c } of candidates) {
		if (guesses.some((g) => g.field === c.field || g.column === c.column)) continue;
		guesses.push(c);
	}
	return settleLegs(settleDateAndTime(guesses));
}

/** Names of a status column (`Status`, `Call Status`, `状态`, `Disposition`), as opposed to a result or a flag. */
const STATUS_NAME = /status|disposition|状态/;

/**
 * With a call id and a direction, the file is a leg log: its status column is each leg's status,
 * not a call's outcome — by its name even when its words are not known ones (the import then
 * asks for them), or by known status words under another name.
 */
function settleLegs(guesses: Guess[]): Guess[] {
	const has = (field: MappableField) => guesses.some((g) => g.field === field);
	const outcome = guesses.find((g) => g.field === 'outcome');
	if (!has('call_id') || !has('direction') || has('status') || !outcome) return guesses;
	if (STATUS_NAME.test(plainName(outcome.column)) || outcome.samples.some((s) => legWord('status', s) !== null)) outcome.field = 'status';
	return guesses;
}

/** A `Date` column holding dates with times (and no other column for the arrival) is the arrival itself. */
function settleDateAndTime(guesses: Guess[]): Guess[] {
	const date = guesses.find((g) => g.field === 'date');
	const arrival = guesses.find((g) => g.field === 'arrival');
	if (date && !arrival && date.samples.some((s) => DATE_AND_TIME.test(s) && !/\s0?0:00(:00)?$/.test(s))) date.field = 'arrival';
	return guesses;
}

/** The guesses as a mapping. */
export function mappingOf(guesses: Guess[]): Mapping {
	return Object.fromEntries(guesses.map((g) => [g.field, g.column]));
}
