/**
 * The weekly report on the command line, for scheduled runs: the same importers, SQL and
 * tables as the Report page.
 *
 *   npm run report -- FILE... [--period last-week|last-month|all | --from 2024-03-11 --to 2024-03-17]
 *     --out report.pdf|report.xlsx|report.json [--out …] [--by day|week] [--dept NAME]… [--lang zh|en]
 *     [--goal 80] [--wrap-seconds 20|QUEUE=S,…] [metric and import options]
 *   npm run report -- --engine duckdb:STORE|clickhouse:URL [--dataset NAME] … (the same)
 *
 * Without --from/--to the period comes from the data (`periods.ts`): by default its last full
 * week, so a cron line needs no dates. PDF and the workbook's chart images come from the Report
 * page itself: the built app is served on 127.0.0.1 and one headless Chromium shows the page
 * with these figures, prints it and draws its charts as the page's own workbook download does.
 * The workbook is written here in Node (the same workbook code as the page); without Chromium
 * or the built app it is written without its charts, and says so.
 */
import { CHROMIUM_PATH } from '$lib/server/chromium';
import { existsSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { localViews, type AskView } from '$lib/query/named-views';
import { ImportError } from '$lib/imports/errors';
import type { Lang } from '$lib/i18n/messages';
import { computeReport, type ReportData, type ReportSource } from '$lib/report/model';
import type { QualityReport } from '$lib/imports/quality';
import { ENGINE_USAGE, openServedEngine } from '$lib/server/engines';
import { pickDataset } from '$lib/server/store';
import { REPORT_BYS, specProblem, type ReportBy, type ReportSpec } from '$lib/report/spec';
import { REPORT_PERIODS, reportPeriod, type DayRange, type ReportPeriodKind } from '$lib/report/periods';
import type { Rendered } from './report-pdf';
import { reportWorkbook } from '$lib/report/xlsx';
import { viewSettings } from '$lib/metrics/views/spec';
import { parseWrapSeconds } from '$lib/metrics/agent-events-view';
import {
	IMPORT_USAGE,
	importFromDisk,
	type importSettings,
	nonNegative,
	parseSourceCommand,
	printable,
	SETTINGS_USAGE,
	settingsOptions,
	UsageError,
	exitCode
} from './shared';
import { EMPTY_FILTER } from '$lib/filters/filter';
import { isEntry, processIo, type CommandIo } from './command';

/** A command's io, and the Chromium the report's PDF and charts are drawn with (the unit tests name none there). */
export interface ReportIo extends CommandIo {
	chromium: string;
}

/** `--wrap-seconds`: checked here (a usage error), kept as written for the report's agents table. */
function wrapSetting(text: string): string {
	try {
		parseWrapSeconds(text);
	} catch (error) {
		throw new UsageError(`--wrap-seconds: ${(error as Error).message}; give seconds (20) or QUEUE=SECONDS pairs (sales=30,support=15,10)`);
	}
	return text;
}

const USAGE = `usage: npm run report -- FILE... | --engine ${ENGINE_USAGE} [--dataset NAME]
       [--period last-week|last-month|all | --from YYYY-MM-DD --to YYYY-MM-DD]
       --out report.pdf|report.xlsx|report.json [--out …]
       [--by day|week] [--dept NAME]… [--lang zh|en] [--goal 80] [--wrap-seconds 20|QUEUE=S,…] [--unmask] ${SETTINGS_USAGE}
       ${IMPORT_USAGE}
  --period: the data's last full Monday–Sunday week (last-week, the default), its last full
  calendar month (last-month) or all of it; --from/--to (both included) win over it. The summary
  compares the period with the same number of days before. --dept (repeatable) keeps those
  departments/queues only. --out (repeatable): .json writes the figures the PDF and workbook are
  made of. Callers' numbers in the call-back section are masked (138****5678) unless
  --unmask. PDF and the workbook's charts need the built app (npm run build) and Chromium
  (/usr/bin/chromium or CHROMIUM_PATH); without them the workbook is written without charts.`;

const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OUT_KINDS = ['.pdf', '.xlsx', '.json'] as const;
type OutKind = (typeof OUT_KINDS)[number];

/** The data holds no period of the kind asked (exit code 2, like bad input, without the usage). */
class NoPeriodError extends UsageError {}

/** Why the page cannot be shown in Chromium here (no built app, no Chromium), or null. */
function browserMissing(chromium: string): string | null {
	if (!existsSync(join(PROJECT, 'build/index.html'))) return 'the built app is missing (run `npm run build`)';
	if (!existsSync(chromium)) return `no Chromium at ${chromium} (apt-get install chromium, or set CHROMIUM_PATH)`;
	return null;
}

function options(args: string[], chromium: string) {
	const { values, imports } = parseSourceCommand(
		{
			from: { type: 'string' },
			to: { type: 'string' },
			period: { type: 'string', default: 'last-week' },
			by: { type: 'string', default: 'day' },
			dept: { type: 'string', multiple: true },
			out: { type: 'string', multiple: true },
			lang: { type: 'string', default: 'zh' },
			goal: { type: 'string', default: '80' },
			'wrap-seconds': { type: 'string' },
			unmask: { type: 'boolean', default: false }
		},
		USAGE,
		args
	);
	if (!values.from !== !values.to)
		throw new UsageError('--from and --to go together (the first and last day of the report, YYYY-MM-DD); without them --period chooses');
	const given: DayRange | null = values.from && values.to ? { from: values.from, to: values.to } : null;
	if (given) {
		const problem = specProblem(given);
		if (problem) throw new UsageError(problem.replace(/^(from|to):/, '--$1:'));
	}
	const periodKind = values.period as ReportPeriodKind;
	if (!REPORT_PERIODS.includes(periodKind)) throw new UsageError(`--period must be ${REPORT_PERIODS.join(', ')}, not ${JSON.stringify(values.period)}`);
	if (!REPORT_BYS.includes(values.by as ReportBy)) throw new UsageError(`--by must be day or week, not ${JSON.stringify(values.by)}`);
	if (!values.out?.length) throw new UsageError('--out is required: a file name ending in .pdf, .xlsx or .json (repeatable)');
	const outs = values.out.map((out) => {
		const kind = extname(out).toLowerCase() as OutKind;
		if (!OUT_KINDS.includes(kind)) throw new UsageError(`--out must end in .pdf, .xlsx or .json, not ${JSON.stringify(out)}`);
		if (!existsSync(dirname(resolve(out)))) throw new UsageError(`--out: the folder ${dirname(resolve(out))} does not exist`);
		return { path: resolve(out), kind };
	});
	const twice = outs.find((o, i) => outs.findIndex((p) => p.path === o.path) !== i);
	if (twice) throw new UsageError(`--out names ${twice.path} twice`);
	// A PDF is the page printed: without the browser there is none (a workbook only loses its charts).
	const missing = browserMissing(chromium);
	if (missing && outs.some((o) => o.kind === '.pdf')) throw new UsageError(`PDF needs the Report page in Chromium: ${missing}`);
	const lang: Lang | null = values.lang === 'zh' || values.lang === 'zh-CN' ? 'zh-CN' : values.lang === 'en' ? 'en' : null;
	if (!lang) throw new UsageError(`--lang must be zh or en, not ${JSON.stringify(values.lang)}`);
	const goal = nonNegative('goal', values.goal!);
	if (goal > 100) throw new UsageError('--goal is a percentage, at most 100');
	const { settings, onset, end } = settingsOptions(values);
	const spec: Omit<ReportSpec, 'from' | 'to'> = {
		by: values.by as ReportBy,
		queues: [...new Set(values.dept ?? [])],
		settings,
		goal: goal / 100,
		onset,
		end,
		...(values['wrap-seconds'] !== undefined ? { wrapSeconds: wrapSetting(values['wrap-seconds']) } : {}),
		...(values.unmask ? { unmask: true } : {})
	};
	return { imports, spec, given, periodKind, outs, missing, lang, engine: values.engine, dataset: values.dataset };
}

const PERIOD_WORDS: Record<ReportPeriodKind, string> = {
	'last-week': "the data's last full Monday–Sunday week",
	'last-month': "the data's last full calendar month",
	all: 'every day of the data'
};

/** The period reported: --from/--to, else the one `kind` names, of the data's own days; and the line that says which. */
function choosePeriod(given: DayRange | null, kind: ReportPeriodKind, source: ReportSource): { period: DayRange; line: string } {
	if (given) return { period: given, line: `period: ${given.from} – ${given.to} (--from/--to)` };
	const period = reportPeriod(kind, source.from, source.to);
	const runs = `the data runs ${source.from ?? '?'} – ${source.to ?? '?'}`;
	if (!period)
		throw new NoPeriodError(
			source.from && source.to
				? `${runs}: it holds no ${kind === 'last-month' ? 'whole calendar month' : 'full Monday–Sunday week'}; give --from and --to, or --period all`
				: 'the data has no calls, so no period to report'
		);
	return { period, line: `period: ${period.from} – ${period.to} (${kind}: ${PERIOD_WORDS[kind]}; ${runs})` };
}

/** What the report is computed from: the files imported here, or a dataset of a store or cluster. */
interface Asked {
	ask: AskView;
	id: string;
	source: ReportSource;
	quality: QualityReport | null;
	close(): Promise<void> | void;
}

async function fromFiles(imports: ReturnType<typeof importSettings>, io: CommandIo): Promise<Asked> {
	const engine = await io.openEngine();
	const table = 'calls_report';
	const { result, format } = await importFromDisk(engine, imports, table);
	const files = imports.files.map((f) => basename(f));
	const kind = result.intervals ? ({ kind: 'intervals', intervalMinutes: result.intervals.intervalMinutes } as const) : {};
	const source = { name: files.join(', '), files, format, rows: result.rows, from: result.from, to: result.to, ...kind };
	return {
		ask: localViews((query) => engine.query(query), table, undefined, null, result.intervals?.kind),
		id: table,
		source,
		quality: result.quality,
		close: () => {}
	};
}

/** The same views, rendered in the engine's dialect and asked of it directly (as `serve` does). */
async function fromEngine(spec: string, name: string | undefined): Promise<Asked> {
	const served = await openServedEngine(spec, 1, process.env).catch((error: Error) => {
		throw new UsageError(`--engine: ${error.message}`);
	});
	try {
		const dataset = pickDataset(served.datasets, name);
		const connection = served.connections[0]!;
		const { name: dsName, files, format, rows, from, to, synthetic, kind, intervalMinutes } = dataset;
		return {
			ask: localViews((query) => connection.query(query), served.tableOf(dataset), served.dialect, served.aggregate, kind),
			id: dataset.id,
			source: { name: dsName, files, format, rows, from, to, synthetic, ...(kind ? { kind, intervalMinutes } : {}) },
			quality: dataset.quality ?? null,
			close: () => served.close()
		};
	} catch (error) {
		await served.close();
		throw new UsageError((error as Error).message);
	}
}

async function main(io: ReportIo) {
	const { imports, spec: settings, given, periodKind, outs, missing, lang, engine, dataset } = options(io.args, io.chromium);
	const asked = engine ? await fromEngine(engine, dataset) : await fromFiles(imports, io);
	const { ask, id, source, quality } = asked;
	const { period, line } = choosePeriod(given, periodKind, source);
	const spec: ReportSpec = { ...period, ...settings };
	const offered = await ask({
		dataset: id,
		view: 'options',
		filter: EMPTY_FILTER,
		settings: viewSettings(spec.settings)
	});
	const known = new Set(offered.filter((o) => o.field === 'queue').map((o) => o.value));
	const unknown = spec.queues.filter((q) => !known.has(q));
	if (unknown.length)
		throw new UsageError(
			`--dept ${unknown.map((q) => JSON.stringify(q)).join(', ')}: not in the data, which has ${[...known].map((q) => JSON.stringify(q)).join(', ') || 'no departments'}`
		);
	const data = await computeReport(ask, id, spec, source, quality);
	await asked.close();
	io.out(printable(line));
	if (!Number(data.summary.volume))
		io.err(`holdline report: no calls from ${spec.from} to ${spec.to} (the data runs ${source.from ?? '?'} – ${source.to ?? '?'}); the report says so`);
	const rendered = await render(data, lang, outs, missing, io.chromium);
	for (const out of outs) {
		let charts = '';
		if (out.kind === '.json') writeFileSync(out.path, JSON.stringify(data, null, 2));
		else if (out.kind === '.pdf') writeFileSync(out.path, rendered.pdf!);
		else {
			writeFileSync(out.path, await reportWorkbook(data, lang, rendered.charts ?? []));
			charts = `, ${rendered.charts?.length ?? 0} charts`;
			if (!rendered.charts) io.err(printable(`holdline report: warning: ${basename(out.path)} is written without its charts: ${missing}`));
		}
		io.out(printable(`${out.path}: ${spec.from} – ${spec.to}, ${data.summary.volume} calls${charts}`));
	}
}

/** The PDF and the workbook's chart images from one Chromium showing the Report page; none when not asked or not possible. */
async function render(data: ReportData, lang: Lang, outs: { kind: OutKind }[], missing: string | null, chromium: string): Promise<Rendered> {
	const want = { pdf: outs.some((o) => o.kind === '.pdf'), charts: !missing && outs.some((o) => o.kind === '.xlsx') };
	if (!want.pdf && !want.charts) return { pdf: null, charts: null };
	const { renderReport } = await import('./report-pdf');
	return renderReport(PROJECT, chromium, data, lang, want);
}

/** Runs the command; resolves to its exit code, the error said on `io.err`. */
export async function reportCommand(io: ReportIo): Promise<number> {
	try {
		await main(io);
		return 0;
	} catch (error) {
		if (error instanceof NoPeriodError) io.err(printable(`holdline report: ${error.message}`));
		else if (error instanceof UsageError) io.err(`holdline report: ${error.message}\n${USAGE}`);
		else if (error instanceof ImportError) io.err(printable(`holdline report: ${error.message}`));
		else io.err(printable(`holdline report: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`));
		return exitCode(error);
	}
}

if (isEntry(import.meta.url))
	void reportCommand({ ...processIo(), chromium: CHROMIUM_PATH }).then((code) => {
		if (code) process.exit(code);
	});
