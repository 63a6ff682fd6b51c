/**
 * The weekly report on the command line, for scheduled runs: the same importers, SQL and
 * tables as the Report page.
 *
 *   npm run report -- FILE... --from 2024-03-11 --to 2024-03-17 [--by day|week] [--dept NAME]…
 *     --out report.pdf|report.xlsx [--lang zh|en] [--goal 80] [metric and import options]
 *
 * XLSX is written here in Node (the same workbook code as the page; without chart images,
 * which need a browser to draw). PDF is the Report page itself: the built app is served on
 * 127.0.0.1, Chromium renders the page with these figures and prints it, so the PDF is laid
 * out exactly as the page prints.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openNodeEngine } from '$lib/db/node';
import { localViews } from '$lib/db/named-views';
import { ImportError } from '$lib/imports/errors';
import type { Lang } from '$lib/i18n/messages';
import { computeReport, type ReportData } from '$lib/report/model';
import { REPORT_BYS, specProblem, type ReportBy, type ReportSpec } from '$lib/report/spec';
import { reportWorkbook } from '$lib/report/xlsx';
import { optionsQuery } from '$lib/metrics/service';
import {
	IMPORT_OPTIONS,
	IMPORT_USAGE,
	importFromDisk,
	importSettings,
	nonNegative,
	printable,
	SETTINGS_OPTIONS,
	SETTINGS_USAGE,
	settingsOptions,
	UsageError
} from './shared';

const USAGE = `usage: npm run report -- FILE... --from YYYY-MM-DD --to YYYY-MM-DD --out report.pdf|report.xlsx|report.json
       [--by day|week] [--dept NAME]… [--lang zh|en] [--goal 80] ${SETTINGS_USAGE}
       ${IMPORT_USAGE}
  --from/--to: the first and last day reported (both included); the summary compares them with
  the same number of days before. --dept (repeatable) keeps those departments/queues only.
  .json writes the figures the PDF and workbook are made of. PDF needs the built app (npm run build) and Chromium (/usr/bin/chromium or CHROMIUM_PATH).`;

const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function options() {
	const { values, positionals } = parseArgs({
		allowPositionals: true,
		options: {
			...IMPORT_OPTIONS,
			...SETTINGS_OPTIONS,
			from: { type: 'string' },
			to: { type: 'string' },
			by: { type: 'string', default: 'day' },
			dept: { type: 'string', multiple: true },
			out: { type: 'string' },
			lang: { type: 'string', default: 'zh' },
			goal: { type: 'string', default: '80' },
			help: { type: 'boolean', default: false }
		}
	});
	if (values.help) {
		console.log(USAGE);
		process.exit(0);
	}
	const imports = importSettings(values, positionals);
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
		end
	};
	return { imports, spec, out: resolve(values.out), kind, lang };
}

/** Renders the Report page with these figures in headless Chromium and prints it to PDF. */
async function writePdf(data: ReportData, lang: Lang, out: string): Promise<void> {
	const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
	if (!existsSync(join(PROJECT, 'build/index.html'))) throw new UsageError('PDF needs the built app: run `npm run build` first');
	if (!existsSync(chromiumPath)) throw new UsageError(`PDF needs Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`);
	const { renderPdf } = await import('./report-pdf');
	writeFileSync(out, await renderPdf(PROJECT, chromiumPath, data, lang));
}

async function main() {
	const { imports, spec, out, kind, lang } = options();
	const engine = await openNodeEngine();
	const table = 'calls_report';
	const { result, format } = await importFromDisk(engine, imports, table);
	const known = new Set((await engine.query<{ field: string; value: string }>(optionsQuery(table))).filter((o) => o.field === 'queue').map((o) => o.value));
	const unknown = spec.queues.filter((q) => !known.has(q));
	if (unknown.length)
		throw new UsageError(
			`--dept ${unknown.map((q) => JSON.stringify(q)).join(', ')}: not in the data, which has ${[...known].map((q) => JSON.stringify(q)).join(', ') || 'no departments'}`
		);
	const source = {
		name: imports.files.map((f) => basename(f)).join(', '),
		files: imports.files.map((f) => basename(f)),
		format,
		rows: result.rows,
		from: result.from,
		to: result.to
	};
	const data = await computeReport(
		localViews((query) => engine.query(query), table),
		table,
		spec,
		source,
		result.quality
	);
	if (!Number(data.summary.volume))
		console.error(`holdline report: no calls from ${spec.from} to ${spec.to} (the data runs ${result.from ?? '?'} – ${result.to ?? '?'}); the report says so`);
	if (kind === '.xlsx') writeFileSync(out, await reportWorkbook(data, lang));
	else if (kind === '.json') writeFileSync(out, JSON.stringify(data, null, 2));
	else await writePdf(data, lang, out);
	console.log(printable(`${out}: ${spec.from} – ${spec.to}, ${data.summary.volume} calls`));
}

main().catch((error) => {
	if (error instanceof UsageError) console.error(`holdline report: ${error.message}\n${USAGE}`);
	else if (error instanceof ImportError) console.error(printable(`holdline report: ${error.message}`));
	else console.error(printable(`holdline report: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`));
	process.exit(error instanceof UsageError ? 2 : 1);
});
