import type { MappableField } from '../canonical';
import {
	blank,
	classifyOutcome,
	durationCheck,
	q,
	requiredCheck,
	seconds,
	time,
	timeCheck,
	type AssemblyContext,
	type CallAssembly,
	type StageCheck
} from './sql';

/**
 * Any other export, through a mapping of its columns onto the canonical fields (guessed
 * from the header, confirmed by the user, saved per header). One row is one call; rows that
 * share a call id are looked at by the pipeline's duplicate rule.
 */
export function mapped(ctx: AssemblyContext): CallAssembly {
	const { mapping, offsetSeconds, dateOrder } = ctx;
	const col = (field: MappableField) => (mapping[field] ? q(mapping[field]!) : null);
	const text = (field: MappableField) => (col(field) ? blank(col(field)!) : 'NULL::VARCHAR');
	const at = (field: MappableField) => (col(field) ? time(blank(col(field)!), offsetSeconds, dateOrder) : 'NULL::TIMESTAMP');
	const num = (field: MappableField) => (col(field) ? seconds(blank(col(field)!)) : 'NULL::DOUBLE');
	const answered = col('outcome')
		? `${classifyOutcome(col('outcome')!)} IN ('answered', 'interrupted')`
		: `(${at('answer')} IS NOT NULL OR coalesce(${num('talk')}, 0) > 0)`;
	const outcome = col('outcome') ? classifyOutcome(col('outcome')!) : `CASE WHEN ${answered} THEN 'answered' ELSE 'abandoned' END`;
	const checks: StageCheck[] = [];
	if (mapping.arrival) checks.push(requiredCheck(mapping.arrival), timeCheck(mapping.arrival, offsetSeconds, dateOrder));
	if (mapping.answer) checks.push(timeCheck(mapping.answer, offsetSeconds, dateOrder));
	if (mapping.end) checks.push(timeCheck(mapping.end, offsetSeconds, dateOrder));
	for (const field of ['wait', 'talk', 'hold', 'wrap'] as const) if (mapping[field]) checks.push(durationCheck(mapping[field]));
	return {
		select: `SELECT
  coalesce(${text('call_id')}, __file || ':' || __line) AS call_id,
  ${text('queue')} AS queue,
  CASE WHEN ${answered} THEN ${text('agent')} END AS agent,
  ${at('arrival')} AS arrival,
  CASE WHEN ${answered} THEN coalesce(${at('answer')}, ${at('arrival')} + to_seconds(coalesce(${num('wait')}, 0))) END AS answer,
  coalesce(${at('end')}, ${at('answer')} + to_seconds(${num('talk')})) AS ended,
  coalesce(${num('wait')}, date_diff('second', ${at('arrival')}, coalesce(${at('answer')}, ${at('end')})))::DOUBLE AS wait_s,
  CASE WHEN ${answered} THEN coalesce(${num('talk')}, date_diff('second', ${at('answer')}, ${at('end')}))::DOUBLE END AS talk_s,
  ${num('hold')} AS hold_s,
  ${num('wrap')} AS wrap_s,
  ${outcome} AS outcome,
  __file AS source_file, __line AS source_line, 1::BIGINT AS __legs, 0::BIGINT AS __dups,
  CASE WHEN ${text('call_id')} IS NULL THEN 'no_call_id' END AS __note
FROM ${ctx.stage}`,
		checks,
		exclusions: []
	};
}
