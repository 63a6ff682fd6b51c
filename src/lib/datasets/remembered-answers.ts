import { readsTable } from '$lib/db/coordinator';
import type { Row } from '$lib/db/types';

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
 * (BIGINT as Number, `db/arrow.ts`), booleans and nulls, as the story snapshot does; an
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

/**
 * The answers to keep for `table` within `budget` bytes: those that read it and round-trip,
 * most recent first, skipping one too large for what is left (an older, smaller one may still
 * fit). Returned oldest first, as given.
 */
export function answersToKeep(answers: Answer[], table: string, budget = REMEMBERED_BUDGET): { answers: Answer[]; bytes: number } {
	const kept: Answer[] = [];
	let bytes = 0;
	for (let i = answers.length - 1; i >= 0; i--) {
		const answer = answers[i]!;
		if (!keyReads(answer[0], table) || !roundTrips(answer[1])) continue;
		const size = encoder.encode(JSON.stringify(answer)).length + 1; // and its comma
		if (bytes + size > budget) continue;
		bytes += size;
		kept.push(answer);
	}
	return { answers: kept.reverse(), bytes };
}

function keyReads(key: string, table: string): boolean {
	try {
		const [sql, params] = JSON.parse(key) as unknown[];
		return typeof sql === 'string' && Array.isArray(params) && readsTable(sql, table);
	} catch {
		return false;
	}
}

export function serialiseAnswers(table: string, answers: Answer[]): string {
	return JSON.stringify({ format: REMEMBERED_FORMAT, table, answers });
}

/**
 * The answers in a file's text, or null when it is not one of ours for `table` (corrupt, old
 * format, another dataset's). An entry whose key does not read `table` is dropped: a file can
 * never put answers under another table's questions.
 */
export function parseAnswers(text: string, table: string): Answer[] | null {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		return null;
	}
	const file = parsed as { format?: unknown; table?: unknown; answers?: unknown } | null;
	if (!file || typeof file !== 'object' || file.format !== REMEMBERED_FORMAT || file.table !== table || !Array.isArray(file.answers)) return null;
	return file.answers.filter(
		(entry): entry is Answer =>
			Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string' && Array.isArray(entry[1]) && keyReads(entry[0], table) && roundTrips(entry[1])
	);
}
