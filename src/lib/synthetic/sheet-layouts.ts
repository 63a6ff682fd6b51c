import { randomLcg } from 'd3';
import { AGENTS_PER_DEPARTMENT, clock, DEPARTMENTS, type CallTruth, type SyntheticCall } from './generate';

/**
 * The per-call spreadsheet layouts managers bring: from BI tutorials, CRM and ACD exports, and
 * the same files after a round trip through pandas. Each layout turns a generated call into one
 * row of cells (or leaves it out) and says what the app should import from that row. A cell
 * carries both its CSV text and its Excel value and number format, so the CSV and the workbook
 * of a layout hold the same figures.
 *
 * Durations a layout writes are those its times would give: talk is end − answer (the call's
 * talk and hold together), wait is answer − arrival (or end − arrival for an abandoned call).
 */
export const SHEET_LAYOUTS = ['split-datetime', 'durations-only', 'flag-outcome', 'twelve-hour', 'placeholder-dates', 'business-outcome', 'chinese'] as const;
export type SheetLayoutId = (typeof SHEET_LAYOUTS)[number];

/** One cell: its text in a CSV, its value in a workbook (numbers for dates, times and durations, as Excel stores them). */
export interface SheetCell {
	text: string;
	value: string | number | boolean | null;
	numFmt?: string;
}

/** One call as the app should import it from a layout's row. */
export interface SheetCallTruth extends Omit<CallTruth, 'queue' | 'outcome' | 'wait_s'> {
	/** The layout's id, or `file:line` where the layout has none (as the importer names such rows). */
	call_id: string;
	/** Null where the layout has no queue column. */
	queue: string | null;
	/** Null where the layout has no agent column or the call was not answered. */
	agent: string | null;
	outcome: 'answered' | 'abandoned';
	/** Null where the layout cannot say it (an abandoned call in a layout that only gives the speed of answer). */
	wait_s: number | null;
	/** Local 'YYYY-MM-DD HH:MM:SS'. */
	arrival: string;
	/** The row's line in the CSV, or its row number in the worksheet (1-based, titles and header counted). */
	line: number;
}

/** What a layout makes of one call. */
export interface LayoutRow {
	cells: SheetCell[];
	truth: Omit<SheetCallTruth, 'arrival' | 'line' | 'call_id'> & { call_id: string | null };
}

/** The layout's own random draws (topics, ratings, call results): seeded from the seed, never touching the calls. */
export interface LayoutRandom {
	chance(p: number): boolean;
	between(lo: number, hi: number): number;
	pick<T>(xs: readonly T[]): T;
}

export function layoutRandom(seed: number): LayoutRandom {
	const source = randomLcg(((seed ^ 0x2c1b3c6d) >>> 0) / 2 ** 32);
	const between = (lo: number, hi: number) => lo + Math.floor(source() * (hi - lo + 1));
	return { chance: (p) => source() < p, between, pick: (xs) => xs[Math.floor(source() * xs.length)]! };
}

interface LayoutState {
	random: LayoutRandom;
	/** Calls written so far, this one not included. */
	written: number;
	/** Calls written so far per day ('YYYY-MM-DD'). */
	perDay: Map<string, number>;
}

export interface SheetLayout {
	header: string[];
	/** The two title rows a report puts above the header. */
	titles: (generated: string) => [string, string];
	sheetName: string;
	/** The call's row, or null when the layout leaves the call out. */
	row(call: SyntheticCall, state: LayoutState): LayoutRow | null;
}

/* ───────────── Text forms of times (wall-clock seconds, read in UTC terms) ───────────── */

const DAY = 86_400;
/** Excel's serial day of 1970-01-01 (the 1900 date system). */
const EXCEL_EPOCH = 25_569;
const pad = (n: number) => String(n).padStart(2, '0');
const ofDay = (s: number) => ((s % DAY) + DAY) % DAY;

export const isoDate = (s: number) => clock(s).slice(0, 10);
/** '2021/1/1', as a Chinese-locale spreadsheet shows a date. */
export function slashDate(s: number): string {
	const d = new Date(s * 1000);
	return `${d.getUTCFullYear()}/${d.getUTCMonth() + 1}/${d.getUTCDate()}`;
}
/** Time of day: '9:12:58', or '09:12:58' with the hour padded. */
export function timeOfDay(s: number, padHour = false): string {
	const t = ofDay(s);
	const h = Math.floor(t / 3600);
	return `${padHour ? pad(h) : h}:${pad(Math.floor(t / 60) % 60)}:${pad(t % 60)}`;
}
/** 12-hour time of day: ['8:02:42', 'AM']; midnight's hour is 12. */
function twelveHour(s: number): [string, 'AM' | 'PM'] {
	const t = ofDay(s);
	const h = Math.floor(t / 3600);
	return [`${h % 12 || 12}:${pad(Math.floor(t / 60) % 60)}:${pad(t % 60)}`, h < 12 ? 'AM' : 'PM'];
}
export const amPm = (s: number) => twelveHour(s).join(' ');
/** '上午9:12:58' / '下午1:05:09'. */
export function chineseTime(s: number): string {
	const [time, half] = twelveHour(s);
	return (half === 'AM' ? '上午' : '下午') + time;
}
/** A duration 'h:mm:ss' (hours not padded, may pass 24), or '00:02:23' with the hour padded. */
export function hms(seconds: number, padHour = false): string {
	const h = Math.floor(seconds / 3600);
	return `${padHour ? pad(h) : h}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
}
/** A duration 'm:ss' (minutes may pass 59). */
export const minSec = (seconds: number) => `${Math.floor(seconds / 60)}:${pad(seconds % 60)}`;

/* ───────────── Cells ───────────── */

const EMPTY: SheetCell = { text: '', value: null };
const text = (s: string | null): SheetCell => (s === null || s === '' ? EMPTY : { text: s, value: s });
const number = (n: number | null, written = n === null ? '' : String(n)): SheetCell => (n === null ? EMPTY : { text: written, value: n });
/** A date cell: the day's serial number. */
const dateCell = (s: number, written: string, numFmt = 'yyyy-mm-dd'): SheetCell => ({ text: written, value: Math.floor(s / DAY) + EXCEL_EPOCH, numFmt });
/** A time-of-day cell: the fraction of the day. */
const timeCell = (s: number | null, written: (s: number) => string, numFmt = 'h:mm:ss'): SheetCell =>
	s === null ? EMPTY : { text: written(s), value: ofDay(s) / DAY, numFmt };
/** A duration cell: the fraction of a day. */
const durationCell = (seconds: number | null, written: (s: number) => string, numFmt = '[h]:mm:ss'): SheetCell =>
	seconds === null ? EMPTY : { text: written(seconds), value: seconds / DAY, numFmt };
/** pandas writes a time of day read from a spreadsheet as a datetime on 1900-01-01 (Excel's serial 1). */
const PLACEHOLDER_FORMAT = 'yyyy-mm-dd hh:mm:ss';
function placeholderCell(seconds: number | null): SheetCell {
	if (seconds === null) return EMPTY;
	const days = Math.floor(seconds / DAY);
	return { text: `1900-01-${pad(1 + days)} ${timeOfDay(seconds, true)}`, value: 1 + seconds / DAY, numFmt: PLACEHOLDER_FORMAT };
}
/** pandas writes a whole number of a column that has blanks as a float: '109.0'. */
const floatCell = (n: number | null): SheetCell => number(n, n === null ? '' : `${n}.0`);

/* ───────────── The calls' figures ───────────── */

const answeredCall = (c: SyntheticCall) => c.answer !== null;
const waitOf = (c: SyntheticCall) => (c.answer ?? c.end) - c.arrival;
const talkOf = (c: SyntheticCall) => (c.answer === null ? null : c.end - c.answer);
const outcomeOf = (c: SyntheticCall): 'answered' | 'abandoned' => (answeredCall(c) ? 'answered' : 'abandoned');
/** An ACD or CRM export's first columns: the call, its agent and queue, the day and the padded time it arrived. */
const exportHead = (c: SyntheticCall): SheetCell[] => [
	text(c.call_id),
	text(c.agent),
	text(c.department),
	dateCell(c.arrival, isoDate(c.arrival)),
	timeCell(c.arrival, (s) => timeOfDay(s, true), 'hh:mm:ss')
];

/** The Power BI call-center tutorial's topics. */
export const TOPICS = ['Admin Support', 'Contract related', 'Payment related', 'Streaming', 'Technical Support'];
export const BUSINESS_RESULTS = ['Resolved', 'Escalated', 'Callback Scheduled', 'Sale'];
const REPORT_TITLE = (generated: string): [string, string] => ['Call Center Report', `Generated ${generated}`];

/** The tutorial dataset's columns: an agent on every row (also on the unanswered ones), flags, per-call averages. */
function flagRow(c: SyntheticCall, { random }: LayoutState, placeholders: boolean): LayoutRow {
	const answered = answeredCall(c);
	const d = DEPARTMENTS.indexOf(c.department);
	// The dataset names an agent on unanswered calls too; the app must not credit them.
	const agent = c.agent ?? `S${d + 1}-${String(random.between(1, AGENTS_PER_DEPARTMENT[d]!)).padStart(3, '0')}`;
	const topic = random.pick(TOPICS);
	const resolved = answered && random.chance(0.7);
	const rating = answered && !random.chance(0.1) ? random.between(1, 5) : null;
	const speed = answered ? c.answer! - c.arrival : null;
	const talk = talkOf(c);
	const cells = placeholders
		? [
				text(c.call_id),
				text(agent),
				dateCell(c.arrival, `${isoDate(c.arrival)} 00:00:00`, PLACEHOLDER_FORMAT),
				placeholderCell(ofDay(c.arrival)),
				text(topic),
				text(answered ? 'Y' : 'N'),
				text(resolved ? 'Y' : 'N'),
				floatCell(speed),
				placeholderCell(talk),
				floatCell(rating)
			]
		: [
				text(c.call_id),
				text(agent),
				dateCell(c.arrival, isoDate(c.arrival)),
				timeCell(c.arrival, (s) => timeOfDay(s)),
				text(topic),
				text(answered ? 'Y' : 'N'),
				text(resolved ? 'Y' : 'N'),
				number(speed),
				durationCell(talk, (s) => hms(s, true)),
				number(rating)
			];
	return {
		cells,
		truth: { call_id: c.call_id, queue: null, agent: c.agent, outcome: outcomeOf(c), wait_s: speed, talk_s: talk }
	};
}

const FLAG_HEADER = [
	'Call Id',
	'Agent',
	'Date',
	'Time',
	'Topic',
	'Answered (Y/N)',
	'Resolved',
	'Speed of answer in seconds',
	'AvgTalkDuration',
	'Satisfaction rating'
];

export const LAYOUTS: Record<SheetLayoutId, SheetLayout> = {
	/** A CRM export: the date and the times of day in separate columns; an end after midnight is earlier than the arrival. */
	'split-datetime': {
		header: ['Call Id', 'Agent', 'Department', 'Date', 'Time', 'Time Answered', 'Time Ended', 'Outcome'],
		titles: REPORT_TITLE,
		sheetName: 'Calls',
		row: (c) => ({
			cells: [
				text(c.call_id),
				text(c.agent),
				text(c.department),
				dateCell(c.arrival, isoDate(c.arrival)),
				timeCell(c.arrival, (s) => timeOfDay(s)),
				timeCell(c.answer, (s) => timeOfDay(s)),
				timeCell(c.end, (s) => timeOfDay(s)),
				text(answeredCall(c) ? 'Answered' : 'Abandoned')
			],
			truth: { call_id: c.call_id, queue: c.department, agent: c.agent, outcome: outcomeOf(c), wait_s: waitOf(c), talk_s: talkOf(c) }
		})
	},
	/** An ACD export with no outcome and no answer time: a call was answered when it has a speed of answer. */
	'durations-only': {
		header: ['call_id', 'agent_id', 'queue', 'call_date', 'call_time', 'speed_of_answer', 'talk_duration'],
		titles: REPORT_TITLE,
		sheetName: 'Calls',
		row: (c) => {
			const speed = answeredCall(c) ? c.answer! - c.arrival : null;
			return {
				cells: [...exportHead(c), number(speed), durationCell(talkOf(c), (s) => hms(s))],
				truth: { call_id: c.call_id, queue: c.department, agent: c.agent, outcome: outcomeOf(c), wait_s: speed, talk_s: talkOf(c) }
			};
		}
	},
	'flag-outcome': { header: FLAG_HEADER, titles: REPORT_TITLE, sheetName: 'Calls', row: (c, state) => flagRow(c, state, false) },
	/**
	 * A simulated call-center dataset of answered calls only (its abandoned calls are left out
	 * of the file and of the truth): a running id, the caller's number within the day, 12-hour times.
	 */
	'twelve-hour': {
		header: ['call_id', 'date', 'daily_caller', 'call_started', 'call_answered', 'call_ended', 'wait_length', 'service_length', 'meets_standard'],
		titles: REPORT_TITLE,
		sheetName: 'Calls',
		row: (c, { written, perDay }) => {
			if (!answeredCall(c)) return null;
			const day = isoDate(c.arrival);
			const caller = (perDay.get(day) ?? 0) + 1;
			perDay.set(day, caller);
			const id = String(written + 1);
			const wait = c.answer! - c.arrival;
			const talk = c.end - c.answer!;
			const twelve = 'h:mm:ss AM/PM';
			return {
				cells: [
					number(written + 1),
					dateCell(c.arrival, day),
					number(caller),
					timeCell(c.arrival, amPm, twelve),
					timeCell(c.answer, amPm, twelve),
					timeCell(c.end, amPm, twelve),
					number(wait),
					number(talk),
					{ text: wait <= 20 ? 'TRUE' : 'FALSE', value: wait <= 20 }
				],
				truth: { call_id: id, queue: null, agent: null, outcome: 'answered', wait_s: wait, talk_s: talk }
			};
		}
	},
	/** The tutorial dataset after pandas read it from Excel and wrote it out again. */
	'placeholder-dates': { header: FLAG_HEADER, titles: REPORT_TITLE, sheetName: 'Calls', row: (c, state) => flagRow(c, state, true) },
	/** A CRM export whose outcome is what the call achieved, not whether it was answered. */
	'business-outcome': {
		header: ['Call ID', 'Agent ID', 'Queue', 'Call Date', 'Call Time', 'Wait Time', 'Talk Time', 'Call Outcome'],
		titles: REPORT_TITLE,
		sheetName: 'Calls',
		row: (c, { random }) => {
			const answered = answeredCall(c);
			const result = answered ? random.pick(BUSINESS_RESULTS) : 'Dropped';
			const talk = talkOf(c);
			return {
				cells: [
					...exportHead(c),
					durationCell(waitOf(c), minSec, '[m]:ss'),
					// Dropped calls show a talk time of 0, as such exports do.
					number(talk ?? 0),
					text(result)
				],
				truth: { call_id: c.call_id, queue: c.department, agent: c.agent, outcome: outcomeOf(c), wait_s: waitOf(c), talk_s: talk }
			};
		}
	},
	/** A Chinese ACD export: no call id, 上午/下午 times, durations in seconds (blank talk for abandoned calls). */
	chinese: {
		header: ['日期', '来电时间', '坐席', '技能组', '结果', '排队时长', '通话时长'],
		titles: (generated) => ['话务报表', `生成于 ${generated}`],
		sheetName: '通话记录',
		row: (c) => ({
			cells: [
				dateCell(c.arrival, slashDate(c.arrival)),
				timeCell(c.arrival, chineseTime, '[$-804]AM/PMh:mm:ss'),
				text(c.agent),
				text(c.department),
				text(answeredCall(c) ? '已接听' : '放弃'),
				number(waitOf(c)),
				number(talkOf(c))
			],
			truth: { call_id: null, queue: c.department, agent: c.agent, outcome: outcomeOf(c), wait_s: waitOf(c), talk_s: talkOf(c) }
		})
	}
};

/** Each call's row in the layout, with its truth, in the order written. */
export function* layoutRows(calls: Iterable<SyntheticCall>, layout: SheetLayout, seed: number): Generator<{ call: SyntheticCall; row: LayoutRow }> {
	const state: LayoutState = { random: layoutRandom(seed), written: 0, perDay: new Map() };
	for (const call of calls) {
		const row = layout.row(call, state);
		if (!row) continue;
		state.written++;
		yield { call, row };
	}
}
