import { looseName } from './calls/sql';
import { GRANDSTREAM_SIGNATURE } from './calls/grandstream';
import { legPresetFor } from './calls/leg-presets';

/**
 * The record layouts holdline recognises without a mapping, and how to tell them apart
 * from a file's first lines.
 */
export type FormatId = 'asterisk-cdr' | 'queue_log' | 'freeswitch' | 'bank-research' | 'grandstream' | 'mapped' | 'legs';
export const FORMAT_IDS: FormatId[] = ['asterisk-cdr', 'queue_log', 'freeswitch', 'bank-research', 'grandstream', 'mapped', 'legs'];

/**
 * Whether a format can record that an answered call was cut off (outcome `interrupted`). CDRs,
 * queue_log and the bank data end every answered call the same way whether it was finished or
 * dropped, so "completed" and "ended early in service" cannot be told from them; only a mapped
 * outcome column can say it.
 */
export function recordsInterruptions(format: FormatId): boolean {
	return format === 'mapped';
}

export interface CsvLayout {
	delimiter: string;
	/** '' means quotes are ordinary characters (queue_log). */
	quote: string;
	header: boolean;
	/** Column names used for staging: the header's, or the format's own. */
	columns: string[];
	/** Title lines above the header (a report's name, its export date): skipped, and reported. */
	titles?: { line: number; text: string }[];
	/** Physical lines above the header (the titles and blank lines among them). */
	titleLines?: number;
	/** Physical lines right below the header that belong to it (a line of field types): skipped, reported with the titles. */
	underHeaderLines?: number;
}

export const ASTERISK_CDR_COLUMNS = [
	'accountcode',
	'src',
	'dst',
	'dcontext',
	'clid',
	'channel',
	'dstchannel',
	'lastapp',
	'lastdata',
	'start',
	'answer',
	'end',
	'duration',
	'billsec',
	'disposition',
	'amaflags',
	'uniqueid',
	'userfield',
	'peeraccount',
	'linkedid',
	'sequence'
];
export const QUEUE_LOG_COLUMNS = ['time', 'callid', 'queue', 'agent', 'event', 'data1', 'data2', 'data3', 'data4', 'data5'];
export const FREESWITCH_COLUMNS = [
	'caller_id_name',
	'caller_id_number',
	'destination_number',
	'context',
	'start_stamp',
	'answer_stamp',
	'end_stamp',
	'duration',
	'billsec',
	'hangup_cause',
	'uuid',
	'bleg_uuid',
	'accountcode',
	'read_codec',
	'write_codec'
];
export const BANK_RESEARCH_COLUMNS = [
	'vru+line',
	'call_id',
	'customer_id',
	'priority',
	'type',
	'date',
	'vru_entry',
	'vru_exit',
	'vru_time',
	'q_start',
	'q_exit',
	'q_time',
	'outcome',
	'ser_start',
	'ser_exit',
	'ser_time',
	'server'
];

/**
 * Database exports of Asterisk's `cdr` and `queue_log` tables carry a header row with the
 * table's column names; a few schemas name them differently. Header name → the name the
 * format's assembly reads.
 */
const CDR_TABLE_NAMES: Record<string, string> = { calldate: 'calldate', starttime: 'start', answertime: 'answer', endtime: 'end' };
const QUEUE_LOG_TABLE_NAMES: Record<string, string> = {
	time: 'time',
	datetime: 'time',
	timeid: 'time',
	timestamp: 'time',
	eventtime: 'time',
	callid: 'callid',
	uniqueid: 'callid',
	queue: 'queue',
	queuename: 'queue',
	agent: 'agent',
	membername: 'agent',
	member: 'agent',
	interface: 'agent',
	event: 'event',
	verb: 'event',
	data1: 'data1',
	data2: 'data2',
	data3: 'data3',
	data4: 'data4',
	data5: 'data5',
	param1: 'data1',
	param2: 'data2',
	param3: 'data3',
	param4: 'data4',
	param5: 'data5',
	arg1: 'data1',
	arg2: 'data2',
	arg3: 'data3',
	arg4: 'data4',
	arg5: 'data5'
};

const DELIMITERS = [',', '\t', ';', '|'];
/** A date and time as PBXs write them, including after a spreadsheet re-save (`2020/2/10 22:41`). */
const TIMESTAMP = /^\d{4}[-/]\d{1,2}[-/]\d{1,2}[ T]\d{1,2}:\d{2}(:\d{2})?/;
const DISPOSITIONS = new Set(['ANSWERED', 'NO ANSWER', 'BUSY', 'FAILED', 'CONGESTION']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Splits one CSV line (no embedded line breaks) honouring double quotes. */
export function splitLine(line: string, delimiter: string, quote = '"'): string[] {
	const fields: string[] = [];
	let field = '';
	let inQuotes = false;
	for (let i = 0; i < line.length; i++) {
		const ch = line[i]!;
		if (quote && ch === quote) {
			if (inQuotes && line[i + 1] === quote) {
				field += quote;
				i++;
			} else inQuotes = !inQuotes;
		} else if (ch === delimiter && !inQuotes) {
			fields.push(field);
			field = '';
		} else field += ch;
	}
	fields.push(field);
	return fields;
}

function sampleLines(sample: string, max = 30): string[] {
	return sample
		.replace(/^\uFEFF/, '')
		.split(/\r?\n/)
		.slice(0, max + 1)
		.filter((line, i, all) => line.trim() !== '' && (i < all.length - 1 || sample.endsWith('\n')));
}

/** The delimiter whose per-line field count is the most consistent (and above one). */
export function sniffDelimiter(lines: string[]): string {
	let best = ',';
	let bestScore = -1;
	for (const delimiter of DELIMITERS) {
		const counts = lines.map((line) => splitLine(line, delimiter).length);
		if (!counts.length || counts[0]! < 2) continue;
		const mode = counts.filter((c) => c === counts[0]).length;
		const score = mode * counts[0]!;
		if (score > bestScore) {
			bestScore = score;
			best = delimiter;
		}
	}
	return best;
}

const looksLikeValue = (field: string) => /^\s*-?[\d.:/ T+Z-]+\s*$/.test(field) && /\d/.test(field);

/** A header row has no numeric or time-like fields, while the next row has some. */
export function sniffHeader(lines: string[], delimiter: string): boolean {
	if (lines.length < 2) return !splitLine(lines[0] ?? '', delimiter).some(looksLikeValue);
	const first = splitLine(lines[0]!, delimiter);
	const second = splitLine(lines[1]!, delimiter);
	return !first.some(looksLikeValue) && second.some(looksLikeValue);
}

export interface Detection {
	format: FormatId;
	layout: CsvLayout;
}

/** A title line has at most this many fields with a value… */
const TITLE_FIELDS = 2;
/** …among the first lines of a file. */
const TITLE_SEARCH = 10;

/**
 * Title lines above a table (`Call Log Report`, `Exported 2024-03-01,,,,`): from the top, each
 * line with at most two values and fewer than half as many as the typical (median) line of the
 * five below it. Their physical lines (blank ones among them counted) and texts.
 */
export function findTitles(sample: string): { titles: { line: number; text: string }[]; titleLines: number } {
	const raw = sample.replace(/^\uFEFF/, '').split(/\r?\n/);
	const filled = raw.flatMap((text, i) => (text.trim() ? [{ text, i }] : []));
	const titles: { line: number; text: string }[] = [];
	for (let t = 0; t < Math.min(TITLE_SEARCH, filled.length - 1); t++) {
		const below = filled.slice(t + 1, t + 6).map((l) => l.text);
		const delimiter = sniffDelimiter(below);
		const count = (line: string) => splitLine(line, delimiter).filter((f) => f.trim() !== '').length;
		const counts = below.map(count).sort((a, b) => a - b);
		const typical = counts[Math.floor(counts.length / 2)] ?? 0;
		const own = count(filled[t]!.text);
		if (typical < 3 || own > TITLE_FIELDS || own * 2 >= typical) break;
		titles.push({
			line: filled[t]!.i + 1,
			text: splitLine(filled[t]!.text, delimiter)
				.filter((f) => f.trim() !== '')
				.join(' ')
		});
	}
	return { titles, titleLines: titles.length ? filled[titles.length]!.i : 0 };
}

/**
 * A second header line right below the header (Cisco UCM's line of field types, `INTEGER,
 * VARCHAR(50),…`): no field of it looks like a value, while in at least two columns every line
 * below it holds one and it holds a word. A record has values there (a blank one fails the
 * test), so a row of data is never taken for it. Its physical line (0-based, blank lines
 * counted) and text, or null; `lines` start with the header.
 */
export function findUnderHeader(lines: string[]): { index: number; text: string } | null {
	const filled = lines.flatMap((text, i) => (text.trim() ? [{ text, i }] : []));
	if (filled.length < 4) return null;
	const below = filled.slice(2, 7).map((l) => l.text);
	const delimiter = sniffDelimiter([filled[0]!.text, ...below]);
	const candidate = splitLine(filled[1]!.text, delimiter);
	if (candidate.some(looksLikeValue)) return null;
	const rows = below.map((l) => splitLine(l, delimiter));
	const valued = candidate.map((_, c) => rows.every((r) => looksLikeValue(r[c] ?? '')));
	const words = valued.filter((v, c) => v && candidate[c]!.trim() !== '').length;
	if (words < 2 || valued.some((v, c) => v && candidate[c]!.trim() === '')) return null;
	return { index: filled[1]!.i, text: candidate.filter((f) => f.trim() !== '').join(' ') };
}

/** Recognises a known layout from the first lines of text (below any title lines), or falls back to `mapped`. */
export function detectFormat(sample: string): Detection {
	const { titles, titleLines } = findTitles(sample);
	const table = sample
		.replace(/^\uFEFF/, '')
		.split(/\r?\n/)
		.slice(titleLines);
	const under = findUnderHeader(table);
	if (under) {
		// The table read as if the line below its header were not there (only under a header).
		const found = detectTable(table.filter((_, i) => i === 0 || i > under.index).join('\n'));
		const typesLine = { line: titleLines + under.index + 1, text: under.text };
		if (found.layout.header) return { ...found, layout: { ...found.layout, titles: [...titles, typesLine], titleLines, underHeaderLines: under.index } };
	}
	if (!titles.length) return detectTable(sample);
	const found = detectTable(table.join('\n'));
	return { ...found, layout: { ...found.layout, titles, titleLines } };
}

/** A headerless file's known column names, and `columnN` for the fields a record writes after them (not read). */
const withTrailing = (columns: string[], width: number) => [
	...columns,
	...Array.from({ length: Math.max(0, width - columns.length) }, (_, i) => `column${columns.length + i + 1}`)
];

function detectTable(sample: string): Detection {
	const lines = sampleLines(sample);
	const first = lines[0] ?? '';
	if (/^\d{9,10}(\.\d+)?\|[^|]*\|[^|]*\|[^|]*\|[A-Z_]+/.test(first))
		return { format: 'queue_log', layout: { delimiter: '|', quote: '', header: false, columns: QUEUE_LOG_COLUMNS } };

	const delimiter = sniffDelimiter(lines);
	const fields = splitLine(first, delimiter).map((f) => f.trim());
	const lower = fields.map((f) => f.toLowerCase());
	if (lower.includes('vru+line') || (lower.includes('q_start') && lower.includes('ser_start')))
		return { format: 'bank-research', layout: { delimiter, quote: '"', header: true, columns: fields } };
	const loose = fields.map(looseName);
	// A named PBX vendor's leg log (calls/vendors/): by its header, or a headerless first record.
	const preset = legPresetFor(fields, lines);
	if (preset) {
		const header = !preset.columns || !preset.matches?.(fields, lines);
		return {
			format: 'legs',
			layout: {
				delimiter,
				quote: '"',
				header,
				columns: header ? dedupe(fields.map((f, i) => f || `column${i + 1}`)) : withTrailing(preset.columns!, fields.length)
			}
		};
	}
	if (GRANDSTREAM_SIGNATURE.every((name) => loose.includes(looseName(name))))
		return { format: 'grandstream', layout: { delimiter, quote: '"', header: true, columns: dedupe(fields.map((f, i) => f || `column${i + 1}`)) } };
	if (loose.includes('disposition') && loose.includes('billsec') && (loose.includes('calldate') || loose.includes('start')))
		return { format: 'asterisk-cdr', layout: { delimiter, quote: '"', header: true, columns: renamed(fields, CDR_TABLE_NAMES) } };
	const queueLogName = (field: string) => loose.some((n) => QUEUE_LOG_TABLE_NAMES[n] === field);
	if (loose.includes('callid') && queueLogName('event') && queueLogName('time'))
		return {
			format: 'queue_log',
			layout: { delimiter, quote: '"', header: true, columns: eventTime(renamed(fields, QUEUE_LOG_TABLE_NAMES), fields, lines, delimiter) }
		};
	if (delimiter === ',' && fields.length >= 16 && fields.length <= 21 && TIMESTAMP.test(fields[9]!) && DISPOSITIONS.has(fields[14]!))
		return { format: 'asterisk-cdr', layout: { delimiter, quote: '"', header: false, columns: ASTERISK_CDR_COLUMNS } };
	if (delimiter === ',' && fields.length === 15 && TIMESTAMP.test(fields[4]!) && UUID.test(fields[10]!))
		return { format: 'freeswitch', layout: { delimiter, quote: '"', header: false, columns: FREESWITCH_COLUMNS } };

	const header = sniffHeader(lines, delimiter);
	const columns = header ? fields.map((f, i) => f || `column${i + 1}`) : fields.map((_, i) => `column${i + 1}`);
	return { format: 'mapped', layout: { delimiter, quote: '"', header, columns: dedupe(columns) } };
}

/** Layout for a format the user named (command line `--format`), when detection is overridden. */
export function layoutFor(format: FormatId, sample: string): CsvLayout {
	const detected = detectFormat(sample);
	if (detected.format === format) return detected.layout;
	const lines = sampleLines(sample);
	const delimiter = format === 'queue_log' ? '|' : sniffDelimiter(lines);
	switch (format) {
		case 'queue_log':
			return { delimiter, quote: '', header: false, columns: QUEUE_LOG_COLUMNS };
		case 'asterisk-cdr':
			return { delimiter, quote: '"', header: false, columns: ASTERISK_CDR_COLUMNS };
		case 'freeswitch':
			return { delimiter, quote: '"', header: false, columns: FREESWITCH_COLUMNS };
		default:
			return detected.layout;
	}
}

/**
 * Header names for staging: the table's names where known (`aliases`, compared loosely),
 * otherwise the header's own, lower-cased.
 */
function renamed(fields: string[], aliases: Record<string, string>): string[] {
	return dedupe(fields.map((f, i) => aliases[looseName(f)] ?? (f.trim().toLowerCase() || `column${i + 1}`)));
}

/**
 * A queue_log table may have two columns either of which could be the event time (`date_time`
 * and a `time` of seconds, say): the one whose values are date-times or epoch seconds is named
 * `time`, the other keeps a name of its own.
 */
function eventTime(columns: string[], fields: string[], lines: string[], delimiter: string): string[] {
	const candidates = fields.flatMap((f, i) => (QUEUE_LOG_TABLE_NAMES[looseName(f)] === 'time' ? [i] : []));
	if (candidates.length < 2) return columns;
	const rows = lines.slice(1).map((line) => splitLine(line, delimiter, '"'));
	const isTime = (value = '') => TIMESTAMP.test(value.trim()) || /^\d{9,10}(\.\d+)?$/.test(value.trim());
	const score = (i: number) => rows.filter((r) => isTime(r[i])).length;
	const best = candidates.reduce((a, b) => (score(b) > score(a) ? b : a));
	const named = columns.indexOf('time');
	if (named < 0 || named === best) return columns;
	const swapped = [...columns];
	[swapped[named], swapped[best]] = [columns[best]!, columns[named]!];
	return swapped;
}

/** Names the pipeline adds to every staged row; a file column of that name is renamed. */
const RESERVED = new Set(['__file', '__line']);

/**
 * Unique staging names. The database compares names without case, so `agent` and `Agent`
 * collide: the later one becomes `Agent_2`.
 */
export function dedupe(names: string[]): string[] {
	const taken = new Set(RESERVED);
	return names.map((name) => {
		let candidate = name;
		for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${name}_${n}`;
		taken.add(candidate.toLowerCase());
		return candidate;
	});
}
