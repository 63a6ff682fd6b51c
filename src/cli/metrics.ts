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
 *
 *   npm run metrics -- --engine duckdb:STORE.duckdb|clickhouse:URL [--dataset NAME] [the same metric options]
 *
 * asks a store made by `npm run load` instead (native DuckDB), with the same output.
 *
 * An interval dataset (an ACD's interval report) answers the summary, per department and per
 * interval; per agent and the incident window need calls. `--by interval` on calls rolls them up
 * into the interval table first (`--interval` long, T and S as set) and prints what the import of
 * that interval table would.
 */
import { ImportError } from '$lib/imports/errors';
import { MAPPABLE_FIELDS } from '$lib/imports/canonical';
import { markedFigures } from '$lib/imports/flags';
import type { QualityReport } from '$lib/imports/quality';
import { codeText, qualityText, reason } from './quality-text';
import { openServerDataset, openStoreDataset } from './store-source';
import { IMPORT_USAGE, importFromDisk, parseSourceCommand, SETTINGS_USAGE, printable, settingsOptions, UsageError, exitCode, mappingText } from './shared';
import { incidentWindow } from '$lib/metrics/incident';
import { type IntervalSize } from '$lib/metrics/service';
import { callerDefinitions, metricDefinitions } from '$lib/metrics/definitions';
import { localViews, type AskView } from '$lib/query/named-views';
import type { ViewName } from '$lib/metrics/views/registry';
import { viewSettings } from '$lib/metrics/views/spec';
import type { Query, Row } from '$lib/engine/types';
import type { Dialect } from '$lib/sql/dialect';
import { DUCKDB } from '$lib/sql/dialect-duckdb';
import { ENGINE_USAGE } from '$lib/server/engines';
import { EMPTY_FILTER } from '$lib/filters/filter';
import type { DatasetKind } from '$lib/imports/saved-dataset';
import { intervalMetricDefinitions } from '$lib/metrics/interval-measures';
import { DEFAULT_CALLBACK_HOURS, MAX_CALLBACK_HOURS } from '$lib/metrics/callers';
import { rollUpIntoIntervals } from './interval-rollup';
import { isEntry, processIo, type CommandIo } from './command';

const USAGE = `usage: npm run metrics -- FILE... | --engine ${ENGINE_USAGE}|http://HOST:PORT [--dataset NAME] ${SETTINGS_USAGE}
       [--by department|agent|interval] [--interval 15|30|60|day] [--callbacks [--callback-hours 24] [--unmask]] [--json] ${IMPORT_USAGE}
  A server started with --users signs the command in: the name in the URL (http://NAME@HOST:PORT)
  or HOLDLINE_USER, the password in HOLDLINE_PASSWORD or typed when asked.
  --callbacks adds the repeat-caller rates and the abandoned callers to call back (numbers masked
  as 138****5678 unless --unmask).
  Bad rows are left out and reported; --strict stops at the first instead.
  --map / --mapping name the columns of a layout holdline does not recognise
  (fields: ${MAPPABLE_FIELDS.join(', ')}); --mapping takes the file the app's mapping step saves.`;

function options(args: string[]) {
	const { values, imports } = parseSourceCommand(
		{
			by: { type: 'string' },
			interval: { type: 'string', default: '60' },
			json: { type: 'boolean', default: false },
			callbacks: { type: 'boolean', default: false },
			'callback-hours': { type: 'string', default: String(DEFAULT_CALLBACK_HOURS) },
			unmask: { type: 'boolean', default: false }
		},
		USAGE,
		args
	);
	const by = values.by;
	if (by && !['department', 'agent', 'interval'].includes(by)) throw new UsageError(`unknown --by ${JSON.stringify(by)}`);
	const interval = values.interval === 'day' ? 'day' : (Number(values.interval) as Exclude<IntervalSize, 'week'>);
	if (![15, 30, 60, 'day'].includes(interval)) throw new UsageError('--interval must be 15, 30, 60 or day');
	const callbackHours = Number(values['callback-hours']);
	if (!(callbackHours >= 1 && callbackHours <= MAX_CALLBACK_HOURS))
		throw new UsageError(`--callback-hours must be from 1 to ${MAX_CALLBACK_HOURS}, not ${JSON.stringify(values['callback-hours'])}`);
	return {
		...imports,
		...settingsOptions(values),
		by: by as 'department' | 'agent' | 'interval' | undefined,
		interval,
		json: values.json!,
		callbacks: values.callbacks!,
		callbackHours,
		unmask: values.unmask!,
		engine: values.engine,
		dataset: values.dataset
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

/** The calls to ask, from files imported now or from a loaded store, and what describes them. */
interface Source {
	engine: { query(query: Query): Promise<Row[]> };
	/** The SQL dialect of the engine: DuckDB here and in a store, ClickHouse for a cluster. */
	dialect: Dialect;
	table: string;
	files: string[];
	format: string;
	rows: number;
	from: string | null;
	to: string | null;
	skipped: number;
	quality: QualityReport;
	/** What the table holds (absent: calls), and an interval dataset's interval length. */
	kind?: DatasetKind;
	intervalMinutes?: number;
	/** A running server (`--engine http://…`) answers views by name instead of SQL. */
	ask?: AskView;
	close(): void | Promise<void>;
}

async function fromFiles(opts: ReturnType<typeof options>, io: CommandIo): Promise<Source> {
	const engine = await io.openEngine();
	const { result, format } = await importFromDisk(engine, opts, 'calls_cli');
	const { table, rows, from, to, quality } = result;
	// An interval report imports as an interval table: its views differ (metrics/views/interval-views.ts).
	const kind = result.intervals ? ({ kind: 'intervals', intervalMinutes: result.intervals.intervalMinutes } as const) : {};
	return { engine, dialect: DUCKDB, table, files: opts.files, format, rows, from, to, skipped: result.skipped.count, quality, ...kind, close() {} };
}

async function main(io: CommandIo) {
	const opts = options(io.args);
	const source = opts.engine
		? /^https?:\/\//.test(opts.engine)
			? await openServerDataset(opts.engine, opts.dataset)
			: await openStoreDataset(opts.engine, opts.dataset)
		: await fromFiles(opts, io);
	try {
		await report(opts, source, io);
	} finally {
		await source.close();
	}
}

async function report(opts: ReturnType<typeof options>, given: Source, io: CommandIo) {
	if (given.ask && opts.by === 'interval') throw new UsageError('--by interval over a running server: use --engine duckdb:STORE, or the Service level page');
	// Calls by interval: rolled up into the interval table, then asked as an interval dataset.
	const source = opts.by === 'interval' && given.kind !== 'intervals' ? await rollUpIntoIntervals(given, opts.settings, opts.interval, io.openEngine) : given;
	const { engine, table: t, quality, dialect: d } = source;
	const intervals = source.kind === 'intervals';
	if (intervals && opts.by === 'agent') throw new UsageError('--by agent needs calls: an interval report names no agent');
	if (intervals && opts.onset) throw new UsageError('--onset needs calls: an interval report cannot tell which calls were in progress at a moment');
	// The same named views as the app, rendered in the engine's dialect.
	const ask = source.ask ?? localViews((query) => engine.query(query), t, d, null, source.kind);
	// An interval dataset is charted at its own length or coarser.
	const interval = intervals && opts.interval !== 'day' && (source.intervalMinutes ?? 0) > opts.interval ? 'day' : opts.interval;
	const settings = viewSettings(opts.settings, { interval, onset: opts.onset, end: opts.end });
	const view = <N extends ViewName>(name: N) => ask({ dataset: t, view: name, filter: EMPTY_FILTER, settings });
	const first = { format: source.format };
	// Figures the dataset's warnings mark: untrusted ones starred, unknown ones null (JSON) or "wait unknown" (text).
	const marks = markedFigures(quality.flags);
	const untrusted: string[] = [...marks.untrusted.keys()];
	const unknown: string[] = [...marks.unknown];
	const known = (row: object | undefined) => row && Object.fromEntries(Object.entries(row).map(([k, v]) => [k, unknown.includes(k) ? null : v]));
	const knownRows = (rows: readonly object[]) => rows.map((r) => known(r)!);
	const out: Record<string, unknown> = {
		files: source.files,
		format: first.format,
		rows: source.rows,
		from: source.from,
		to: source.to,
		skipped: source.skipped,
		...(intervals ? { kind: 'intervals', interval_minutes: source.intervalMinutes ?? null } : {}),
		settings: opts.settings,
		definitions: intervals ? intervalMetricDefinitions(opts.settings) : metricDefinitions(opts.settings),
		warnings: quality.flags.map((f) => ({
			code: f,
			text: codeText(f),
			untrusted: [...markedFigures([f]).untrusted.keys()],
			unknown: [...markedFigures([f]).unknown]
		})),
		summary: known((await view('summary'))[0]),
		quality: { ...quality, entries: quality.entries.map((e) => ({ ...e, reason: reason(e) })) }
	};
	if (opts.by === 'department') out.by_department = knownRows(await view('reportQueues'));
	if (opts.by === 'agent') out.by_agent = knownRows(await view('reportAgents'));
	if (opts.by === 'interval') out.by_interval = knownRows(await view('intervals'));
	if (opts.onset) {
		out.incident = { ...incidentWindow(opts.onset, opts.end), ...(await view('incident'))[0] };
		if (opts.by === 'department') out.incident_by_department = await view('incidentQueues');
		if (opts.by === 'agent') out.incident_by_agent = await view('incidentAgents');
	}
	if (opts.callbacks) {
		if (intervals) throw new UsageError('--callbacks needs calls: an interval report has no callers');
		const callerSettings = { ...settings, callbackHours: opts.callbackHours, unmask: opts.unmask };
		const callers = <N extends 'callbacks' | 'repeatCallers'>(name: N) => ask({ dataset: t, view: name, filter: EMPTY_FILTER, settings: callerSettings });
		out.caller_definitions = callerDefinitions();
		out.repeat_callers = (await callers('repeatCallers'))[0];
		out.callbacks = await callers('callbacks');
	}
	if (opts.json) {
		io.out(printable(JSON.stringify(out, null, 2)));
		return;
	}
	const s = opts.settings;
	const print = (text: string) => io.out(printable(text));
	print(
		`${source.rows} ${intervals ? 'interval rows' : 'calls'} from ${source.files.join(', ')} (${first.format}), ${source.from ?? '?'} – ${source.to ?? '?'}`
	);
	print(
		`service level = answered within ${s.thresholdS} s; abandons: ${s.variant}; short abandon < ${s.shortAbandonS} s; abandonment = ${metricDefinitions(s).abandon_rate}\n`
	);
	for (const f of quality.flags) {
		const marked = [...markedFigures([f]).untrusted.keys()];
		print(`WARNING: ${codeText(f)}.${marked.length ? ` Marked * below: ${marked.join(', ')}` : ''}\n`);
	}
	const mark = (rows: Row[]) =>
		rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [untrusted.includes(k) ? `${k}*` : k, unknown.includes(k) ? 'wait unknown' : v])));
	print(table('Summary', mark([out.summary as Row])));
	for (const key of ['by_department', 'by_agent', 'by_interval', 'incident_by_department', 'incident_by_agent'])
		if (out[key]) print(table(key.replace(/_/g, ' '), mark(out[key] as Row[])));
	if (out.incident) print(table('Incident window', [out.incident as Row]));
	if (out.repeat_callers) print(table('Repeat callers', [out.repeat_callers as Row]));
	if (out.callbacks) print(table(`Callers to call back (${opts.callbackHours} h)`, out.callbacks as Row[]));
	const used = mappingText(quality);
	if (used) print(used + '\n');
	print(qualityText(quality));
}

/** Runs the command; resolves to its exit code, the error said on `io.err`. */
export async function metricsCommand(io: CommandIo): Promise<number> {
	try {
		await main(io);
		return 0;
	} catch (error) {
		if (error instanceof UsageError) io.err(`holdline metrics: ${error.message}\n${USAGE}`);
		else if (error instanceof ImportError) io.err(printable(`holdline metrics: ${error.message}`));
		else io.err(printable(`holdline metrics: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`));
		return exitCode(error);
	}
}

if (isEntry(import.meta.url))
	void metricsCommand(processIo()).then((code) => {
		if (code) process.exit(code);
	});
