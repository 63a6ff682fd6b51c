import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import ExcelJS from 'exceljs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCalls, type GeneratorOptions } from '$lib/synthetic/generate';
import { generateSheet, type SheetTruth } from '$lib/synthetic/sheet';
import type { SheetCallTruth, SheetLayoutId } from '$lib/synthetic/sheet-layouts';

/*
 * Each layout is read back here by a plain reader written from the layout's description (split
 * lines and commas, or the workbook's cells through exceljs), and every row must say what its
 * truth says; the truth itself must be the generated calls. Nothing here uses the generator's
 * own formatting.
 */

const DAY = 86_400;
const base: GeneratorOptions = { rows: 3000, seed: 7, start: '2021-01-01', incident: null, completeShare: 0.6 };
const LAYOUTS: SheetLayoutId[] = ['split-datetime', 'durations-only', 'flag-outcome', 'twelve-hour', 'placeholder-dates', 'business-outcome', 'chinese'];
const TOPICS = ['Admin Support', 'Contract related', 'Payment related', 'Streaming', 'Technical Support'];

/** What a row says, read one way or another. */
interface Fields {
	str(i: number): string | null;
	num(i: number): number | null;
	/** 'YYYY-MM-DD'. */
	date(i: number): string;
	/** Seconds since midnight. */
	tod(i: number): number | null;
	/** Seconds. */
	dur(i: number): number | null;
	/** A duration written as a datetime on 1900-01-01 (pandas): seconds. */
	placeholder(i: number): number | null;
	bool(i: number): boolean;
}

const hmsSeconds = (h: string, m: string, s: string) => Number(h) * 3600 + Number(m) * 60 + Number(s);
const pad = (n: number) => String(n).padStart(2, '0');
const at = (date: string, seconds: number) => `${date} ${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
/** Seconds from one time of day to a later one, across midnight when the later is earlier. */
const after = (from: number, to: number) => (to - from + DAY) % DAY;

function csvFields(cells: string[]): Fields {
	const get = (i: number) => (cells[i] === '' ? null : cells[i]!);
	return {
		str: get,
		num: (i) => (get(i) === null ? null : Number(get(i))),
		date(i) {
			const v = get(i)!;
			let m = /^(\d{4})-(\d{2})-(\d{2})(?: 00:00:00)?$/.exec(v);
			if (m) return `${m[1]}-${m[2]}-${m[3]}`;
			m = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(v);
			if (m) return `${m[1]}-${pad(Number(m[2]))}-${pad(Number(m[3]))}`;
			throw new Error(`not a date: ${v}`);
		},
		tod(i) {
			const v = get(i);
			if (v === null) return null;
			let m = /^(?:1900-01-01 )?(\d{1,2}):(\d{2}):(\d{2})$/.exec(v);
			if (m) return hmsSeconds(m[1]!, m[2]!, m[3]!);
			m = /^(\d{1,2}):(\d{2}):(\d{2}) (AM|PM)$/.exec(v) ?? /^(?:上午|下午)(\d{1,2}):(\d{2}):(\d{2})$/.exec(v);
			if (m) {
				const pm = v.endsWith('PM') || v.startsWith('下午');
				return hmsSeconds(String((Number(m[1]) % 12) + (pm ? 12 : 0)), m[2]!, m[3]!);
			}
			throw new Error(`not a time of day: ${v}`);
		},
		dur(i) {
			const v = get(i);
			if (v === null) return null;
			let m = /^(\d+):(\d{2}):(\d{2})$/.exec(v);
			if (m) return hmsSeconds(m[1]!, m[2]!, m[3]!);
			m = /^(\d+):(\d{2})$/.exec(v);
			if (m) return hmsSeconds('0', m[1]!, m[2]!);
			throw new Error(`not a duration: ${v}`);
		},
		placeholder(i) {
			const v = get(i);
			if (v === null) return null;
			const m = /^1900-01-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(v);
			if (!m) throw new Error(`not a 1900 placeholder: ${v}`);
			return (Number(m[1]) - 1) * DAY + hmsSeconds(m[2]!, m[3]!, m[4]!);
		},
		bool: (i) => ({ TRUE: true, FALSE: false })[get(i)!]!
	};
}

/** Excel's serial day number of a cell exceljs read as a date (it turns date-formatted numbers into Dates at UTC). */
const serial = (v: unknown) => (v instanceof Date ? v.getTime() / (DAY * 1000) + 25569 : (v as number));

function xlsxFields(values: unknown[]): Fields {
	const get = (i: number) => values[i + 1] ?? null;
	return {
		str: (i) => (get(i) === null ? null : String(get(i))),
		num(i) {
			const v = get(i);
			if (v === null) return null;
			expect(typeof v).toBe('number');
			return v as number;
		},
		date(i) {
			const v = get(i);
			expect(v).toBeInstanceOf(Date);
			return (v as Date).toISOString().slice(0, 10);
		},
		tod(i) {
			const v = get(i);
			if (v === null) return null;
			expect(v).toBeInstanceOf(Date);
			return Math.round((serial(v) % 1) * DAY) % DAY;
		},
		dur(i) {
			const v = get(i);
			if (v === null) return null;
			expect(v).toBeInstanceOf(Date);
			return Math.round(serial(v) * DAY);
		},
		placeholder(i) {
			const v = get(i);
			if (v === null) return null;
			// 1900-01-01 is Excel's serial day 1.
			return Math.round((serial(v) - 1) * DAY);
		},
		bool(i) {
			const v = get(i);
			expect(typeof v).toBe('boolean');
			return v as boolean;
		}
	};
}

type Observed = Omit<SheetCallTruth, 'line'>;

/** Per layout: the header, how each CSV field must look, and what a row says. */
const READERS: Record<SheetLayoutId, { header: string; csv: (RegExp | null)[]; read: (f: Fields, name: string, line: number) => Observed }> = {
	'split-datetime': {
		header: 'Call Id,Agent,Department,Date,Time,Time Answered,Time Ended,Outcome',
		csv: [null, null, null, /^\d{4}-\d{2}-\d{2}$/, /^[1-9]?\d:\d\d:\d\d$/, /^[1-9]?\d:\d\d:\d\d$/, /^[1-9]?\d:\d\d:\d\d$/, /^(Answered|Abandoned)$/],
		read(f) {
			const answered = f.str(7) === 'Answered';
			const start = f.tod(4)!;
			const answer = f.tod(5);
			const end = f.tod(6)!;
			expect(answer === null).toBe(!answered);
			return {
				call_id: f.str(0)!,
				agent: answered ? f.str(1) : null,
				queue: f.str(2),
				arrival: at(f.date(3), start),
				outcome: answered ? 'answered' : 'abandoned',
				wait_s: after(start, answer ?? end),
				talk_s: answered ? after(answer!, end) : null
			};
		}
	},
	'durations-only': {
		header: 'call_id,agent_id,queue,call_date,call_time,speed_of_answer,talk_duration',
		csv: [null, null, null, /^\d{4}-\d{2}-\d{2}$/, /^\d\d:\d\d:\d\d$/, /^\d+$/, /^[1-9]?\d:\d\d:\d\d$/],
		read(f) {
			const speed = f.num(5);
			expect(f.dur(6) === null).toBe(speed === null);
			return {
				call_id: f.str(0)!,
				agent: speed === null ? null : f.str(1),
				queue: f.str(2),
				arrival: at(f.date(3), f.tod(4)!),
				outcome: speed === null ? 'abandoned' : 'answered',
				wait_s: speed,
				talk_s: f.dur(6)
			};
		}
	},
	'flag-outcome': {
		header: 'Call Id,Agent,Date,Time,Topic,Answered (Y/N),Resolved,Speed of answer in seconds,AvgTalkDuration,Satisfaction rating',
		csv: [null, /^S\d-\d{3}$/, /^\d{4}-\d{2}-\d{2}$/, /^[1-9]?\d:\d\d:\d\d$/, null, /^[YN]$/, /^[YN]$/, /^\d+$/, /^\d\d:\d\d:\d\d$/, /^[1-5]$/],
		read: (f) => flagRead(f, f.tod(3)!, f.dur(8))
	},
	'twelve-hour': {
		header: 'call_id,date,daily_caller,call_started,call_answered,call_ended,wait_length,service_length,meets_standard',
		csv: [
			/^\d+$/,
			/^\d{4}-\d{2}-\d{2}$/,
			/^\d+$/,
			/^1?\d:\d\d:\d\d [AP]M$/,
			/^1?\d:\d\d:\d\d [AP]M$/,
			/^1?\d:\d\d:\d\d [AP]M$/,
			/^\d+$/,
			/^\d+$/,
			/^(TRUE|FALSE)$/
		],
		read(f) {
			const [started, answered, ended] = [f.tod(3)!, f.tod(4)!, f.tod(5)!];
			const wait = f.num(6)!;
			expect(wait).toBe(after(started, answered));
			expect(f.num(7)).toBe(after(answered, ended));
			expect(f.bool(8)).toBe(wait <= 20);
			return { call_id: f.str(0)!, agent: null, queue: null, arrival: at(f.date(1), started), outcome: 'answered', wait_s: wait, talk_s: f.num(7) };
		}
	},
	'placeholder-dates': {
		header: 'Call Id,Agent,Date,Time,Topic,Answered (Y/N),Resolved,Speed of answer in seconds,AvgTalkDuration,Satisfaction rating',
		csv: [
			null,
			/^S\d-\d{3}$/,
			/^\d{4}-\d{2}-\d{2} 00:00:00$/,
			/^1900-01-01 \d\d:\d\d:\d\d$/,
			null,
			/^[YN]$/,
			/^[YN]$/,
			/^\d+\.0$/,
			/^1900-01-01 \d\d:\d\d:\d\d$/,
			/^[1-5]\.0$/
		],
		read: (f) => flagRead(f, f.placeholder(3)!, f.placeholder(8))
	},
	'business-outcome': {
		header: 'Call ID,Agent ID,Queue,Call Date,Call Time,Wait Time,Talk Time,Call Outcome',
		csv: [null, null, null, /^\d{4}-\d{2}-\d{2}$/, /^\d\d:\d\d:\d\d$/, /^\d+:\d\d$/, /^\d+$/, /^(Resolved|Escalated|Callback Scheduled|Sale|Dropped)$/],
		read(f) {
			const answered = f.str(7) !== 'Dropped';
			if (!answered) expect(f.num(6)).toBe(0);
			return {
				call_id: f.str(0)!,
				agent: answered ? f.str(1) : null,
				queue: f.str(2),
				arrival: at(f.date(3), f.tod(4)!),
				outcome: answered ? 'answered' : 'abandoned',
				wait_s: f.dur(5),
				talk_s: answered ? f.num(6) : null
			};
		}
	},
	chinese: {
		header: '日期,来电时间,坐席,技能组,结果,排队时长,通话时长',
		csv: [/^\d{4}\/[1-9]\d?\/[1-9]\d?$/, /^(上午|下午)1?\d:\d\d:\d\d$/, null, null, /^(已接听|放弃)$/, /^\d+$/, /^\d+$/],
		read(f, name, line) {
			const answered = f.str(4) === '已接听';
			expect(f.num(6) === null).toBe(!answered);
			return {
				call_id: `${name}:${line}`,
				arrival: at(f.date(0), f.tod(1)!),
				agent: answered ? f.str(2) : null,
				queue: f.str(3),
				outcome: answered ? 'answered' : 'abandoned',
				wait_s: f.num(5),
				talk_s: f.num(6)
			};
		}
	}
};

function flagRead(f: Fields, time: number, talk: number | null): Observed {
	const answered = f.str(5) === 'Y';
	expect(TOPICS).toContain(f.str(4));
	// The dataset names an agent on every call, flags unanswered calls unresolved and leaves their figures blank.
	expect(f.str(1)).toMatch(/^S\d-\d{3}$/);
	if (!answered) expect([f.str(6), f.num(7), talk, f.num(9)]).toEqual(['N', null, null, null]);
	const rating = f.num(9);
	if (rating !== null) expect([1, 2, 3, 4, 5]).toContain(rating);
	return {
		call_id: f.str(0)!,
		agent: answered ? f.str(1) : null,
		queue: null,
		arrival: at(f.date(2), time),
		outcome: answered ? 'answered' : 'abandoned',
		wait_s: f.num(7),
		talk_s: talk
	};
}

/** The truth is the generated calls: the same arrivals, waits and talk (end − answer) as the generator made. */
function expectTruthOfCalls(options: GeneratorOptions, layout: SheetLayoutId, truth: SheetTruth) {
	const iso = (s: number) => new Date(s * 1000).toISOString().slice(0, 19).replace('T', ' ');
	const calls = [...generateCalls(options)].filter((c) => layout !== 'twelve-hour' || c.answer !== null);
	const blankWait = layout === 'durations-only' || layout === 'flag-outcome' || layout === 'placeholder-dates';
	expect(truth.calls.map((t) => [t.arrival, t.outcome, t.wait_s, t.talk_s])).toEqual(
		calls.map((c) => [
			iso(c.arrival),
			c.answer === null ? 'abandoned' : 'answered',
			c.answer !== null ? c.answer - c.arrival : blankWait ? null : c.end - c.arrival,
			c.answer === null ? null : c.end - c.answer
		])
	);
}

const crossesMidnight = (c: SheetCallTruth) =>
	Date.parse(c.arrival.replace(' ', 'T') + 'Z') / 1000 + c.wait_s! + (c.talk_s ?? 0) >= Date.parse(c.arrival.slice(0, 10) + 'T00:00:00Z') / 1000 + DAY;

/** Reads a CSV back and checks every row against its truth; returns the rows' fields. */
function checkCsv(layout: SheetLayoutId, text: string, truth: SheetTruth, name: string, titles: boolean): string[][] {
	const reader = READERS[layout];
	const lines = text.split('\n');
	expect(lines.pop()).toBe('');
	expect(text).not.toContain('"');
	expect(truth.headerLine).toBe(titles ? 3 : 1);
	if (titles) expect(lines[0]!.split(',')[0]).toMatch(/Report|报表/);
	expect(lines[truth.headerLine - 1]).toBe(reader.header);
	const rows = lines.slice(truth.headerLine).map((l) => l.split(','));
	expect(rows).toHaveLength(truth.records);
	expect(truth.calls).toHaveLength(truth.records);
	rows.forEach((cells, i) => {
		const line = truth.headerLine + i + 1;
		expect(cells).toHaveLength(reader.csv.length);
		cells.forEach((cell, c) => {
			if (cell !== '' && reader.csv[c]) expect(cell, `line ${line}, column ${c + 1}`).toMatch(reader.csv[c]!);
		});
		expect({ ...reader.read(csvFields(cells), name, line), line }).toEqual(truth.calls[i]);
	});
	return rows;
}

describe('spreadsheet layouts, as CSV', () => {
	for (const layout of LAYOUTS)
		it(`${layout}: every row reads back as its truth, and the truth is the generated calls`, () => {
			const { text, truth } = generateSheet(base, layout, 'csv');
			checkCsv(layout, text, truth, `synthetic-${layout}.csv`, false);
			expectTruthOfCalls(base, layout, truth);
			expect(truth.calls.some((c) => c.outcome === 'answered')).toBe(true);
			if (layout !== 'twelve-hour') expect(truth.calls.some((c) => c.outcome === 'abandoned')).toBe(true);
			else expect(truth.records).toBeLessThan(base.rows);
		});

	it('split-datetime: a call crossing midnight ends earlier in the day than it arrived, and reads back right', () => {
		const options = { ...base, rows: 5000 };
		const { text, truth } = generateSheet(options, 'split-datetime', 'csv');
		const rows = checkCsv('split-datetime', text, truth, 'x', false);
		const toSeconds = (t: string) => hmsSeconds(...(t.split(':') as [string, string, string]));
		const crossing = rows.flatMap((r, i) => (toSeconds(r[6]!) < toSeconds(r[4]!) ? [i] : []));
		expect(crossing.length).toBeGreaterThan(0);
		expect(crossing).toEqual(truth.calls.flatMap((c, i) => (crossesMidnight(c) ? [i] : [])));
		for (const i of crossing) {
			const call = truth.calls[i]!;
			// Its arrival is late in the day, and its wait and talk run past midnight.
			expect(toSeconds(rows[i]![4]!) + call.wait_s! + (call.talk_s ?? 0)).toBeGreaterThanOrEqual(DAY);
		}
	});

	it('names rows without an id by file and line, and puts title rows above the header', () => {
		const { text, truth } = generateSheet({ ...base, rows: 200 }, 'chinese', 'csv', { titles: true, fileName: 'report.csv' });
		expect(text.split('\n').slice(0, 2)).toEqual(['话务报表,,,,,,', '生成于 2021-01-02,,,,,,']);
		checkCsv('chinese', text, truth, 'report.csv', true);
		expect(truth.calls[0]!.call_id).toBe('report.csv:4');
		const english = generateSheet({ ...base, rows: 30_000 }, 'business-outcome', 'csv', { titles: true });
		expect(english.text.split('\n').slice(0, 3)).toEqual(['Call Center Report,,,,,,,', 'Generated 2021-01-03,,,,,,,', READERS['business-outcome'].header]);
	});

	it('twelve-hour: daily_caller counts the day’s calls from 1', () => {
		const { text } = generateSheet({ ...base, rows: 25_000 }, 'twelve-hour', 'csv');
		const rows = text
			.trim()
			.split('\n')
			.slice(1)
			.map((l) => l.split(','));
		const seen = new Map<string, number>();
		for (const r of rows) {
			const n = (seen.get(r[1]!) ?? 0) + 1;
			seen.set(r[1]!, n);
			expect(Number(r[2])).toBe(n);
		}
		expect(seen.size).toBe(2);
	});

	it('the same seed gives the same bytes; another seed other calls', () => {
		for (const layout of LAYOUTS) {
			const a = generateSheet({ ...base, rows: 500 }, layout, 'csv');
			expect(generateSheet({ ...base, rows: 500 }, layout, 'csv').text).toBe(a.text);
			expect(generateSheet({ ...base, rows: 500, seed: 8 }, layout, 'csv').text).not.toBe(a.text);
		}
	});

	it('property: over seeds, sizes, layouts and title rows, every row reads back as its truth', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 2 ** 32 - 1 }),
				fc.integer({ min: 1, max: 2500 }),
				fc.constantFrom(...LAYOUTS),
				fc.boolean(),
				fc.option(fc.constantFrom('2008-05-11 14:28:00', '2008-05-11 10:00:00'), { nil: null }),
				(seed, rows, layout, titles, incident) => {
					const options = { ...base, seed, rows, start: '2008-05-11', incident };
					const { text, truth } = generateSheet(options, layout, 'csv', { titles, fileName: 'p.csv' });
					checkCsv(layout, text, truth, 'p.csv', titles);
					expectTruthOfCalls(options, layout, truth);
				}
			),
			{ numRuns: 40 }
		);
	});

	it('refuses dirt and unknown layouts', () => {
		expect(() => generateSheet({ ...base, dirt: { duplicates: 0.1 } }, 'chinese', 'csv')).toThrow(/dirt/);
		expect(() => generateSheet(base, 'pivot' as SheetLayoutId, 'csv')).toThrow(/unknown layout/);
	});
});

/** The number formats Excel shows each column with (where the cell is not blank). */
const NUMBER_FORMATS: Record<SheetLayoutId, Record<number, string>> = {
	'split-datetime': { 3: 'yyyy-mm-dd', 4: 'h:mm:ss', 5: 'h:mm:ss', 6: 'h:mm:ss' },
	'durations-only': { 3: 'yyyy-mm-dd', 4: 'hh:mm:ss', 6: '[h]:mm:ss' },
	'flag-outcome': { 2: 'yyyy-mm-dd', 3: 'h:mm:ss', 8: '[h]:mm:ss' },
	'twelve-hour': { 1: 'yyyy-mm-dd', 3: 'h:mm:ss AM/PM', 4: 'h:mm:ss AM/PM', 5: 'h:mm:ss AM/PM' },
	'placeholder-dates': { 2: 'yyyy-mm-dd hh:mm:ss', 3: 'yyyy-mm-dd hh:mm:ss', 8: 'yyyy-mm-dd hh:mm:ss' },
	'business-outcome': { 3: 'yyyy-mm-dd', 4: 'hh:mm:ss', 5: '[m]:ss' },
	chinese: { 0: 'yyyy-mm-dd', 1: '[$-804]AM/PMh:mm:ss' }
};

async function readWorkbook(bytes: Uint8Array) {
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
	expect(workbook.worksheets).toHaveLength(1);
	const sheet = workbook.worksheets[0]!;
	const rows: { values: unknown[]; formats: (string | undefined)[] }[] = [];
	sheet.eachRow({ includeEmpty: true }, (row, n) => {
		const values = row.values as unknown[];
		rows[n - 1] = { values, formats: values.map((_, i) => (i ? row.getCell(i).numFmt : undefined)) };
	});
	return rows;
}

async function checkXlsx(layout: SheetLayoutId, bytes: Uint8Array, truth: SheetTruth, name: string, titles: boolean) {
	const reader = READERS[layout];
	const rows = await readWorkbook(bytes);
	expect(truth.headerLine).toBe(titles ? 3 : 1);
	if (titles)
		expect(rows.slice(0, 2).map((r) => r.values.slice(1))).toEqual([
			[layout === 'chinese' ? '话务报表' : 'Call Center Report'],
			[expect.stringMatching(/^(Generated|生成于) \d{4}-\d{2}-\d{2}$/)]
		]);
	expect(rows[truth.headerLine - 1]!.values.slice(1)).toEqual(reader.header.split(','));
	const data = rows.slice(truth.headerLine);
	expect(data).toHaveLength(truth.records);
	data.forEach(({ values, formats }, i) => {
		const line = truth.headerLine + i + 1;
		for (const [column, format] of Object.entries(NUMBER_FORMATS[layout])) {
			const c = Number(column) + 1;
			if (values[c] !== undefined && values[c] !== null) expect(formats[c], `row ${line}, column ${c}`).toBe(format);
		}
		expect({ ...reader.read(xlsxFields(values), name, line), line }).toEqual(truth.calls[i]);
	});
}

describe('spreadsheet layouts, as XLSX with real cell types', () => {
	for (const layout of LAYOUTS)
		it(`${layout}: every row reads back as its truth, the same truth as the CSV's`, async () => {
			// 5000 calls of a day: a few of them run past midnight.
			const options = { ...base, rows: layout === 'split-datetime' ? 5000 : 1500 };
			const titles = layout !== 'durations-only';
			const { bytes, truth } = await generateSheet(options, layout, 'xlsx', { titles, fileName: 'calls.xlsx' });
			await checkXlsx(layout, bytes, truth, 'calls.xlsx', titles);
			if (layout === 'split-datetime') expect(truth.calls.filter(crossesMidnight).length).toBeGreaterThan(0);
			const csv = generateSheet(options, layout, 'csv', { titles, fileName: 'calls.xlsx' });
			expect(truth).toEqual(csv.truth);
		}, 60_000);

	it('a streamed workbook holds the same cells as one built in memory', async () => {
		const options = { ...base, rows: 800 };
		const built = await generateSheet(options, 'twelve-hour', 'xlsx', { titles: true });
		const streamed = await generateSheet(options, 'twelve-hour', 'xlsx', { titles: true, streamAbove: 100 });
		expect(streamed.truth).toEqual(built.truth);
		await checkXlsx('twelve-hour', streamed.bytes, streamed.truth, 'x', true);
		expect(await readWorkbook(streamed.bytes)).toEqual(await readWorkbook(built.bytes));
	}, 60_000);
});

describe('npm run generate -- --format sheet-csv|xlsx', () => {
	it('writes the same file and truth as the library, and refuses what does not apply', async () => {
		const run = promisify(execFile);
		const dir = mkdtempSync(join(tmpdir(), 'holdline-sheet-'));
		const generate = (...args: string[]) =>
			run(process.execPath, ['--import', 'tsx', 'src/cli/generate.ts', '--rows', '400', '--seed', '7', '--start', '2021-01-01', ...args]);
		try {
			await generate('--format', 'sheet-csv', '--layout', 'chinese', '--titles', '--truth', join(dir, 't.json'), '--out', join(dir, '话务.csv'));
			const expected = generateSheet({ ...base, rows: 400 }, 'chinese', 'csv', { titles: true, fileName: '话务.csv' });
			expect(readFileSync(join(dir, '话务.csv'), 'utf8')).toBe(expected.text);
			expect(JSON.parse(readFileSync(join(dir, 't.json'), 'utf8'))).toMatchObject({ synthetic: true, format: 'sheet-csv', titles: true, ...expected.truth });
			await generate('--format', 'xlsx', '--layout', 'flag-outcome', '--truth', join(dir, 'x.json'), '--out', join(dir, 'calls.xlsx'));
			const truth = JSON.parse(readFileSync(join(dir, 'x.json'), 'utf8')) as SheetTruth;
			await checkXlsx('flag-outcome', new Uint8Array(readFileSync(join(dir, 'calls.xlsx'))), truth, 'calls.xlsx', false);
			const refused = (...args: string[]) =>
				generate(...args, '--out', join(dir, 'x')).then(
					() => '',
					(e: { stderr: string }) => e.stderr
				);
			expect(await refused('--format', 'xlsx')).toContain('needs --layout');
			expect(await refused('--format', 'sheet-csv', '--layout', 'pivot')).toContain('needs --layout');
			expect(await refused('--format', 'sheet-csv', '--layout', 'chinese', '--dirt', 'all')).toContain('--dirt applies to');
			expect(await refused('--format', 'csv', '--layout', 'chinese')).toContain('--layout and --titles apply');
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}, 60_000);
});
