/**
 * holdline metrics on the command line: the same importers and the same SQL as the app,
 * on DuckDB-WASM in Node.
 *
 *   npm run metrics -- FILE... [--format auto|asterisk-cdr|queue_log|freeswitch|bank-research|mapped]
 *     [--threshold 20] [--short-abandon 5] [--variant count|exclude|exclude_short]
 *     [--onset "YYYY-MM-DD HH:MM:SS"] [--end "YYYY-MM-DD HH:MM:SS"]
 *     [--by department|agent|interval] [--interval 15|30|60|day] [--utc-offset HOURS]
 *     [--map FIELD=COLUMN]… [--mapping FILE.json] [--clock-skew 5] [--date-order auto|dmy|mdy]
 *     [--strict] [--json]
 *
 * Bad rows are left out and reported (as in the app); --strict stops at the first.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openNodeEngine } from '$lib/db/node';
import { ImportError } from '$lib/imports/errors';
import { FORMAT_IDS, type FormatId } from '$lib/imports/formats';
import { inspectFile } from '$lib/imports/inspect';
import { fromDisk } from '$lib/imports/node-source';
import { importFiles } from '$lib/imports/pipeline';
import { MAPPABLE_FIELDS, type Mapping } from '$lib/imports/canonical';
import { DEFAULT_CLOCK_SKEW_S, isQualityCode, type QualityCode, type QualityEntry, type QualityReport } from '$lib/imports/quality';
import { MESSAGES } from '$lib/i18n/messages';
import { describeImportError } from '$lib/imports/errors';
import { parseMappingFile } from '$lib/imports/saved-mappings';
import { DATE_ORDER_CHOICES, type DateOrderChoice } from '$lib/imports/date-order';
import { incidentByQuery, incidentQuery } from '$lib/metrics/incident';
import {
	groupQuery,
	intervalQuery,
	metricDefinitions,
	NO_FILTER,
	SL_VARIANTS,
	summaryQuery,
	type IntervalSize,
	type SlVariant
} from '$lib/metrics/service';
import type { Row } from '$lib/db/types';

const USAGE = `usage: npm run metrics -- FILE... [--format auto|${FORMAT_IDS.join('|')}] [--threshold 20] [--short-abandon 5]
       [--variant ${SL_VARIANTS.join('|')}] [--onset "YYYY-MM-DD HH:MM:SS"] [--end "…"] [--by department|agent|interval]
       [--interval 15|30|60|day] [--utc-offset HOURS] [--map FIELD=COLUMN]… [--mapping FILE.json]
       [--clock-skew 5] [--date-order auto|dmy|mdy] [--strict] [--json]
  Bad rows are left out and reported; --strict stops at the first instead.
  --map / --mapping name the columns of a layout holdline does not recognise
  (fields: ${MAPPABLE_FIELDS.join(', ')}); --mapping takes the file the app's mapping step saves.
  --date-order: how 03/04/2024 is read (auto: from the data, day-first when nothing settles it).`;

class UsageError extends Error {}

function options() {
	const { values, positionals } = parseArgs({
		allowPositionals: true,
		options: {
			format: { type: 'string', default: 'auto' },
			threshold: { type: 'string', default: '20' },
			'short-abandon': { type: 'string', default: '5' },
			variant: { type: 'string', default: 'count' },
			onset: { type: 'string' },
			end: { type: 'string' },
			by: { type: 'string' },
			interval: { type: 'string', default: '60' },
			'utc-offset': { type: 'string' },
			'skip-bad-rows': { type: 'boolean', default: false },
			strict: { type: 'boolean', default: false },
			map: { type: 'string', multiple: true },
			mapping: { type: 'string' },
			'clock-skew': { type: 'string' },
			'date-order': { type: 'string', default: 'auto' },
			json: { type: 'boolean', default: false },
			help: { type: 'boolean', default: false }
		}
	});
	if (values.help) {
		console.log(USAGE);
		process.exit(0);
	}
	if (!positionals.length) throw new UsageError('no input file given');
	const number = (name: string, text: string) => {
		const value = Number(text);
		if (!Number.isFinite(value) || value < 0) throw new UsageError(`--${name} must be a non-negative number, not ${JSON.stringify(text)}`);
		return value;
	};
	const format = values.format as FormatId | 'auto';
	if (format !== 'auto' && !FORMAT_IDS.includes(format)) throw new UsageError(`unknown --format ${JSON.stringify(format)}`);
	if (!SL_VARIANTS.includes(values.variant as SlVariant)) throw new UsageError(`unknown --variant ${JSON.stringify(values.variant)}`);
	const by = values.by;
	if (by && !['department', 'agent', 'interval'].includes(by)) throw new UsageError(`unknown --by ${JSON.stringify(by)}`);
	const time = (name: string, text: string | undefined) => {
		if (text === undefined) return null;
		if (!/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$/.test(text)) throw new UsageError(`--${name} must look like "2008-05-12 14:28:00", not ${JSON.stringify(text)}`);
		return text.replace('T', ' ');
	};
	const interval = values.interval === 'day' ? 'day' : (Number(values.interval) as IntervalSize);
	if (![15, 30, 60, 'day'].includes(interval)) throw new UsageError('--interval must be 15, 30, 60 or day');
	const dateOrder = values['date-order'] as DateOrderChoice;
	if (!DATE_ORDER_CHOICES.includes(dateOrder)) throw new UsageError(`--date-order must be auto, dmy or mdy, not ${JSON.stringify(dateOrder)}`);
	if (values.strict && values['skip-bad-rows']) throw new UsageError('--strict and --skip-bad-rows contradict each other');
	let mapping: Mapping | null = null;
	if (values.mapping) {
		try {
			mapping = parseMappingFile(readFileSync(values.mapping, 'utf8'));
		} catch (error) {
			throw new UsageError(`--mapping ${values.mapping}: ${error instanceof Error ? error.message : String(error)}`);
		}
	}
	for (const pair of values.map ?? []) {
		const m = /^([a-z_]+)=(.+)$/.exec(pair);
		if (!m || !(MAPPABLE_FIELDS as readonly string[]).includes(m[1]!))
			throw new UsageError(`--map takes FIELD=COLUMN with FIELD one of ${MAPPABLE_FIELDS.join(', ')}, not ${JSON.stringify(pair)}`);
		mapping = { ...mapping, [m[1]!]: m[2]!.replace(/^"(.*)"$/, '$1') };
	}
	if (mapping && format !== 'auto' && format !== 'mapped') throw new UsageError(`--map and --mapping are for the mapped format, not --format ${format}`);
	return {
		files: positionals,
		format: mapping ? ('mapped' as const) : format,
		mapping,
		clockSkewS: values['clock-skew'] !== undefined ? number('clock-skew', values['clock-skew']) : DEFAULT_CLOCK_SKEW_S,
		dateOrder,
		settings: { thresholdS: number('threshold', values.threshold!), shortAbandonS: number('short-abandon', values['short-abandon']!), variant: values.variant as SlVariant },
		onset: time('onset', values.onset),
		end: time('end', values.end),
		by: by as 'department' | 'agent' | 'interval' | undefined,
		interval,
		utcOffsetSeconds: values['utc-offset'] !== undefined ? Number(values['utc-offset']) * 3600 : -new Date().getTimezoneOffset() * 60,
		strict: values.strict!,
		json: values.json!
	};
}

function format(value: unknown, key: string): string {
	if (value === null || value === undefined) return '–';
	if (typeof value === 'number') {
		if (/service_level|rate|share/.test(key)) return `${(value * 100).toFixed(1)}%`;
		return Number.isInteger(value) ? String(value) : value.toFixed(1);
	}
	return String(value);
}

function table(title: string, rows: Row[]): string {
	if (!rows.length) return `${title}\n  (no rows)\n`;
	const keys = Object.keys(rows[0]!);
	const cells = rows.map((r) => keys.map((k) => format(r[k], k)));
	const widths = keys.map((k, i) => Math.max(k.length, ...cells.map((c) => c[i]!.length)));
	const line = (values: string[]) => values.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
	return [title, line(keys), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line), ''].join('\n');
}

/** Cell text is the file's: strip control characters (terminal escapes) from everything printed. */
export function printable(text: string): string {
	return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\ufffd');
}

/** Figures a warning makes untrustworthy, e.g. waits measured from times without seconds. */
const UNTRUSTED: Record<string, string[]> = { minute_precision: ['wait_s', 'answered_within', 'service_level', 'asa_s', 'short_abandoned', 'abandon_rate'] };

/** A quality code's sentence: the app's English words. */
const codeText = (code: QualityCode) => MESSAGES.en[`quality.code.${code}`];

function reason(entry: QualityEntry): string {
	if (isQualityCode(entry.code)) return codeText(entry.code);
	return describeImportError({ problem: entry.code as never });
}

function qualityText(report: QualityReport): string {
	const lines = [`Data quality: ${report.rowsRead} rows read → ${report.calls} calls (clock-skew tolerance ${report.settings.clockSkewS} s)`];
	if (!report.entries.length) lines.push('  nothing repaired, excluded, merged or skipped');
	for (const e of report.entries) {
		lines.push(`  ${e.kind.padEnd(8)} ${String(e.count).padStart(7)}  ${e.code}: ${reason(e)}`);
		for (const x of e.examples.slice(0, 3))
			lines.push(`             ${x.file}:${x.line}${x.column ? ` column ${JSON.stringify(x.column)}` : ''}${x.value !== undefined ? ` ${JSON.stringify(x.value)}` : ''}${x.detail ? ` (${x.detail})` : ''}`);
	}
	return lines.join('\n') + '\n';
}

async function main() {
	const opts = options();
	const engine = await openNodeEngine();
	const sources = await Promise.all(opts.files.map(fromDisk));
	const inspections = [];
	for (const source of sources) inspections.push(await inspectFile(source, opts.format));
	const first = inspections[0]!;
	const result = await importFiles(
		engine,
		inspections,
		{
			format: first.format,
			mapping: opts.mapping ? { ...first.suggested, ...opts.mapping } : first.suggested,
			onBadRows: opts.strict ? 'abort' : 'skip',
			utcOffsetSeconds: opts.utcOffsetSeconds,
			clockSkewS: opts.clockSkewS,
			dateOrder: opts.dateOrder
		},
		{ table: 'calls_cli' }
	);
	const t = result.table;
	const quality = result.quality;
	const untrusted = [...new Set(quality.flags.flatMap((f) => UNTRUSTED[f] ?? []))];
	const out: Record<string, unknown> = {
		files: opts.files,
		format: first.format,
		rows: result.rows,
		from: result.from,
		to: result.to,
		skipped: result.skipped.count,
		settings: opts.settings,
		definitions: metricDefinitions(opts.settings),
		warnings: quality.flags.map((f) => ({ code: f, text: codeText(f), untrusted: UNTRUSTED[f] ?? [] })),
		summary: (await engine.query(summaryQuery(t, opts.settings, NO_FILTER)))[0],
		quality: { ...quality, entries: quality.entries.map((e) => ({ ...e, reason: reason(e) })) }
	};
	if (opts.by === 'department') out.by_department = await engine.query(groupQuery(t, opts.settings, NO_FILTER, 'queue'));
	if (opts.by === 'agent') out.by_agent = await engine.query(groupQuery(t, opts.settings, NO_FILTER, 'agent'));
	if (opts.by === 'interval') out.by_interval = await engine.query(intervalQuery(t, opts.settings, NO_FILTER, opts.interval));
	if (opts.onset) {
		const window = { onset: opts.onset, end: opts.end, longS: 120 };
		out.incident = { ...window, ...(await engine.query(incidentQuery(t, window, NO_FILTER)))[0] };
		if (opts.by === 'department') out.incident_by_department = await engine.query(incidentByQuery(t, window, NO_FILTER, 'queue'));
		if (opts.by === 'agent') out.incident_by_agent = await engine.query(incidentByQuery(t, window, NO_FILTER, 'agent'));
	}
	if (opts.json) {
		console.log(printable(JSON.stringify(out, null, 2)));
		return;
	}
	const s = opts.settings;
	const print = (text: string) => console.log(printable(text));
	print(`${result.rows} calls from ${opts.files.join(', ')} (${first.format}), ${result.from ?? '?'} – ${result.to ?? '?'}`);
	print(`service level = answered within ${s.thresholdS} s; abandons: ${s.variant}; short abandon < ${s.shortAbandonS} s; abandonment = ${metricDefinitions(s).abandon_rate}\n`);
	for (const f of quality.flags) print(`WARNING: ${codeText(f)}. Marked * below: ${UNTRUSTED[f]?.join(', ')}\n`);
	const mark = (rows: Row[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [untrusted.includes(k) ? `${k}*` : k, v])));
	print(table('Summary', mark([out.summary as Row])));
	for (const key of ['by_department', 'by_agent', 'by_interval', 'incident_by_department', 'incident_by_agent'])
		if (out[key]) print(table(key.replace(/_/g, ' '), mark(out[key] as Row[])));
	if (out.incident) print(table('Incident window', [out.incident as Row]));
	print(qualityText(quality));
}

main().catch((error) => {
	if (error instanceof UsageError) console.error(`holdline metrics: ${error.message}\n${USAGE}`);
	else if (error instanceof ImportError) console.error(printable(`holdline metrics: ${error.message}`));
	else console.error(printable(`holdline metrics: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`));
	process.exit(error instanceof UsageError ? 2 : 1);
});
