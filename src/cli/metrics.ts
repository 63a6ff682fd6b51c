/**
 * holdline metrics on the command line: the same importers and the same SQL as the app,
 * on DuckDB-WASM in Node.
 *
 *   npm run metrics -- FILE... [--format auto|asterisk-cdr|queue_log|freeswitch|bank-research|mapped]
 *     [--threshold 20] [--short-abandon 5] [--variant count|exclude|exclude_short]
 *     [--onset "YYYY-MM-DD HH:MM:SS"] [--end "YYYY-MM-DD HH:MM:SS"]
 *     [--by department|agent|interval] [--interval 15|30|60|day] [--skip-bad-rows] [--json]
 */
import { parseArgs } from 'node:util';
import { openNodeEngine } from '$lib/db/node';
import { ImportError } from '$lib/imports/errors';
import { FORMAT_IDS, type FormatId } from '$lib/imports/formats';
import { inspectFile } from '$lib/imports/inspect';
import { fromDisk } from '$lib/imports/node-source';
import { importFiles } from '$lib/imports/pipeline';
import { incidentByQuery, incidentQuery } from '$lib/metrics/incident';
import {
	groupQuery,
	intervalQuery,
	NO_FILTER,
	SL_VARIANTS,
	summaryQuery,
	type IntervalSize,
	type SlVariant
} from '$lib/metrics/service';
import type { Row } from '$lib/db/types';

const USAGE = `usage: npm run metrics -- FILE... [--format auto|${FORMAT_IDS.join('|')}] [--threshold 20] [--short-abandon 5]
       [--variant ${SL_VARIANTS.join('|')}] [--onset "YYYY-MM-DD HH:MM:SS"] [--end "…"] [--by department|agent|interval]
       [--interval 15|30|60|day] [--utc-offset HOURS] [--skip-bad-rows] [--json]`;

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
	return {
		files: positionals,
		format,
		settings: { thresholdS: number('threshold', values.threshold!), shortAbandonS: number('short-abandon', values['short-abandon']!), variant: values.variant as SlVariant },
		onset: time('onset', values.onset),
		end: time('end', values.end),
		by: by as 'department' | 'agent' | 'interval' | undefined,
		interval,
		utcOffsetSeconds: values['utc-offset'] !== undefined ? Number(values['utc-offset']) * 3600 : -new Date().getTimezoneOffset() * 60,
		skipBad: values['skip-bad-rows']!,
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
		{ format: first.format, mapping: first.suggested, onBadRows: opts.skipBad ? 'skip' : 'abort', utcOffsetSeconds: opts.utcOffsetSeconds },
		{ table: 'calls_cli' }
	);
	const t = result.table;
	const out: Record<string, unknown> = {
		files: opts.files,
		format: first.format,
		rows: result.rows,
		from: result.from,
		to: result.to,
		skipped: result.skipped.count,
		settings: opts.settings,
		summary: (await engine.query(summaryQuery(t, opts.settings, NO_FILTER)))[0]
	};
	if (opts.by === 'department') out.by_department = (await engine.query(groupQuery(t, opts.settings, NO_FILTER, 'queue')));
	if (opts.by === 'agent') out.by_agent = (await engine.query(groupQuery(t, opts.settings, NO_FILTER, 'agent')));
	if (opts.by === 'interval') out.by_interval = (await engine.query(intervalQuery(t, opts.settings, NO_FILTER, opts.interval)));
	if (opts.onset) {
		const window = { onset: opts.onset, end: opts.end, longS: 120 };
		out.incident = { ...window, ...(await engine.query(incidentQuery(t, window, NO_FILTER)))[0] };
		if (opts.by === 'department') out.incident_by_department = (await engine.query(incidentByQuery(t, window, NO_FILTER, 'queue')));
		if (opts.by === 'agent') out.incident_by_agent = (await engine.query(incidentByQuery(t, window, NO_FILTER, 'agent')));
	}
	if (opts.json) {
		console.log(JSON.stringify(out, null, 2));
		return;
	}
	const s = opts.settings;
	console.log(`${result.rows} calls from ${opts.files.join(', ')} (${first.format}), ${result.from ?? '?'} – ${result.to ?? '?'}`);
	if (result.skipped.count) console.log(`${result.skipped.count} bad rows skipped, e.g. ${result.skipped.examples.slice(0, 3).map((e) => `${e.file}:${e.line}`).join(', ')}`);
	console.log(`service level = answered within ${s.thresholdS} s; abandons: ${s.variant}; short abandon < ${s.shortAbandonS} s\n`);
	console.log(table('Summary', [out.summary as Row]));
	for (const key of ['by_department', 'by_agent', 'by_interval', 'incident_by_department', 'incident_by_agent'])
		if (out[key]) console.log(table(key.replace(/_/g, ' '), out[key] as Row[]));
	if (out.incident) console.log(table('Incident window', [out.incident as Row]));
}

main().catch((error) => {
	if (error instanceof UsageError) console.error(`holdline metrics: ${error.message}\n${USAGE}`);
	else if (error instanceof ImportError) console.error(`holdline metrics: ${error.message}`);
	else console.error(`holdline metrics: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
	process.exit(error instanceof UsageError ? 2 : 1);
});
