import type { Engine } from '$lib/engine/types';
import { quoteIdent } from '$lib/sql/identifiers';
import type { Mapping, MappableField } from './canonical';
import { addToReport, type QualityCode, type QualityReport } from './quality';
import { findRows } from './review';

/**
 * Never a silent zero: a dataset whose figures would look plausible but say nothing gets a
 * warning naming the column and the count, and a flag that marks the figures on every page
 * and in the command line's output (`--strict` makes any of them an error).
 */

/** A mapped column empty in more than this share of rows is worth a warning. */
export const MOSTLY_EMPTY_SHARE = 0.95;

const ts = (expr: string) => `strftime(${expr}, '%Y-%m-%d %H:%M:%S')`;

function flag(report: QualityReport, code: QualityCode) {
	if (!report.flags.includes(code)) report.flags.push(code);
}

/** Fields whose column, nearly empty, says the mapping is wrong (hold, wrap-up and the call id are often left empty). */
const WATCHED: MappableField[] = ['queue', 'agent', 'date', 'arrival', 'answer', 'end', 'wait', 'talk', 'outcome'];

/** Below this many rows a share says little: no warning. */
const MOSTLY_EMPTY_MIN_ROWS = 20;

/** Mapped columns (of the staged text) that are nearly all empty. */
export async function mostlyEmptyColumns(engine: Engine, stage: string, mapping: Mapping, report: QualityReport) {
	const columns = [...new Set(WATCHED.map((field) => mapping[field]).filter((c): c is string => !!c))];
	if (!columns.length) return;
	const [counts] = await engine.query<Record<string, number>>({
		sql: `SELECT count(*) AS __rows, ${columns.map((c, i) => `count(*) FILTER (WHERE nullif(trim(${quoteIdent(c)}), '') IS NULL) AS e${i}`).join(', ')} FROM ${stage}`,
		params: []
	});
	const rows = Number(counts?.__rows ?? 0);
	if (rows < MOSTLY_EMPTY_MIN_ROWS) return;
	const fieldOf = (column: string) => Object.entries(mapping).find(([, c]) => c === column)?.[0] ?? '';
	const empty = columns.map((column, i) => ({ column, empty: Number(counts![`e${i}`]) })).filter((c) => c.empty > rows * MOSTLY_EMPTY_SHARE);
	if (!empty.length) return;
	addToReport(
		report,
		'warning',
		'mostly_empty',
		Math.max(...empty.map((c) => c.empty)),
		empty.map((c) => ({
			file: '',
			line: 0,
			column: c.column,
			value: `${c.empty} / ${rows}`,
			hint: { key: 'hint.mostly_empty', values: { field: fieldOf(c.column), empty: c.empty, rows } }
		}))
	);
	flag(report, 'mostly_empty');
}

/** The assembled calls' guards: none answered, none offered, every wait zero or unknown, every arrival at midnight. */
export async function silentZeroGuards(engine: Engine, work: string, report: QualityReport) {
	const [r] = await engine.query<{ calls: number; offered: number; answered: number; waits: number; zero: number; midnight: number }>({
		sql: `SELECT count(*) AS calls,
		        count(*) FILTER (WHERE outcome <> 'other') AS offered,
		        count(*) FILTER (WHERE outcome IN ('answered', 'interrupted')) AS answered,
		        count(wait_s) FILTER (WHERE outcome IN ('answered', 'interrupted')) AS waits,
		        count(*) FILTER (WHERE outcome IN ('answered', 'interrupted') AND wait_s = 0) AS zero,
		        count(*) FILTER (WHERE arrival IS NOT NULL AND CAST(arrival AS TIME) = TIME '00:00:00') AS midnight
		      FROM ${work}`,
		params: []
	});
	if (!r || !Number(r.calls)) return;
	const calls = Number(r.calls);
	const warn = async (code: QualityCode, count: number, where: string, value: string) => {
		// A format's own rule may have said it already (the CDR's PBX-answered queue legs).
		if (report.flags.includes(code)) return;
		const found = await findRows(engine, work, where, value);
		addToReport(report, 'warning', code, count, found.examples);
		flag(report, code);
	};
	const call = `'call ' || call_id || ': ' || outcome`;
	if (!Number(r.offered)) await warn('no_offered', calls, 'TRUE', call);
	else if (!Number(r.answered)) await warn('no_answered', calls, 'TRUE', call);
	const answered = Number(r.answered);
	if (answered && !Number(r.waits)) await warn('wait_unknown', answered, `outcome IN ('answered', 'interrupted')`, `'call ' || call_id`);
	// Times without seconds make short waits 0 by themselves: that warning already marks the waits.
	else if (answered && Number(r.zero) === Number(r.waits) && !report.flags.includes('minute_precision'))
		await warn('zero_waits', answered, `outcome IN ('answered', 'interrupted')`, `'call ' || call_id || ': wait ' || CAST(wait_s AS VARCHAR) || ' s'`);
	if (Number(r.midnight) === calls && calls > 1) await warn('midnight_times', calls, 'TRUE', `'arrival ' || ${ts('arrival')}`);
}

/** Counts the assembly's tallies (rules applied to some calls) into the report. */
export async function tallyRules(
	engine: Engine,
	work: string,
	tallies: { code: QualityCode; where: string; value: string; count?: string }[],
	report: QualityReport
) {
	for (const tally of tallies) {
		// `count`: what is counted, when not the calls (e.g. the attempts in them).
		const found = await findRows(engine, work, tally.where, tally.value, undefined, undefined, tally.count);
		addToReport(report, 'read', tally.code, found.count, found.examples);
	}
}
