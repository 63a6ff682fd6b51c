/**
 * npm run generate -- --rows N --seed S --out FILE [--format csv|parquet|queue_log|master.csv]
 *   [--start 2008-05-05] [--incident "2008-05-12 14:28:00"] [--complete-share 0.6]
 *   [--dirt all|KIND[=SHARE],…] [--truth FILE.json]
 * npm run generate -- --format queue_log --agents [--wrap-seconds 0] [--truth FILE.json] …
 * npm run generate -- --format sheet-csv|xlsx --layout LAYOUT [--titles] [--truth FILE.json] …
 * npm run generate -- --format legs --layout generic [--truth FILE.json] …
 * npm run generate -- --format intervals --layout generic|cms|uccx|genesys|connect --interval 15|30|60 [--truth FILE.json] …
 * Writes synthetic call records (labelled synthetic in the file and its name).
 *
 * --format queue_log --agents adds the agents' events (src/lib/synthetic/queue-log-agents.ts): shifts
 *   (ADDMEMBER, REMOVEMEMBER), pauses with a reason, RINGNOANSWER, and the caller's number in
 *   ENTERQUEUE; answered calls go to the first free agent of the queue. --wrap-seconds is the
 *   queues' wrap-up (not in the log: read it back with the same setting); --truth writes each
 *   agent's seconds per state, as the app should compute them.
 *
 * --format intervals rolls the calls up into an ACD's interval report (one row per queue per
 *   interval, src/lib/synthetic/intervals.ts, docs/intervals.md); --truth writes the rolled-up
 *   rows as the interval table should hold them.
 *
 * --format legs writes a PBX call log of one row per leg (src/lib/synthetic/legs.ts): a title
 *   and an export date above the header, attempts, transfers, voicemail, outbound and internal
 *   calls, a totals row. --truth writes each call as the app should import it and what the
 *   quality report should count.
 *
 * --format sheet-csv|xlsx writes the calls in a per-call spreadsheet layout managers bring
 *   (src/lib/synthetic/sheet-layouts.ts): split-datetime, durations-only, flag-outcome,
 *   twelve-hour, placeholder-dates, business-outcome, chinese. xlsx has real Excel cell types;
 *   --titles puts two title rows above the header. --truth writes each row's call as the app
 *   should import it. No --dirt.
 *
 * --format 3cx|yeastar|smdr|cucm|huawei-cec writes a PBX vendor's call log, one row per leg, with outbound and
 *   internal calls, ring-no-answer attempts, transfers and voicemail where the vendor logs them
 *   (docs/pbx-exports.md); --lang zh writes Yeastar's Chinese status and type words; --series s
 *   writes Yeastar's S-Series CDR file (one record per call) instead of the P-Series CDR. --truth
 *   writes each inbound call as the app should import it and the counts of legs merged,
 *   attempts, transfers, outbound and internal calls, voicemail and footer rows. No --dirt.
 *
 * --format freepbx-report writes the calls as FreePBX's CDR Reports page downloads them (the
 *   Asterisk cdr table's columns, newest first, linkedid empty; docs/pbx-exports.md), with the
 *   dirt given (ring, queue, ivr; none without --dirt). --truth as for master.csv.
 *
 * --dirt writes realistic dirt into the file (the calls stay those of the seed):
 *   master.csv: ring (ring groups), queue (queue member attempts), transfer, ivr (IVR-only calls);
 *   freepbx-report: ring, queue, ivr;
 *   csv, parquet: skew (clock skew), duplicates; csv: resave (spreadsheet re-save; not with skew).
 *   `all` is every kind of the format but resave; a share overrides the default (`ring=0.3`).
 * --truth writes the calls as the app should import them and the dirt the quality report
 *   should count, as JSON (csv, parquet, and master.csv with --dirt).
 */
import { createWriteStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { checkDirt, DEFAULT_DIRT, emptyTruth, generateText, type DirtOptions, type TextFormat } from '$lib/synthetic/generate';
import { SHEET_LAYOUTS } from '$lib/synthetic/sheet-layouts';
import { isSheetLayout } from '$lib/synthetic/sheet';
import { writeSheetFile } from './generate-sheet';
import { LEG_LAYOUTS } from '$lib/synthetic/legs';
import { isPbxVendor } from '$lib/synthetic/pbx-vendors';
import { writeLegFile } from './generate-legs';
import { writeLines } from './write-lines';
import { writeIntervalFile } from './generate-intervals';
import { queueLogWithAgents } from '$lib/synthetic/queue-log-agents';

const { values } = parseArgs({
	options: {
		rows: { type: 'string', default: '100000' },
		seed: { type: 'string', default: '1' },
		out: { type: 'string' },
		format: { type: 'string', default: 'csv' },
		start: { type: 'string', default: '2008-05-05' },
		incident: { type: 'string' },
		'complete-share': { type: 'string', default: '0.6' },
		dirt: { type: 'string' },
		truth: { type: 'string' },
		layout: { type: 'string' },
		titles: { type: 'boolean', default: false },
		lang: { type: 'string' },
		series: { type: 'string' },
		interval: { type: 'string' },
		agents: { type: 'boolean', default: false },
		'wrap-seconds': { type: 'string' }
	}
});

function fail(message: string): never {
	console.error(`holdline generate: ${message}`);
	process.exit(2);
}

const rows = Number(values.rows);
const seed = Number(values.seed);
if (!Number.isInteger(rows) || rows < 1) fail('--rows must be a positive whole number');
if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) fail('--seed must be a whole number from 0 to 4294967295');
if (!values.out) fail('--out FILE is required');
const format = values.format!;
if (format === 'yeastar-s') fail('the S-Series CDR is --format yeastar --series s');
if (!['csv', 'parquet', 'queue_log', 'master.csv', 'freepbx-report', 'sheet-csv', 'xlsx', 'legs', 'intervals'].includes(format) && !isPbxVendor(format))
	fail(`unknown --format ${format}`);
if (!/^\d{4}-\d{2}-\d{2}$/.test(values.start!)) fail('--start must look like 2008-05-05');
if (values.incident && !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(values.incident)) fail('--incident must look like "2008-05-12 14:28:00"');
const completeShare = Number(values['complete-share']);
if (!(completeShare >= 0 && completeShare <= 1)) fail('--complete-share must be between 0 and 1');

if ((values.agents || values['wrap-seconds'] !== undefined) && format !== 'queue_log') fail('--agents and --wrap-seconds apply to --format queue_log');
if (values['wrap-seconds'] !== undefined && !values.agents) fail('--wrap-seconds applies with --agents');
if (values.agents) {
	if (values.dirt !== undefined) fail('--dirt applies to --format csv, parquet and master.csv');
	const wrapSeconds = Number(values['wrap-seconds'] ?? '0');
	if (!(Number.isInteger(wrapSeconds) && wrapSeconds >= 0)) fail('--wrap-seconds must be a whole number of seconds, 0 or more');
	const options = { rows, seed, start: values.start!, incident: values.incident ?? null, completeShare };
	const { lines, agents } = queueLogWithAgents(options, { wrapSeconds });
	await writeLines(
		createWriteStream(values.out!),
		lines.map((line) => line + '\n')
	);
	if (values.truth) await writeFile(values.truth, JSON.stringify({ synthetic: true, format, seed, rows, wrapSeconds, agents }) + '\n');
	console.log(`${rows} synthetic calls and ${agents.length} agents' events in ${lines.length} lines (seed ${seed}) → ${values.out}`);
	process.exit(0);
}
if (format === 'intervals') {
	if (values.dirt !== undefined || values.titles) fail('--dirt and --titles do not apply to --format intervals');
	const options = { rows, seed, start: values.start!, incident: values.incident ?? null, completeShare };
	const written = await writeIntervalFile(options, values.layout ?? 'generic', values.interval ?? '30', { out: values.out!, truth: values.truth }).catch(
		(error: Error) => fail(error.message)
	);
	console.log(`${rows} synthetic calls in ${written} interval rows (seed ${seed}, layout ${values.layout ?? 'generic'}) → ${values.out}`);
	process.exit(0);
}
if (format === 'legs') {
	const layout = values.layout ?? 'generic';
	if (!LEG_LAYOUTS[layout]) fail(`--format legs takes --layout ${Object.keys(LEG_LAYOUTS).join('|')}`);
	if (values.dirt !== undefined) fail('--dirt applies to --format csv, parquet and master.csv');
	const options = { rows, seed, start: values.start!, incident: null, completeShare };
	const truth = await writeLegFile(options, layout, {}, { out: values.out!, truth: values.truth, format });
	console.log(`${truth.calls.length} synthetic calls in ${truth.legs} legs (seed ${seed}, layout ${layout}) → ${values.out}`);
	process.exit(0);
}
if (format === 'sheet-csv' || format === 'xlsx') {
	const layout = values.layout;
	if (!layout || !isSheetLayout(layout)) fail(`--format ${format} needs --layout, one of ${SHEET_LAYOUTS.join(', ')}`);
	if (values.dirt !== undefined) fail('--dirt applies to --format csv, parquet and master.csv');
	const options = { rows, seed, start: values.start!, incident: values.incident ?? null, completeShare };
	const truth = await writeSheetFile(options, layout, format === 'xlsx' ? 'xlsx' : 'csv', { titles: values.titles!, out: values.out!, truth: values.truth });
	console.log(`${truth.records} synthetic calls (seed ${seed}, layout ${layout}) → ${values.out}`);
	process.exit(0);
}
if (isPbxVendor(format)) {
	if (values.dirt !== undefined || values.layout !== undefined || values.titles) fail(`--dirt, --layout and --titles do not apply to --format ${format}`);
	if (values.series !== undefined && !(format === 'yeastar' && (values.series === 'p' || values.series === 's')))
		fail('--series p|s applies to --format yeastar');
	const sSeries = values.series === 's';
	if (values.lang !== undefined && !(format === 'yeastar' && !sSeries && (values.lang === 'en' || values.lang === 'zh')))
		fail('--lang en|zh applies to --format yeastar (P-Series)');
	const options = { rows, seed, start: values.start!, incident: values.incident ?? null, completeShare };
	const lang = values.lang as 'en' | 'zh' | undefined;
	const truth = await writeLegFile(options, sSeries ? 'yeastar-s' : format, lang ? { lang } : {}, { out: values.out!, truth: values.truth, format });
	console.log(
		`${truth.calls.length} synthetic inbound calls in ${truth.legs} legs, ${truth.outbound} outbound and ${truth.internal} internal (seed ${seed}, ${format}) → ${values.out}`
	);
	process.exit(0);
}
if (values.lang !== undefined || values.series !== undefined) fail('--lang and --series apply to --format yeastar');
if (values.layout !== undefined || values.titles) fail('--layout and --titles apply to --format sheet-csv and xlsx');

const text: TextFormat = format === 'parquet' ? 'csv' : (format as TextFormat);
const KINDS: Record<string, { option: keyof DirtOptions; formats: string[] }> = {
	ring: { option: 'ringGroups', formats: ['master.csv', 'freepbx-report'] },
	queue: { option: 'queueAttempts', formats: ['master.csv', 'freepbx-report'] },
	transfer: { option: 'transfers', formats: ['master.csv'] },
	ivr: { option: 'ivrCalls', formats: ['master.csv', 'freepbx-report'] },
	skew: { option: 'clockSkew', formats: ['csv', 'parquet'] },
	duplicates: { option: 'duplicates', formats: ['csv', 'parquet'] },
	resave: { option: 'resave', formats: ['csv'] }
};

/** `all`, or `kind[=share]` items separated by commas. */
function parseDirt(list: string): DirtOptions {
	const dirt: DirtOptions = {};
	const set = (kind: string, share: string | undefined) => {
		const known = KINDS[kind];
		if (!known) fail(`unknown --dirt ${kind} (kinds: all, ${Object.keys(KINDS).join(', ')})`);
		if (!known.formats.includes(format)) fail(`--dirt ${kind} applies to --format ${known.formats.join(' or ')}, not ${format}`);
		if (known.option === 'resave') {
			if (share !== undefined) fail('--dirt resave takes no share');
			dirt.resave = true;
			return;
		}
		const value = share === undefined ? DEFAULT_DIRT[known.option] : Number(share);
		if (!(value >= 0 && value <= 1)) fail(`--dirt ${kind}=${share}: the share must be from 0 to 1`);
		dirt[known.option] = value;
	};
	const items = list
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	if (!items.length) fail('--dirt needs all or a list of kinds');
	const explicit = new Set(items.map((i) => i.split('=')[0]!));
	for (const item of items) {
		const [kind, share] = item.split('=') as [string, string | undefined];
		if (kind !== 'all') set(kind, share);
		else
			for (const [name, known] of Object.entries(KINDS))
				if (known.formats.includes(format) && name !== 'resave' && !explicit.has(name) && !(name === 'skew' && explicit.has('resave'))) set(name, undefined);
	}
	if (dirt.resave && dirt.clockSkew) fail('--dirt resave and skew cannot be combined (the re-save loses the seconds the skew is in)');
	return dirt;
}

let dirt: DirtOptions | undefined;
if (values.dirt !== undefined) {
	if (format === 'queue_log') fail('--dirt applies to --format csv, parquet and master.csv');
	dirt = parseDirt(values.dirt);
}
if (values.truth && format === 'queue_log') fail('--truth applies to --format csv, parquet and master.csv (and queue_log with --agents)');
if (values.truth && format === 'master.csv' && !dirt) fail('--truth for master.csv needs --dirt (the 21-column layout)');
try {
	checkDirt(text, dirt);
} catch (error) {
	fail((error as Error).message);
}

const options = { rows, seed, start: values.start!, incident: values.incident ?? null, completeShare, ...(dirt ? { dirt } : {}) };
const truth = values.truth ? emptyTruth() : undefined;
const out = values.out!;
const textPath = format === 'parquet' ? `${out}.csv.tmp` : out;
await writeLines(createWriteStream(textPath), generateText(options, text, truth));

if (format === 'parquet') {
	// Native DuckDB writes the Parquet file (a development dependency, like this generator).
	const { DuckDBInstance } = await import('@duckdb/node-api');
	const db = await DuckDBInstance.create(':memory:');
	const connection = await db.connect();
	const tmp = `${out}.tmp`;
	await connection.run(`COPY (SELECT * FROM read_csv($csv, header = true, all_varchar = true)) TO $out (FORMAT parquet)`, { csv: textPath, out: tmp });
	await rename(tmp, out);
	await rm(textPath);
}
if (truth && values.truth) {
	const body = { synthetic: true, format, seed, rows, dirt: truth.dirt, records: truth.records, calls: truth.calls };
	await writeFile(values.truth, JSON.stringify(body) + '\n');
}
const dirtNote =
	truth && Object.keys(truth.dirt).length
		? `, dirt ${Object.entries(truth.dirt)
				.map(([k, n]) => `${k} ${n}`)
				.join(', ')}`
		: dirt
			? ', with dirt'
			: '';
console.log(`${rows} synthetic calls (seed ${seed}${dirtNote}) → ${out}`);
