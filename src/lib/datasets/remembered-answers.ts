import { readsTable } from '$lib/query/coordinator';
import type { Row } from '$lib/engine/types';

/**
 * Answers computed for a stored dataset, kept beside its stored copy so that reopening it
 * shows them before the engine has started (3.5–4.3 s of the 7.1–8.8 s to a reopened
 * dataset's first answer at 1,000,000 calls). An imported dataset never changes (a new import
 * is a new table), so an answer once computed stays exact; each is kept under the
 * coordinator's own key (SQL text and values) and is only ever used for that exact key.
 *
 * This module is the pure part: which answers to keep, and their file's text.
 */

/** `[coordinator key, rows]`, oldest first (the order in which they are pinned again). */
export type Answer = [key: string, rows: Row[]];

/** The file's layout; a file of another version is ignored (the page asks the engine). */
export const REMEMBERED_FORMAT = 1;

/** At most this many bytes of JSON per dataset: the five views, menus and a few filters' answers are tens of KB. */
export const REMEMBERED_BUDGET = 2 * 1024 * 1024;

/**
 * Whether a value comes back from JSON as it went in. The engine's rows hold strings, numbers
 * (BIGINT as Number, `engine/arrow.ts`), booleans and nulls, as the story snapshot does; an
 * answer with anything else (NaN, a Date, a typed array) is not kept rather than kept changed.
 */
function exactInJson(value: unknown): boolean {
	return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

const plainRow = (row: unknown): row is Row =>
	typeof row === 'object' && row !== null && !Array.isArray(row) && Object.getPrototypeOf(row) === Object.prototype;

export function roundTrips(rows: Row[]): boolean {
	return rows.every((row) => plainRow(row) && Object.values(row).every(exactInJson));
}

const encoder = new TextEncoder();

/** An answer as its file keeps it: one line of JSON, `[key, rows]`, and its size in bytes. */
export interface AnswerLine {
	line: string;
	bytes: number;
}

/** Serialised once per answer: the rows of an answer never change, and a page writes its answers again as they grow. */
const lines = new WeakMap<Row[], { key: string; line: AnswerLine }>();

function answerLine([key, rows]: Answer): AnswerLine {
	const known = lines.get(rows);
	if (known && known.key === key) return known.line;
	const line = JSON.stringify([key, rows]);
	const made = { line, bytes: encoder.encode(line).length + 1 }; // and its line break
	lines.set(rows, { key, line: made });
	return made;
}

/** At least this many bytes as JSON (every field's name, quotes, colon and a one-character value): a surely too large answer is skipped unserialised. */
function bytesFloor(rows: Row[]): number {
	const first = rows[0];
	return first ? rows.length * Object.keys(first).reduce((sum, name) => sum + name.length + 4, 2) : 0;
}

/**
 * The answers to keep for `table` within `budget` bytes: those that read it and round-trip,
 * most recent first, skipping one too large for what is left (an older, smaller one may still
 * fit). Returned oldest first, as given. A generator that pauses after each answer, so that
 * the page can serialise its answers a task at a time: a full 2 MB budget of hourly rows took
 * 200 ms in one task on a loaded core, and at most 12 ms a step this way (Node, 12 answers of
 * 1,200 rows); `answersToKeep` runs it at once.
 */
export function* keepAnswers(
	answers: Answer[],
	table: string,
	budget = REMEMBERED_BUDGET
): Generator<void, { answers: Answer[]; lines: AnswerLine[]; bytes: number }> {
	const kept: Answer[] = [];
	const keptLines: AnswerLine[] = [];
	let bytes = 0;
	for (let i = answers.length - 1; i >= 0; i--) {
		const answer = answers[i]!;
		if (!keyReads(answer[0], table) || bytesFloor(answer[1]) > budget - bytes || !roundTrips(answer[1])) continue;
		const line = answerLine(answer);
		yield;
		if (bytes + line.bytes > budget) continue;
		bytes += line.bytes;
		kept.push(answer);
		keptLines.push(line);
	}
	return { answers: kept.reverse(), lines: keptLines.reverse(), bytes };
}

/** Runs a generator of `keepAnswers` or `parseAnswers` to its end, at once. */
export function runToEnd<T>(steps: Generator<void, T>): T {
	for (;;) {
		const step = steps.next();
		if (step.done) return step.value;
	}
}

export const answersToKeep = (answers: Answer[], table: string, budget = REMEMBERED_BUDGET) => runToEnd(keepAnswers(answers, table, budget));

function keyReads(key: string, table: string): boolean {
	try {
		const [sql, params] = JSON.parse(key) as unknown[];
		return typeof sql === 'string' && Array.isArray(params) && readsTable(sql, table);
	} catch {
		return false;
	}
}

/** The file: a first line naming its format and table, then one line per answer, oldest first. */
export function fileText(table: string, kept: AnswerLine[]): string {
	return [JSON.stringify({ format: REMEMBERED_FORMAT, table }), ...kept.map((k) => k.line)].join('\n');
}

export const serialiseAnswers = (table: string, answers: Answer[]) => fileText(table, answers.map(answerLine));

/**
 * The answers in a file's text, or null when it is not one of ours for `table` (corrupt, old
 * format, another dataset's). An entry whose key does not read `table` is dropped: a file can
 * never put answers under another table's questions. Pauses after each line, as `keepAnswers`.
 */
export function* readAnswers(text: string, table: string): Generator<void, Answer[] | null> {
	const [head, ...rest] = text.split('\n');
	const file = parsed(head ?? '') as { format?: unknown; table?: unknown } | undefined;
	if (!file || typeof file !== 'object' || file.format !== REMEMBERED_FORMAT || file.table !== table) return null;
	const answers: Answer[] = [];
	for (const line of rest) {
		const entry = parsed(line);
		if (entry === undefined) return null; // cut short or damaged: none of it is trusted
		if (
			Array.isArray(entry) &&
			entry.length === 2 &&
			typeof entry[0] === 'string' &&
			Array.isArray(entry[1]) &&
			keyReads(entry[0], table) &&
			roundTrips(entry[1])
		)
			answers.push(entry as Answer);
		yield;
	}
	return answers;
}

export const parseAnswers = (text: string, table: string) => runToEnd(readAnswers(text, table));

function parsed(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}
