import type { Engine } from '$lib/engine/types';
import type { ImportErrorDetail } from './errors';
import type { ImportPlan } from './pipeline';
import { FLAG_CODES } from './flags';
import { addToReport, isQualityCode, QUALITY_CODES, QUALITY_EXAMPLES, type QualityExample, type QualityReport } from './quality';
import { MAX_DURATION_S } from './calls/sql';

/**
 * The checks and repairs every format's assembled calls go through, before they become a
 * dataset. Each one reports what it found to the quality report (or, for a bad row, to
 * `note`, which skips it or stops the import as the user chose).
 */

const ts = (expr: string) => `strftime(${expr}, '%Y-%m-%d %H:%M:%S')`;

/** Rows of `from` matching `where`: how many (or `count`'s sum), and the first few with a value. */
export async function findRows(
	engine: Engine,
	from: string,
	where: string,
	value: string,
	file = 'source_file',
	line = 'source_line',
	count = 'count(*)'
): Promise<{ count: number; examples: QualityExample[] }> {
	const rows = await engine.query<{ f: string; l: number; v: string | null; n: number }>({
		sql: `SELECT ${file} AS f, ${line} AS l, CAST(${value} AS VARCHAR) AS v, ${count} OVER () AS n
		      FROM ${from} WHERE ${where} ORDER BY ${file}, ${line} LIMIT ${QUALITY_EXAMPLES}`,
		params: []
	});
	return {
		count: rows.length ? Number(rows[0]!.n) : 0,
		examples: rows.map((r) => ({ file: r.f, line: Number(r.l), ...(r.v !== null ? { value: r.v } : {}) }))
	};
}

type Note = (detail: ImportErrorDetail, count?: number) => void;

/**
 * Bad rows of `from` found by `where`: each noted (skipped or fatal) with its values, then
 * removed. `file` and `line` name the provenance columns (the stage table's are `__file`, `__line`).
 */
export async function badRows(
	engine: Engine,
	from: string,
	where: string,
	value: string,
	detail: Omit<ImportErrorDetail, 'file' | 'line' | 'value'>,
	note: Note,
	file = 'source_file',
	line = 'source_line'
) {
	const found = await findRows(engine, from, where, value, file, line);
	if (!found.count) return;
	found.examples.forEach((e, i) =>
		note({ ...detail, file: e.file, line: e.line, value: e.value ?? '' }, i === 0 ? found.count - found.examples.length + 1 : 1)
	);
	await engine.exec(`DELETE FROM ${from} WHERE ${where}`);
}

export async function reviewCalls(engine: Engine, work: string, plan: ImportPlan, report: QualityReport, note: Note, noteValue = `'call ' || call_id`) {
	// Merges the format's assembly made: legs into calls, repeated rows of one channel.
	const legs = await findRows(engine, work, '__legs > 1', `'call ' || call_id || ': ' || __legs || ' legs'`, undefined, undefined, 'sum(__legs - 1)');
	addToReport(report, 'merged', 'legs', legs.count, legs.examples);
	const dups = await findRows(engine, work, '__dups > 0', `'call ' || call_id || ': ' || (__dups + 1) || ' rows'`, undefined, undefined, 'sum(__dups)');
	addToReport(report, 'merged', 'duplicate_id', dups.count, dups.examples);

	// Notes the format put on calls (queue_log in progress, no ENTERQUEUE, CDR calls counted apart).
	const notes = await engine.query<{ note: string }>({ sql: `SELECT DISTINCT __note AS note FROM ${work} WHERE __note IS NOT NULL ORDER BY 1`, params: [] });
	for (const { note: code } of notes) {
		if (!isQualityCode(code)) continue;
		const where = `__note = '${code}'`;
		const found = await findRows(engine, work, where, noteValue);
		addToReport(report, QUALITY_CODES[code], code, found.count, found.examples);
		if (found.count && (FLAG_CODES as string[]).includes(code) && !report.flags.includes(code)) report.flags.push(code);
		if (QUALITY_CODES[code] === 'excluded') await engine.exec(`DELETE FROM ${work} WHERE ${where}`);
	}

	// A call without an arrival cannot be placed on any chart: a time the checks let through but assembly could not read.
	await badRows(
		engine,
		work,
		'arrival IS NULL',
		`'call ' || call_id`,
		{ problem: 'time', column: plan.format === 'mapped' ? (plan.mapping.arrival ?? plan.mapping.date) : 'arrival' },
		note
	);

	// Clock skew: an answer a few seconds before the arrival is two clocks disagreeing.
	const skewS = report.settings.clockSkewS;
	const skew = `answer < arrival AND answer >= arrival - to_seconds(${Number(skewS)})`;
	const skewed = await findRows(
		engine,
		work,
		skew,
		`'answer ' || ${ts('answer')} || ' is ' || date_diff('second', answer, arrival) || ' s before arrival ' || ${ts('arrival')}`
	);
	if (skewed.count) {
		addToReport(report, 'repaired', 'clock_skew', skewed.count, skewed.examples);
		await engine.exec(`UPDATE ${work} SET answer = arrival, wait_s = CASE WHEN wait_s < 0 THEN 0 ELSE wait_s END WHERE ${skew}`);
	}

	// Times in the wrong order, beyond repair: the failed check and its two values.
	const pair = (a: string, b: string) => `'${a} ' || ${ts(a === 'end' ? 'ended' : a)} || ', ${b} ' || ${ts(b === 'end' ? 'ended' : b)}`;
	await badRows(
		engine,
		work,
		'answer < arrival',
		pair('arrival', 'answer'),
		// No extra text: the message says it, in the user's language, and the report states the tolerance.
		{ problem: 'answer_before_arrival' },
		note
	);
	await badRows(engine, work, 'ended < arrival', pair('arrival', 'end'), { problem: 'end_before_arrival' }, note);
	await badRows(engine, work, 'ended < answer', pair('answer', 'end'), { problem: 'end_before_answer' }, note);

	// Durations: finite, not negative, not beyond a day.
	const sources: Record<string, string | undefined> = {
		wait_s: plan.mapping.wait,
		talk_s: plan.mapping.talk,
		hold_s: plan.mapping.hold,
		wrap_s: plan.mapping.wrap
	};
	for (const field of ['wait_s', 'talk_s', 'hold_s', 'wrap_s']) {
		const bad = `${field} IS NOT NULL AND (NOT isfinite(${field}) OR ${field} < 0 OR ${field} > ${MAX_DURATION_S})`;
		const column = plan.format === 'mapped' && sources[field] ? sources[field] : field;
		await badRows(engine, work, bad, `CAST(${field} AS VARCHAR)`, { problem: 'duration', column }, note);
	}

	// Dates: a year such as 1900 or 2999 is a typo or a placeholder, and would stretch every time axis.
	const lastYear = new Date().getFullYear() + 1;
	await badRows(
		engine,
		work,
		`arrival < TIMESTAMP '1970-01-01' OR arrival >= TIMESTAMP '${lastYear + 1}-01-01'`,
		`'arrival ' || ${ts('arrival')}`,
		{ problem: 'date_range' },
		note
	);

	await duplicates(engine, work, report);
	await minutePrecision(engine, work, report);
}

const CALL_FIELDS = ['call_id', 'queue', 'agent', 'arrival', 'answer', 'ended', 'wait_s', 'talk_s', 'hold_s', 'wrap_s', 'outcome'];

/** Identical rows are one call written twice: kept once. Same id, other values: kept and reported. */
async function duplicates(engine: Engine, work: string, report: QualityReport) {
	const [{ repeated } = { repeated: 0 }] = await engine.query<{ repeated: number }>({
		sql: `SELECT count(*) - count(DISTINCT call_id) AS repeated FROM ${work}`,
		params: []
	});
	if (!Number(repeated)) return;
	const copies = `(SELECT rowid AS id, row_number() OVER (PARTITION BY ${CALL_FIELDS.join(', ')} ORDER BY source_file, source_line) AS copy FROM ${work})`;
	const identical = `rowid IN (SELECT id FROM ${copies} WHERE copy > 1)`;
	const found = await findRows(engine, work, identical, `'call ' || call_id`);
	if (found.count) {
		addToReport(report, 'merged', 'duplicate_rows', found.count, found.examples);
		await engine.exec(`DELETE FROM ${work} WHERE ${identical}`);
	}
	const conflicting = `call_id IN (SELECT call_id FROM ${work} GROUP BY call_id HAVING count(*) > 1)`;
	const conflicts = await findRows(engine, work, conflicting, `'call ' || call_id`);
	addToReport(report, 'warning', 'conflicting_duplicates', conflicts.count, conflicts.examples);
}

/** Every time on a whole minute: the seconds were lost (a spreadsheet re-save), so waits are not measured. */
async function minutePrecision(engine: Engine, work: string, report: QualityReport) {
	const [r] = await engine.query<{ times: number; with_seconds: number; calls: number }>({
		sql: `SELECT count(arrival) + count(answer) + count(ended) AS times,
		        count(*) FILTER (WHERE second(arrival) <> 0 OR second(answer) <> 0 OR second(ended) <> 0) AS with_seconds,
		        count(*) AS calls
		      FROM ${work}`,
		params: []
	});
	// Five whole-minute times by chance: (1/60)^5, about 1 in 780 million.
	if (!r || Number(r.times) < 5 || Number(r.with_seconds) > 0) return;
	const found = await findRows(engine, work, 'arrival IS NOT NULL', `'arrival ' || ${ts('arrival')}`);
	addToReport(report, 'warning', 'minute_precision', Number(r.calls), found.examples);
	report.flags.push('minute_precision');
}
