import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callsOnDays, REPORT_FIXTURE, reportCalls, reportFigures } from '../reference/report';
import { refRequiredC } from '../reference/erlang';
import { SL_VARIANTS } from '$lib/metrics/service';
import { DEFINED_MEASURES, metricDefinitions } from '$lib/metrics/definitions';
import { addDays, previousPeriod, specProblem } from '$lib/report/spec';
import { NO_CHROMIUM, report } from './cli-run';

const run = promisify(execFile);
const FIXTURE = REPORT_FIXTURE;
// No browser in the unit tests: the workbook is written without its charts (the browser tests
// check the charts, with the built app and Chromium).
const cli = (script: string, ...args: string[]) =>
	run(process.execPath, ['--import', 'tsx', `src/cli/${script}.ts`, ...args], { cwd: process.cwd(), env: { ...process.env, CHROMIUM_PATH: NO_CHROMIUM } });
/**
 * `npm run report` as a process: the first workbook and one bad input, for the command's own exit
 * code and streams. The other runs are the same command in this process (cli-run.ts `report`).
 */
const reportProcess = (...args: string[]) => cli('report', ...args);
const calls = reportCalls();
const figures = reportFigures;
const inDays = (from: string, to: string) => callsOnDays(calls, from, to);
/** exceljs reads a number with a time format back as a Date: its serial day number again. */
const serial = (value: unknown) => (value instanceof Date ? (value.getTime() - Date.UTC(1899, 11, 30)) / 86_400_000 : value);

let dir: string;
let book: ExcelJS.Workbook;
let written: { stdout: string; stderr: string };
beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'holdline-report-'));
	written = await reportProcess(FIXTURE, '--from', '2024-03-11', '--to', '2024-03-17', '--out', join(dir, 'week.xlsx'));
	book = new ExcelJS.Workbook();
	await book.xlsx.readFile(join(dir, 'week.xlsx'));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A sheet's data rows (below the title, subtitle and header) as objects keyed by header. */
function rowsOf(sheet: ExcelJS.Worksheet) {
	const headers = (sheet.getRow(3).values as unknown[]).slice(1).map(String);
	const rows: { values: Record<string, unknown>; cells: Record<string, ExcelJS.Cell> }[] = [];
	for (let r = 4; r <= sheet.rowCount; r++) {
		const row = sheet.getRow(r);
		const values: Record<string, unknown> = {};
		const cells: Record<string, ExcelJS.Cell> = {};
		headers.forEach((h, i) => {
			cells[h] = row.getCell(i + 1);
			values[h] = row.getCell(i + 1).value;
		});
		rows.push({ values, cells });
	}
	return rows;
}

describe('report periods', () => {
	it('the previous period has the same number of days and ends the day before', () => {
		expect(previousPeriod({ from: '2024-03-11', to: '2024-03-17' })).toEqual({ from: '2024-03-04', to: '2024-03-10' });
		expect(previousPeriod({ from: '2024-03-01', to: '2024-03-31' })).toEqual({ from: '2024-01-30', to: '2024-02-29' });
		expect(specProblem({ from: '2024-02-30', to: '2024-03-01' })).toMatch(/not a date/);
		expect(specProblem({ from: '2024-03-02', to: '2024-03-01' })).toMatch(/before it starts/);
	});

	it('every measure is defined in both languages, with T, S and the denominator filled in', () => {
		for (const variant of SL_VARIANTS)
			for (const lang of ['zh-CN', 'en'] as const) {
				const defined = metricDefinitions({ thresholdS: 20, shortAbandonS: 5, variant }, lang);
				expect(Object.keys(defined)).toEqual(DEFINED_MEASURES);
				for (const text of Object.values(defined)) expect(text).not.toMatch(/[{}]/);
				expect(defined.service_level).toContain('20');
			}
		expect(metricDefinitions({ thresholdS: 20, shortAbandonS: 5, variant: 'exclude_short' }, 'zh-CN').service_level).toBe(
			'20 秒内接听 / 进入队列的电话减去短放弃（不到 5 秒）'
		);
	});
});

describe('npm run report → XLSX', () => {
	it('has a summary sheet, one sheet per table and a definitions sheet, in Chinese', () => {
		expect(book.worksheets.map((s) => s.name)).toEqual([
			'摘要',
			'按天',
			'按部门队列',
			'按座席员',
			'等待分布',
			'放弃',
			'所需座席员与实际见到的座席员（按时段）',
			'数据质量',
			'定义与来源'
		]);
		for (const sheet of book.worksheets) expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
	});

	it('without Chromium it is written without charts, and a warning says so', () => {
		expect(book.worksheets.flatMap((sheet) => sheet.getImages())).toEqual([]);
		expect(written.stderr).toMatch(
			/^holdline report: warning: week\.xlsx is written without its charts: (no Chromium at \/nonexistent\/chromium|the built app is missing)/m
		);
		expect(written.stdout).toContain('period: 2024-03-11 – 2024-03-17 (--from/--to)\n');
		expect(written.stdout).toMatch(/week\.xlsx: 2024-03-11 – 2024-03-17, \d+ calls, 0 charts\n/);
	});

	it('the summary compares the week with the week before, with values computed from the rows', () => {
		const rows = rowsOf(book.getWorksheet('摘要')!);
		const [now, before] = [figures(inDays('2024-03-11', '2024-03-17')), figures(inDays('2024-03-04', '2024-03-10'))];
		const cell = (metric: string, column: number) => rows.find((r) => r.values['指标'] === metric)!.cells[Object.keys(rows[0]!.cells)[column]!]!;
		expect(cell('来电量', 1).value).toBe(now.volume);
		expect(cell('来电量', 2).value).toBe(before.volume);
		expect(cell('来电量', 3).value).toBeCloseTo((now.volume - before.volume) / before.volume, 10);
		expect(cell('来电量', 1).numFmt).toBe('#,##0');
		expect(cell('服务水平', 1).value).toBeCloseTo(now.sl, 10);
		expect(cell('服务水平', 1).numFmt).toBe('0.0%');
		expect(cell('服务水平', 3).value).toBeCloseTo(Math.round((now.sl - before.sl) * 1000) / 10, 10);
		expect(cell('服务水平', 3).numFmt).toContain('个百分点');
		// Durations are fractions of a day shown as [h]:mm:ss.
		// (read back through a Date: to the millisecond)
		expect(Number(serial(cell('平均应答速度（ASA）', 1).value)) * 86_400).toBeCloseTo(now.asa, 2);
		expect(cell('平均应答速度（ASA）', 1).numFmt).toBe('[h]:mm:ss');
		expect(Number(serial(cell('平均处理时长（AHT）', 2).value)) * 86_400).toBeCloseTo(before.aht, 2);
		expect(cell('放弃率', 1).value).toBeCloseTo(now.abandonRate, 10);
		expect(cell('短放弃（< 5 秒）', 1).value).toBe(now.short);
	});

	it('the day sheet has one dated row per day with its service level', () => {
		const rows = rowsOf(book.getWorksheet('按天')!);
		expect(rows).toHaveLength(7);
		rows.forEach((row, i) => {
			const day = addDays('2024-03-11', i);
			const expected = figures(inDays(day, day));
			expect(row.values['日期']).toEqual(new Date(`${day}T00:00:00Z`));
			expect(row.cells['日期']!.numFmt).toBe('yyyy-mm-dd');
			expect(row.values['来电量']).toBe(expected.volume);
			expect(row.values['服务水平']).toBeCloseTo(expected.sl, 10);
		});
	});

	it('queues and agents are the rows of the period', () => {
		const week = inDays('2024-03-11', '2024-03-17');
		const queues = rowsOf(book.getWorksheet('按部门队列')!);
		for (const q of queues) expect(q.values['来电量']).toBe(week.filter((c) => c.queue === q.values['部门/队列']).length);
		const agents = rowsOf(book.getWorksheet('按座席员')!);
		const agentNames = [...new Set(week.filter((c) => c.agent).map((c) => c.agent))];
		expect(agents.map((a) => a.values['座席员']).sort()).toEqual(agentNames.sort());
		for (const a of agents) expect(a.values['已接听']).toBe(week.filter((c) => c.agent === a.values['座席员'] && c.outcome === 'answered').length);
	});

	it('the staffing sheet: per hour, the calls offered and the agents Erlang C needed for 80/20, computed from the rows', () => {
		const rows = rowsOf(book.getWorksheet('所需座席员与实际见到的座席员（按时段）')!);
		const week = inDays('2024-03-11', '2024-03-17');
		const hours = [...new Set(week.map((c) => c.arrival.slice(0, 13)))].sort();
		expect(rows).toHaveLength(hours.length);
		const talks = (list: typeof week) => list.filter((c) => c.outcome === 'answered' && c.talk !== null).map((c) => c.talk!);
		const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
		const pooled = mean(talks(week));
		rows.forEach((row, i) => {
			const inHour = week.filter((c) => c.arrival.startsWith(hours[i]!));
			const offered = inHour.filter((c) => c.outcome !== 'other').length;
			expect(row.values['呼入量']).toBe(offered);
			const aht = talks(inHour).length ? mean(talks(inHour)) : pooled;
			expect(row.values['所需（Erlang C）']).toBe(refRequiredC(offered, 3600, aht, 0.8, 20));
		});
	});

	it('columns are wide enough for their Chinese headers, and the definitions name T, the abandon treatment and S', () => {
		const defs = book.getWorksheet('定义与来源')!;
		const text = rowsOf(defs).map((r) => `${r.values['项目']}=${r.values['说明']}`);
		expect(text).toContain('服务水平目标时间 T（秒）=20');
		expect(text).toContain('放弃电话的处理=计入分母');
		expect(text).toContain('短放弃阈值 S（秒）=5');
		expect(text.some((x) => x.startsWith('文件=report-two-weeks.csv'))).toBe(true);
		expect(text.some((x) => x.startsWith('记录=读取 107 行'))).toBe(true);
		const summary = book.getWorksheet('摘要')!;
		// "平均应答速度（ASA）": 9 CJK characters at 2 units each, plus 3 Latin.
		expect(summary.getColumn(1).width).toBeGreaterThanOrEqual(21);
	});

	it('by week, in English, for one department', async () => {
		const out = join(dir, 'weeks.xlsx');
		await report(FIXTURE, '--from', '2024-03-04', '--to', '2024-03-17', '--by', 'week', '--dept', '座席一部', '--lang', 'en', '--out', out);
		const weeks = new ExcelJS.Workbook();
		await weeks.xlsx.readFile(out);
		expect(weeks.worksheets.map((s) => s.name)).toContain('By week');
		const rows = rowsOf(weeks.getWorksheet('By week')!);
		expect(rows.map((r) => r.values['Week (from Monday)'])).toEqual([new Date('2024-03-04T00:00:00Z'), new Date('2024-03-11T00:00:00Z')]);
		const first = calls.filter((c) => c.queue === '座席一部' && c.arrival < '2024-03-11');
		expect(rows[0]!.values['Volume']).toBe(first.length);
		expect(rows[0]!.values['Service level']).toBeCloseTo(figures(first).sl, 10);
	}, 120_000);

	it('bad input exits non-zero with a clear message', async () => {
		const fail = (...args: string[]) =>
			report(...args).then(
				() => null,
				(e: { code: number; stderr: string }) => e
			);
		const backwards = await reportProcess(FIXTURE, '--from', '2024-03-17', '--to', '2024-03-11', '--out', join(dir, 'x.xlsx')).then(
			() => null,
			(e: { code: number; stderr: string }) => e
		);
		expect(backwards?.code).toBe(2);
		expect(backwards?.stderr).toContain('the period ends (2024-03-11) before it starts (2024-03-17)');
		// The same bad input in this process: the same exit code and message.
		const inProcess = await fail(FIXTURE, '--from', '2024-03-17', '--to', '2024-03-11', '--out', join(dir, 'x.xlsx'));
		expect(inProcess?.code).toBe(2);
		expect(inProcess?.stderr).toContain('the period ends (2024-03-11) before it starts (2024-03-17)');
		const dept = await fail(FIXTURE, '--from', '2024-03-11', '--to', '2024-03-17', '--dept', '座席九部', '--out', join(dir, 'x.xlsx'));
		expect(dept?.stderr).toContain('"座席九部": not in the data');
		const out = await fail(FIXTURE, '--from', '2024-03-11', '--to', '2024-03-17', '--out', join(dir, 'x.docx'));
		expect(out?.stderr).toContain('--out must end in .pdf, .xlsx or .json');
		expect(existsSync(join(dir, 'x.xlsx'))).toBe(false);
	}, 120_000);

	const soffice = ['soffice', 'libreoffice'].find((bin) => {
		try {
			execFileSync('which', [bin]);
			return true;
		} catch {
			return false;
		}
	});
	it.skipIf(!soffice)('LibreOffice opens it (converted headless to CSV)', () => {
		execFileSync(soffice!, ['--headless', '--convert-to', 'csv', '--outdir', dir, join(dir, 'week.xlsx')], { timeout: 120_000 });
		expect(readFileSync(join(dir, 'week.csv'), 'utf8')).toContain('来电量');
	});
});

/**
 * A small call file for the scheduled report: a few calls every day from Wednesday 2024-01-31
 * to Thursday 2024-03-21 (seeded), in the generator's CSV layout. Its last full Monday–Sunday
 * week is 2024-03-11 – 2024-03-17, its last full month February 2024.
 */
function writeScheduledFile(path: string): void {
	let seed = 20240321;
	const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
	const pad = (n: number) => String(n).padStart(2, '0');
	const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
	const lines = ['call_id,department,agent,arrival,answer,end,wait_s,talk_s,hold_s,wrap_s,outcome,synthetic'];
	for (let day = Date.UTC(2024, 0, 31); day <= Date.UTC(2024, 2, 21); day += 86_400_000)
		for (let n = 1 + Math.floor(random() * 4); n > 0; n--) {
			const arrival = day + Math.floor((8 + random() * 12) * 3600) * 1000;
			const wait = Math.floor(random() * 60);
			const queue = random() < 0.5 ? '座席一部' : '座席二部';
			const id = `SCH${pad(lines.length).padStart(4, '0')}`;
			if (random() < 0.8) {
				const talk = 30 + Math.floor(random() * 300);
				const agent = `${queue === '座席一部' ? 'S1' : 'S2'}-00${1 + Math.floor(random() * 3)}`;
				const answer = arrival + wait * 1000;
				lines.push([id, queue, agent, stamp(arrival), stamp(answer), stamp(answer + talk * 1000), wait, talk, '', '', 'answered', 'synthetic'].join(','));
			} else lines.push([id, queue, '', stamp(arrival), '', stamp(arrival + wait * 1000), wait, '', '', '', 'abandoned', 'synthetic'].join(','));
		}
	writeFileSync(path, `${lines.join('\n')}\n`);
}

describe('npm run report with no period (for cron)', () => {
	let file: string;
	let scheduled: ReturnType<typeof reportCalls>;
	beforeAll(() => {
		file = join(dir, 'scheduled.csv');
		writeScheduledFile(file);
		scheduled = reportCalls(file);
	});
	const json = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as { spec: { from: string; to: string }; summary: Record<string, number> };
	const expectFigures = (out: string, from: string, to: string) => {
		const data = json(out);
		expect(data.spec).toMatchObject({ from, to });
		const expected = reportFigures(callsOnDays(scheduled, from, to));
		expect(data.summary.volume).toBe(expected.volume);
		expect(data.summary.service_level).toBeCloseTo(expected.sl, 10);
	};

	it('reports the last full Monday–Sunday week of the files, says so, and writes the JSON and the workbook', async () => {
		const out = join(dir, 'week.json');
		const { stdout } = await report(file, '--out', out, '--out', join(dir, 'scheduled.xlsx'));
		const runs = `${scheduled.map((c) => c.arrival).sort()[0]} – ${scheduled
			.map((c) => c.arrival)
			.sort()
			.at(-1)}`;
		expect(runs).toMatch(/^2024-01-31 .* – 2024-03-21 /);
		expect(stdout.split('\n')[0]).toBe(`period: 2024-03-11 – 2024-03-17 (last-week: the data's last full Monday–Sunday week; the data runs ${runs})`);
		expectFigures(out, '2024-03-11', '2024-03-17');
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.readFile(join(dir, 'scheduled.xlsx'));
		expect(workbook.getWorksheet('按天')!.rowCount - 3).toBe(7);
	}, 120_000);

	it('over a DuckDB store: the same week, the last full month, and --from/--to winning over --period', async () => {
		const store = join(dir, 'calls.duckdb');
		await cli('load', file, '--into', `duckdb:${store}`);
		const engine = ['--engine', `duckdb:${store}`];
		const week = await report(...engine, '--out', join(dir, 'store-week.json'));
		expect(week.stdout).toMatch(/^period: 2024-03-11 – 2024-03-17 \(last-week: /);
		expectFigures(join(dir, 'store-week.json'), '2024-03-11', '2024-03-17');
		const month = await report(...engine, '--period', 'last-month', '--out', join(dir, 'month.json'));
		expect(month.stdout).toMatch(/^period: 2024-02-01 – 2024-02-29 \(last-month: the data's last full calendar month; /);
		expectFigures(join(dir, 'month.json'), '2024-02-01', '2024-02-29');
		const given = await report(...engine, '--period', 'all', '--from', '2024-03-18', '--to', '2024-03-21', '--out', join(dir, 'given.json'));
		expect(given.stdout).toMatch(/^period: 2024-03-18 – 2024-03-21 \(--from\/--to\)$/m);
		expectFigures(join(dir, 'given.json'), '2024-03-18', '2024-03-21');
	}, 240_000);

	it('all of it; a period the data does not hold, or a bad --period, exits 2 saying why', async () => {
		const all = await report(FIXTURE, '--period', 'all', '--out', join(dir, 'all.json'));
		expect(all.stdout).toMatch(/^period: 2024-03-04 – 2024-03-17 \(all: every day of the data; /);
		expect(json(join(dir, 'all.json')).summary.volume).toBe(calls.length);
		const fail = (...args: string[]) =>
			report(...args).then(
				() => null,
				(e: { code: number; stderr: string }) => e
			);
		// The fixture runs two weeks of March: no whole month.
		const month = await fail(FIXTURE, '--period', 'last-month', '--out', join(dir, 'none.json'));
		expect(month?.code).toBe(2);
		expect(month?.stderr).toMatch(/the data runs 2024-03-04 .* – 2024-03-17 .*: it holds no whole calendar month; give --from and --to, or --period all/);
		expect(existsSync(join(dir, 'none.json'))).toBe(false);
		const bad = await fail(FIXTURE, '--period', 'last-year', '--out', join(dir, 'none.json'));
		expect(bad?.stderr).toContain('--period must be last-week, last-month, all, not "last-year"');
		const half = await fail(FIXTURE, '--from', '2024-03-11', '--out', join(dir, 'none.json'));
		expect(half?.stderr).toContain('--from and --to go together');
	}, 180_000);
});
