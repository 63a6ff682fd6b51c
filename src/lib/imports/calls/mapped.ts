import type { Mapping, MappableField } from '../canonical';
import { outcomeCase } from '../outcome-values';
import { blank, MAX_DURATION_S, q, requiredCheck, type AssemblyContext, type CallAssembly, type StageCheck } from './sql';
import { crossesMidnight, dateOf, duration, isBareTime, moment, momentAfter } from './sheet-values';

/**
 * Any other export, through a mapping of its columns onto the canonical fields (guessed
 * from the header, confirmed by the user, saved per header). One row is one call; rows that
 * share a call id are looked at by the pipeline's duplicate rule.
 *
 * - arrival: the arrival column; a bare time of day in it takes the date column (`Date` +
 *   `Time`), and so does one behind a placeholder date (`1900-01-01 09:12:58`).
 * - answer and end: their columns (a bare time of day is on the arrival's date, or the next
 *   day when more than half a day earlier: a call over midnight); else answer = arrival + wait
 *   and end = answer + talk (or arrival + wait for a call not answered).
 * - answered: by the outcome column's values (see outcome-values.ts); without one, when the
 *   answer has a time or the talk is above zero; with neither mapped, when the wait (a speed of
 *   answer) has a value.
 * - wait: the wait column, else answer − arrival (end − arrival when not answered); unknown
 *   (NULL, never 0) when the file says neither.
 * - caller: the caller column as written, else the `from` column (one row per call: its caller).
 */
export function mapped(ctx: AssemblyContext): CallAssembly {
	const { mapping, offsetSeconds, dateOrder } = ctx;
	const text = (field: MappableField) => (mapping[field] ? blank(q(mapping[field]!)) : null);
	// A column the clean reader read holds the value the text would be read as (clean-csv.ts).
	const typedTime = (field: MappableField) => !!mapping[field] && !!ctx.typed?.times.includes(mapping[field]!);
	const typedSeconds = (field: MappableField) => !!mapping[field] && !!ctx.typed?.durations.includes(mapping[field]!);
	const date = text('date') ? dateOf(text('date')!, dateOrder) : null;
	const arrival = typedTime('arrival')
		? q(mapping.arrival!)
		: text('arrival')
			? moment(text('arrival')!, date ? '__date' : null, offsetSeconds, dateOrder)
			: date
				? `CAST(__date AS TIMESTAMP)`
				: 'NULL::TIMESTAMP';
	const after = (field: 'answer' | 'end') =>
		typedTime(field)
			? q(mapping[field]!)
			: text(field)
				? momentAfter(text(field)!, '__arrival', date ? '__date' : null, offsetSeconds, dateOrder)
				: 'NULL::TIMESTAMP';
	const seconds = (field: MappableField) =>
		typedSeconds(field) ? `CAST(${q(mapping[field]!)} AS DOUBLE)` : text(field) ? duration(text(field)!) : 'NULL::DOUBLE';
	// A typed time is a full moment, never a time of day put on the next day.
	const nextDay = (field: 'answer' | 'end') => (text(field) && !typedTime(field) ? crossesMidnight(text(field)!, '__arrival') : 'FALSE');
	const answered =
		ctx.outcomes && mapping.outcome
			? `${outcomeCase(q(mapping.outcome), ctx.outcomes)} IN ('answered', 'interrupted')`
			: answerEvidence(mapping, '__answer_at', '__talk');
	const outcome = ctx.outcomes && mapping.outcome ? outcomeCase(q(mapping.outcome), ctx.outcomes) : `CASE WHEN __answered THEN 'answered' ELSE 'abandoned' END`;
	const waitKnown = mapping.wait || mapping.answer;
	return {
		select: `WITH dated AS (
  SELECT *, ${date ?? 'NULL::DATE'} AS __date FROM ${ctx.stage}
), arrived AS (
  SELECT *, ${arrival} AS __arrival FROM dated
), timed AS (
  SELECT *, ${after('answer')} AS __answer_at, ${after('end')} AS __end_at, ${seconds('wait')} AS __wait, ${seconds('talk')} AS __talk FROM arrived
), judged AS (
  SELECT *, ${answered} AS __answered FROM timed
)
SELECT
  coalesce(${text('call_id') ?? 'NULL::VARCHAR'}, __file || ':' || __line) AS call_id,
  ${text('queue') ?? 'NULL::VARCHAR'} AS queue,
  CASE WHEN __answered THEN ${text('agent') ?? 'NULL::VARCHAR'} END AS agent,
  __arrival AS arrival,
  CASE WHEN __answered THEN coalesce(__answer_at, __arrival + to_microseconds(CAST(round(__wait * 1000000) AS BIGINT))) END AS answer,
  coalesce(__end_at,
    CASE WHEN __answered THEN coalesce(__answer_at, __arrival + to_microseconds(CAST(round(__wait * 1000000) AS BIGINT))) + to_microseconds(CAST(round(__talk * 1000000) AS BIGINT))
         -- A negative wait is left to the duration check, which names it.
         WHEN __wait >= 0 THEN __arrival + to_microseconds(CAST(round(__wait * 1000000) AS BIGINT)) END) AS ended,
  ${waitKnown ? `coalesce(__wait, CAST(date_diff('second', __arrival, CASE WHEN __answered THEN __answer_at ELSE __end_at END) AS DOUBLE))` : 'NULL::DOUBLE'} AS wait_s,
  CASE WHEN __answered THEN coalesce(__talk, CAST(date_diff('second', __answer_at, __end_at) AS DOUBLE)) END AS talk_s,
  ${seconds('hold')} AS hold_s,
  ${seconds('wrap')} AS wrap_s,
  ${outcome} AS outcome,
  __file AS source_file, __line AS source_line,
  ${text('caller') ?? text('from') ?? 'NULL::VARCHAR'} AS caller, NULL::VARCHAR AS __callee, 1::BIGINT AS __legs, 0::BIGINT AS __dups,
  CASE WHEN ${text('call_id') ?? 'NULL'} IS NULL THEN 'no_call_id' END AS __note,
  ${nextDay('answer')} OR ${nextDay('end')} AS __next_day,
  ${date && text('arrival') ? `regexp_matches(${text('arrival')}, '^(1899-12-3[01]|1900-01-0[01])[ T]')` : 'FALSE'} AS __placeholder_date
FROM judged`,
		checks: checks(mapping, ctx),
		exclusions: [],
		tallies: [
			{
				code: 'next_day',
				where: '__next_day',
				value: `'arrival ' || strftime(arrival, '%Y-%m-%d %H:%M:%S') || ', end ' || strftime(ended, '%Y-%m-%d %H:%M:%S')`
			},
			{ code: 'placeholder_date', where: '__placeholder_date', value: `'arrival ' || strftime(arrival, '%Y-%m-%d %H:%M:%S')` }
		]
	};
}

/**
 * SQL, TRUE for a call the file shows answered without an outcome column: an answer time or a
 * talk above zero; with neither mapped, a wait value (a speed of answer is written only for
 * answered calls). `answerAt` and `talk` name the row's parsed answer time and talk seconds.
 */
export function answerEvidence(mapping: Mapping, answerAt: string, talk: string): string {
	if (!mapping.answer && !mapping.talk) return mapping.wait ? `(${blank(q(mapping.wait))} IS NOT NULL)` : 'FALSE';
	const parts = [mapping.answer ? `${answerAt} IS NOT NULL` : null, mapping.talk ? `coalesce(${talk}, 0) > 0` : null].filter(Boolean);
	return `(${parts.join(' OR ')})`;
}

/** Evidence of an answer on the stage table's text (for reading an outcome column's values from the data). */
export function stagedAnswerEvidence(mapping: Mapping): string | null {
	if (!mapping.answer && !mapping.talk) return null;
	return answerEvidence(mapping, mapping.answer ? blank(q(mapping.answer)) : 'NULL', mapping.talk ? duration(blank(q(mapping.talk))) : 'NULL');
}

/** Cells that do not read as what their field holds: named with file, line, column and value before assembly. */
function checks(mapping: Mapping, ctx: AssemblyContext): StageCheck[] {
	const { offsetSeconds, dateOrder } = ctx;
	const out: StageCheck[] = [];
	const cell = (column: string) => blank(q(column));
	if (mapping.date)
		out.push({ column: mapping.date, problem: 'date', bad: `${cell(mapping.date)} IS NOT NULL AND ${dateOf(cell(mapping.date), dateOrder)} IS NULL` });
	const date = mapping.date ? dateOf(cell(mapping.date), dateOrder) : null;
	if (mapping.arrival && ctx.typed?.times.includes(mapping.arrival))
		out.push({ column: mapping.arrival, problem: 'required', bad: `${q(mapping.arrival)} IS NULL` });
	else if (mapping.arrival) out.push(requiredCheck(mapping.arrival));
	else if (mapping.date) out.push(requiredCheck(mapping.date));
	// A bare time of day in arrival needs the date column: said as such, not as an unreadable time.
	if (mapping.arrival && !date && !ctx.typed?.times.includes(mapping.arrival))
		out.push({ column: mapping.arrival, problem: 'time_without_date', bad: `${cell(mapping.arrival)} IS NOT NULL AND ${isBareTime(cell(mapping.arrival))}` });
	for (const field of ['arrival', 'answer', 'end'] as const) {
		const column = mapping[field];
		// A typed time was read already: it cannot fail to read.
		if (!column || ctx.typed?.times.includes(column)) continue;
		// Answer and end may be bare times: they take the arrival's date.
		const on = field === 'arrival' ? date : `DATE '2000-01-01'`;
		out.push({ column, problem: 'time', bad: `${cell(column)} IS NOT NULL AND ${moment(cell(column), on, offsetSeconds, dateOrder)} IS NULL` });
	}
	for (const field of ['wait', 'talk', 'hold', 'wrap'] as const) {
		const column = mapping[field];
		if (!column) continue;
		// A typed duration is a plain number's text, which the slow way reads as TRY_CAST(… AS DOUBLE).
		const value = ctx.typed?.durations.includes(column) ? `TRY_CAST(${q(column)} AS DOUBLE)` : duration(cell(column));
		out.push({
			column,
			problem: 'duration',
			bad: `${cell(column)} IS NOT NULL AND (${value} IS NULL OR NOT isfinite(${value}) OR abs(${value}) > ${MAX_DURATION_S})`
		});
	}
	return out;
}
