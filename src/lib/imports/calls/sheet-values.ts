import type { DateOrder } from '../date-order';
import { time } from './sql';

/**
 * SQL for the values spreadsheets and CRM exports write, where the known PBX formats write
 * ISO times and seconds: a date and a time of day in two columns, 12-hour clocks (`8:02:42 AM`,
 * `下午1:05:09`), the placeholder dates spreadsheet libraries put before a bare time or a
 * duration (`1900-01-01 09:12:58`, `1899-12-30 00:02:23`), Excel serial numbers, and durations
 * as seconds (`109`, `109.0`), `m:ss`, `h:mm:ss` or `[h]:mm:ss`. Every expression yields NULL
 * for text it cannot read, so the import's checks can name the cell.
 */

/** The date Excel (1899-12-30) or a spreadsheet library (1900-01-01) writes before a bare time or duration. */
const PLACEHOLDER_DATE = `^(1899-12-3[01]|1900-01-0[01])[ T]\\s*`;

/** `上午`/`下午`, `a.m.`/`p.m.` and `am`/`pm` as a trailing ` AM`/` PM`, spaces folded. */
function meridiemLast(expr: string): string {
	const upper = `regexp_replace(upper(trim(${expr})), '\\s+', ' ', 'g')`;
	return `CASE
    WHEN ${expr} LIKE '%下午%' THEN trim(replace(${upper}, '下午', '')) || ' PM'
    WHEN ${expr} LIKE '%上午%' THEN trim(replace(${upper}, '上午', '')) || ' AM'
    ELSE regexp_replace(${upper}, '\\s*([AP])\\.?M\\.?$', ' \\1M') END`;
}

/** The text without a placeholder date in front. */
function withoutPlaceholder(expr: string): string {
	return `regexp_replace(${expr}, '${PLACEHOLDER_DATE}', '')`;
}

const BARE_TIME = `'\\d{1,2}:\\d{2}(:\\d{2}(\\.\\d+)?)?( [AP]M)?'`;

/** TRUE when the text is a time of day alone, or one behind a placeholder date. */
export function isTimeOfDay(expr: string): string {
	return `regexp_full_match(${withoutPlaceholder(meridiemLast(expr))}, ${BARE_TIME})`;
}

/** TRUE when the text is a time of day alone (no date of any kind before it). */
export function isBareTime(expr: string): string {
	return `regexp_full_match(${meridiemLast(expr)}, ${BARE_TIME})`;
}

/** Seconds after midnight of a time of day (24- or 12-hour, behind a placeholder date or not), or an Excel day fraction. */
export function timeOfDay(expr: string): string {
	const t = withoutPlaceholder(meridiemLast(expr));
	return `coalesce(
    CASE WHEN NOT regexp_matches(${t}, '[AP]M$') THEN epoch(TRY_CAST(${t} AS TIME)) END,
    epoch(try_strptime(${t}, ['%I:%M:%S %p', '%I:%M %p', '%I:%M:%S.%f %p'])) - epoch(TIMESTAMP '1900-01-01'),
    CASE WHEN regexp_full_match(${t}, '0?\\.\\d+') THEN TRY_CAST(${t} AS DOUBLE) * 86400 END)`;
}

/** Serial day numbers of the years 1954–2119 (Excel counts from 1899-12-30): anything else is not read as a date. */
const SERIAL = `[2-7]\\d{4}(\\.\\d+)?`;

/** A calendar date: ISO (with or without a time after it), slashed in the given order, dotted, compact, Chinese, or an Excel serial. */
export function dateOf(expr: string, dateOrder: DateOrder = 'dmy'): string {
	const first = `regexp_extract(trim(${expr}), '^\\S+')`;
	const slashed = dateOrder === 'dmy' ? `'%d/%m/%Y', '%d-%m-%Y'` : `'%m/%d/%Y', '%m-%d-%Y'`;
	return `coalesce(
    TRY_CAST(${first} AS DATE),
    CAST(try_strptime(${first}, ['%Y/%m/%d', ${slashed}, '%d.%m.%Y', '%Y%m%d', '%Y年%m月%d日']) AS DATE),
    CASE WHEN regexp_full_match(trim(${expr}), '${SERIAL}') THEN DATE '1899-12-30' + CAST(floor(TRY_CAST(trim(${expr}) AS DOUBLE)) AS INTEGER) END)`;
}

const plusSeconds = (at: string, seconds: string) => `(${at} + to_microseconds(CAST(round((${seconds}) * 1000000) AS BIGINT)))`;

/**
 * A moment: the formats `time()` reads (ISO, slashed, epoch, with an offset), a date with a
 * 12-hour time, an Excel serial with its day fraction; and, where a date column is mapped
 * (`date`, a DATE expression), a bare time of day on that date.
 */
export function moment(expr: string, date: string | null, offsetSeconds: number, dateOrder: DateOrder = 'dmy'): string {
	const bare = isTimeOfDay(expr);
	const datedTime = `${dateOf(expr, dateOrder)} + to_microseconds(CAST(round(${timeOfDay(`regexp_replace(trim(${expr}), '^\\S+\\s+', '')`)} * 1000000) AS BIGINT))`;
	const serial = `CASE WHEN regexp_full_match(trim(${expr}), '${SERIAL}') THEN ${plusSeconds(`CAST(DATE '1899-12-30' AS TIMESTAMP)`, `TRY_CAST(trim(${expr}) AS DOUBLE) * 86400`)} END`;
	// Without a date column, a placeholder-dated time is read as written (and its year then fails the date-range check).
	const onDate = date ? `WHEN ${bare} THEN ${plusSeconds(`CAST(${date} AS TIMESTAMP)`, timeOfDay(expr))}` : `WHEN ${isBareTime(expr)} THEN NULL`;
	return `CASE WHEN ${expr} IS NULL THEN NULL ${onDate}
    ELSE coalesce(${time(expr, offsetSeconds, dateOrder)}, CASE WHEN regexp_matches(trim(${expr}), '\\s') THEN ${datedTime} END, ${serial}) END`;
}

/** Half a day: a time of day this much earlier than the arrival's is on the next day (a call over midnight). */
export const NEXT_DAY_AFTER_S = 12 * 3600;

/**
 * An answer or end given as a time of day alone takes the arrival's date, or the next day's
 * when it is more than half a day earlier than the arrival (a call over midnight); a full
 * moment is read as it is.
 */
export function momentAfter(expr: string, arrival: string, date: string | null, offsetSeconds: number, dateOrder: DateOrder = 'dmy'): string {
	const tod = timeOfDay(expr);
	return `CASE WHEN ${expr} IS NULL THEN NULL
    WHEN ${isTimeOfDay(expr)} THEN ${plusSeconds(`CAST(CAST(${arrival} AS DATE) AS TIMESTAMP)`, `${tod} + CASE WHEN ${tod} < epoch(CAST(${arrival} AS TIME)) - ${NEXT_DAY_AFTER_S} THEN 86400 ELSE 0 END`)}
    ELSE ${moment(expr, date, offsetSeconds, dateOrder)} END`;
}

/** TRUE when a time of day alone was put on the day after the arrival. */
export function crossesMidnight(expr: string, arrival: string): string {
	return `(${expr} IS NOT NULL AND ${isTimeOfDay(expr)} AND ${timeOfDay(expr)} < epoch(CAST(${arrival} AS TIME)) - ${NEXT_DAY_AFTER_S})`;
}

/**
 * A duration in seconds: a number (`109`, `109.0`), `m:ss` (two parts are minutes and
 * seconds, as call durations are written), `h:mm:ss` with any number of hours, or either
 * behind a placeholder date (`1900-01-01 00:02:23`).
 */
export function duration(expr: string): string {
	const t = withoutPlaceholder(`trim(${expr})`);
	const part = (n: number) => `TRY_CAST(split_part(${t}, ':', ${n}) AS DOUBLE)`;
	return `CASE
    WHEN regexp_full_match(${t}, '-?\\d+(\\.\\d+)?') THEN TRY_CAST(${t} AS DOUBLE)
    WHEN regexp_full_match(${t}, '\\d+:[0-5]\\d(\\.\\d+)?') THEN ${part(1)} * 60 + ${part(2)}
    WHEN regexp_full_match(${t}, '\\d+:[0-5]\\d:[0-5]\\d(\\.\\d+)?') THEN ${part(1)} * 3600 + ${part(2)} * 60 + ${part(3)}
    ELSE epoch(TRY_CAST(${t} AS INTERVAL)) END`;
}
