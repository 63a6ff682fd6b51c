/**
 * The weekly report on the command line, for scheduled runs: the same importers, SQL and
 * tables as the Report page.
 *
 *   npm run report -- FILE... --from 2024-03-11 --to 2024-03-17 [--by day|week] [--dept NAME]…
 *     --out report.pdf|report.xlsx [--lang zh|en] [--goal 80] [metric and import options]
 *   npm run report -- --engine duckdb:STORE|clickhouse:URL [--dataset NAME] --from … (the same)
 *
 * XLSX is written here in Node (the same workbook code as the page; without chart images,
 * which need a browser to draw). PDF is the Report page itself: the built app is served on
 * 127.0.0.1, Chromium renders the page with these figures and prints it, so the PDF is laid
 * out exactly as the page prints.
 */
import { CHROMIUM_PATH } from '$lib/server/chromium';
import { existsSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openNodeEngine } from '$lib/engine/node';
import { localViews, type AskView } from '$lib/query/named-views';
import { ImportError } from '$lib/imports/errors';
import type { Lang } from '$lib/i18n/messages';
import { computeReport, type ReportData, type ReportSource } from '$lib/report/model';
import type { QualityReport } from '$lib/imports/quality';
import { ENGINE_USAGE, openServedEngine } from '$lib/server/engines';
import { pickDataset } from '$lib/server/store';
import { REPORT_BYS, specProblem, type ReportBy, type ReportSpec } from '$lib/report/spec';
import { reportWorkbook } from '$lib/report/xlsx';
import { viewSettings } from '$lib/metrics/views/spec';
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

const USAGE = `usage: npm run report -- FILE... | --engine ${ENGINE_USAGE} [--dataset NAME]
       --from YYYY-MM-DD --to YYYY-MM-DD --out report.pdf|report.xlsx|report.json
       [--by day|week] [--dept NAME]… [--lang zh|en] [--goal 80] [--unmask] ${SETTINGS_USAGE}
       ${IMPORT_USAGE}
  --from/--to: the first and last day reported (both included); the summary compares them with
  the same number of days before. --dept (repeatable) keeps those departments/queues only.
  Callers' numbers in the call-back section are masked (138****5678) unless --unmask.
  .json writes the figures the PDF and workbook are made of. PDF needs the built app (npm run build) and Chromium (/usr/bin/chromium or CHROMIUM_PATH).`;

const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function options() {
	const { values, imports } = parseSourceCommand(
		{
			from: { type: 'string' },
			to: { type: 'string' },
			by: { type: 'string', default: 'day' },
			dept: { type: 'string', multiple: true },
			out: { type: 'string' },
			lang: { type: 'string', default: 'zh' },
			goal: { type: 'string', default: '80' },
			unmask: { type: 'boolean', default: false }
		},
		USAGE
	);
	if (!values.from || !values.to) throw new UsageError('--from and --to are required (the first and last day of the report, YYYY-MM-DD)');
	const problem = specProblem({ from: values.from, to: values.to });
	if (problem) throw new UsageError(problem.replace(/^(from|to):/, '--$1:'));
	if (!REPORT_BYS.includes(values.by as ReportBy)) throw new UsageError(`--by must be day or week, not ${JSON.stringify(values.by)}`);
	if (!values.out) throw new UsageError('--out is required: a file name ending in .pdf or .xlsx');
	const kind = extname(values.out).toLowerCase();
	if (kind !== '.pdf' && kind !== '.xlsx' && kind !== '.json')
		throw new UsageError(`--out must end in .pdf, .xlsx or .json, not ${JSON.stringify(values.out)}`);
	if (!existsSync(dirname(resolve(values.out)))) throw new UsageError(`--out: the folder ${dirname(resolve(values.out))} does not exist`);
	const lang: Lang | null = values.lang === 'zh' || values.lang === 'zh-CN' ? 'zh-CN' : values.lang === 'en' ? 'en' : null;
	if (!lang) throw new UsageError(`--lang must be zh or en, not ${JSON.stringify(values.lang)}`);
	const goal = nonNegative('goal', values.goal!);
	if (goal > 100) throw new UsageError('--goal is a percentage, at most 100');
	const { settings, onset, end } = settingsOptions(values);
	const spec: ReportSpec = {
		from: values.from,
		to: values.to,
		by: values.by as ReportBy,
		queues: [...new Set(values.dept ?? [])],
		settings,
		goal: goal / 100,
		onset,
		end,
		...(values.unmask ? { unmask: true } : {})
	};
	return { imports, spec, out: resolve(values.out), kind, lang, engine: values.engine, dataset: values.dataset };
}

/** Renders the Report page with these figures in headless Chromium and prints it to PDF. */
async function writePdf(data: ReportData, lang: Lang, out: string): Promise<void> {
	const chromiumPath = CHROMIUM_PATH;
	if (!existsSync(join(PROJECT, 'build/index.html'))) throw new UsageError('PDF needs the built app: run `npm run build` first');
	if (!existsSync(chromiumPath)) throw new UsageError(`PDF needs Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`);
	const { renderPdf } = await import('./report-pdf');
	writeFileSync(out, await renderPdf(PROJECT, chromiumPath, data, lang));
}

/** What the report is computed from: the files imported here, or a dataset of a store or cluster. */
interface Asked {
	ask: AskView;
	id: string;
	source: ReportSource;
	quality: QualityReport | null;
	close(): Promise<void> | void;
}

async function fromFiles(imports: ReturnType<typeof importSettings>): Promise<Asked> {
	const engine = await openNodeEngine();
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

async function main() {
	const { imports, spec, out, kind, lang, engine, dataset } = options();
	const asked = engine ? await fromEngine(engine, dataset) : await fromFiles(imports);
	const { ask, id, source, quality } = asked;
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
	if (!Number(data.summary.volume))
		console.error(`holdline report: no calls from ${spec.from} to ${spec.to} (the data runs ${source.from ?? '?'} – ${source.to ?? '?'}); the report says so`);
	if (kind === '.xlsx') writeFileSync(out, await reportWorkbook(data, lang));
	else if (kind === '.json') writeFileSync(out, JSON.stringify(data, null, 2));
	else await writePdf(data, lang, out);
	console.log(printable(`${out}: ${spec.from} – ${spec.to}, ${data.summary.volume} calls`));
}

main().catch((error) => {
	if (error instanceof UsageError) console.error(`holdline report: ${error.message}\n${USAGE}`);
	else if (error instanceof ImportError) console.error(printable(`holdline report: ${error.message}`));
	else console.error(printable(`holdline report: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`));
	process.exit(exitCode(error));
});
