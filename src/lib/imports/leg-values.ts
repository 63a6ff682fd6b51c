import type { Engine } from '$lib/engine/types';
import { quoteLiteral } from '$lib/sql/identifiers';
import { ImportError } from './errors';

/**
 * The words a leg log writes in its direction and status columns, and what each means. As for
 * outcome values (outcome-values.ts), nothing is classified silently: a value is the user's
 * assignment, a named vendor's word (its preset), or a word of the lists below (English,
 * Chinese, Spanish, Portuguese) whose meaning is not in doubt; any other value stops the
 * import with the list, for the user to assign.
 */

export const DIRECTION_CLASSES = ['inbound', 'outbound', 'internal', 'queue'] as const;
export type DirectionClass = (typeof DIRECTION_CLASSES)[number];

/** `voicemail`, `ivr` and `closed` (a closed-hours message) answer a call without an agent. */
export const STATUS_CLASSES = ['answered', 'no_answer', 'busy', 'failed', 'voicemail', 'ivr', 'closed'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

export type DirectionValues = Record<string, DirectionClass>;
export type StatusValues = Record<string, StatusClass>;

/** Compared trimmed and lower-cased. */
const DIRECTION_WORDS: Record<DirectionClass, string[]> = {
	inbound: [
		...['inbound', 'incoming', 'in', 'i', 'inbound call', 'incoming call', 'external inbound'],
		...['呼入', '来电', '呼入电话', '外线呼入'],
		...['entrante', 'entrada', 'llamada entrante', 'recibida'],
		...['recebida', 'chamada recebida', 'entrada']
	],
	outbound: [
		...['outbound', 'outgoing', 'out', 'o', 'outbound call', 'outgoing call', 'external outbound'],
		...['呼出', '去电', '外呼', '呼出电话'],
		...['saliente', 'salida', 'llamada saliente', 'realizada'],
		...['efetuada', 'chamada efetuada', 'saída', 'saida', 'originada']
	],
	internal: [...['internal', 'local', 'extension', 'intercom'], ...['内部', '内线', '分机互拨'], ...['interna', 'interno']],
	queue: [...['queue', 'acd', 'call queue'], ...['队列', '排队'], ...['cola', 'fila']]
};

const STATUS_WORDS: Record<StatusClass, string[]> = {
	answered: [
		...['answered', 'answer', 'connected', 'completed', 'transferred', 'transfer', 'answered by agent'],
		...['已接听', '接听', '已接通', '接通', '应答', '已应答', '已转接', '转接'],
		...['contestada', 'contestado', 'atendida', 'transferida'],
		...['atendida', 'atendido', 'transferida', 'completada']
	],
	no_answer: [
		...['unanswered', 'no answer', 'noanswer', 'not answered', 'missed', 'ring no answer', 'abandoned', 'cancelled', 'canceled'],
		...['未接', '未接听', '未接通', '无人接听', '未应答', '放弃', '已取消'],
		...['no contestada', 'no contestado', 'perdida', 'sin respuesta', 'abandonada', 'cancelada'],
		...['não atendida', 'nao atendida', 'não atendido', 'perdida', 'sem resposta']
	],
	busy: [...['busy', 'user busy'], ...['忙', '忙线', '占线', '用户忙'], ...['ocupado', 'ocupada']],
	failed: [
		...['failed', 'fail', 'congestion', 'error', 'rejected'],
		...['失败', '呼叫失败', '拒接'],
		...['fallida', 'fallido', 'falhou', 'falha', 'rechazada']
	],
	voicemail: [...['voicemail', 'voice mail', 'vm'], ...['语音信箱', '留言'], ...['buzón de voz', 'buzon de voz'], ...['correio de voz', 'caixa postal']],
	ivr: [...['ivr', 'auto attendant', 'auto-attendant', 'autoattendant'], ...['语音导航', '自动语音'], ...['operadora automática', 'menu de voz']],
	closed: [
		...['closed', 'out of hours', 'after hours', 'outside business hours', 'closed hours'],
		...['非工作时间', '下班时间'],
		...['fuera de horario', 'cerrado'],
		...['fora do horário', 'fora do horario', 'fechado']
	]
};

const byWord = <C extends string>(words: Record<C, string[]>) =>
	new Map((Object.entries(words) as [C, string[]][]).flatMap(([c, list]) => list.map((w) => [w, c] as const)));
const DIRECTION_BY_WORD = byWord(DIRECTION_WORDS);
const STATUS_BY_WORD = byWord(STATUS_WORDS);

export type LegColumnKind = 'direction' | 'status';

/** The class of a common word, or null when it is not beyond doubt. */
export function legWord(kind: 'direction', value: string): DirectionClass | null;
export function legWord(kind: 'status', value: string): StatusClass | null;
export function legWord(kind: LegColumnKind, value: string): string | null {
	const key = value.trim().toLowerCase();
	return (kind === 'direction' ? DIRECTION_BY_WORD.get(key) : STATUS_BY_WORD.get(key)) ?? null;
}

/** How a value's class was settled: the user's, a named vendor's word, a common word, or (an empty cell) the rule for empty. */
export type LegValueBasis = 'assigned' | 'vendor' | 'word' | 'empty';

export interface LegValue {
	/** The value as written, trimmed ('' for an empty cell). */
	value: string;
	rows: number;
	class: string | null;
	basis: LegValueBasis | null;
}

/** At most this many distinct values: beyond it, the column holds something else. */
export const MAX_LEG_VALUES = 60;

/**
 * The distinct values of a staged column, each resolved: the user's assignment, the vendor's
 * word, a common word. An empty cell is settled by the assembly's rule (direction: inbound;
 * status: the leg's answer evidence).
 */
export async function findLegValues(
	engine: Engine,
	stage: string,
	column: string,
	kind: LegColumnKind,
	assigned: Record<string, string> = {},
	vendor: Record<string, string> = {}
): Promise<LegValue[]> {
	const rows = await engine.query<{ v: string; n: number }>({
		sql: `SELECT coalesce(trim(${column}), '') AS v, count(*) AS n FROM ${stage} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${MAX_LEG_VALUES + 1}`,
		params: []
	});
	return rows.map((r) => resolveLegValue(kind, r.v, Number(r.n), assigned, vendor));
}

export function resolveLegValue(kind: LegColumnKind, value: string, rows: number, assigned: Record<string, string>, vendor: Record<string, string>): LegValue {
	if (Object.hasOwn(assigned, value)) return { value, rows, class: assigned[value]!, basis: 'assigned' };
	if (value === '') return { value, rows, class: kind === 'direction' ? 'inbound' : null, basis: 'empty' };
	const key = value.toLowerCase();
	if (Object.hasOwn(vendor, key)) return { value, rows, class: vendor[key]!, basis: 'vendor' };
	const word = kind === 'direction' ? legWord('direction', value) : legWord('status', value);
	if (word) return { value, rows, class: word, basis: 'word' };
	return { value, rows, class: null, basis: null };
}

/** The values' classes for the assembly; throws the list when one is unassigned or the column has too many values. */
export function settledLegValues(file: string, column: string, kind: LegColumnKind, values: LegValue[]): Record<string, string> {
	const classes = (kind === 'direction' ? DIRECTION_CLASSES : STATUS_CLASSES).join('|');
	if (values.length > MAX_LEG_VALUES)
		throw new ImportError({ problem: 'not_leg_values', file, column, hint: { key: 'hint.not_leg_values', values: { max: MAX_LEG_VALUES } } });
	const open = values.filter((v) => v.basis === null);
	if (open.length)
		throw new ImportError({
			problem: 'unassigned_leg_values',
			file,
			column,
			value: open.map((v) => `${v.value} (${v.rows})`).join(', '),
			hint: { key: 'hint.assign_leg_values', values: { option: `--${kind}`, classes } },
			legValues: { kind, values }
		});
	return Object.fromEntries(values.filter((v) => v.class !== null).map((v) => [v.value, v.class!]));
}

/** SQL: the class of the staged column's value, from settled classes; NULL for an empty cell without one. */
export function legValueCase(column: string, values: Record<string, string>): string {
	const entries = Object.entries(values);
	if (!entries.length) return 'NULL::VARCHAR';
	const whens = entries.map(([value, c]) => `WHEN ${quoteLiteral(value)} THEN ${quoteLiteral(c)}`).join(' ');
	return `CASE coalesce(trim(${column}), '') ${whens} END`;
}

/** `--direction VALUE=inbound`, `--status VALUE=answered` (command line): the value and its class, or an Error saying what is wrong. */
export function parseLegAssignment(kind: LegColumnKind, text: string): [string, string] {
	const classes: readonly string[] = kind === 'direction' ? DIRECTION_CLASSES : STATUS_CLASSES;
	const at = text.lastIndexOf('=');
	const c = text.slice(at + 1).trim();
	if (at < 0 || !classes.includes(c)) throw new Error(`--${kind} takes VALUE=${classes.join('|')}, not ${JSON.stringify(text)}`);
	return [
		text
			.slice(0, at)
			.trim()
			.replace(/^"(.*)"$/, '$1'),
		c
	];
}

/** A leg log's direction and status columns settled, each value's class and why kept for the report. */
export interface SettledLegColumns {
	classes: { direction: Record<string, string>; status: Record<string, string> };
	used: { directions?: UsedLegValue[]; statuses?: UsedLegValue[] };
}

export interface UsedLegValue {
	value: string;
	class: string;
	basis: LegValueBasis;
	rows: number;
}

/**
 * The direction and status columns' values settled (the user's assignments first, then the
 * vendor's words, then the common words): stops the import with the list when one is open.
 * `columns` are the SQL of each (a quoted column or a vendor's expression), null when absent.
 */
export async function settleLegColumns(
	engine: Engine,
	stage: string,
	file: string,
	columns: { direction: { sql: string; name: string } | null; status: { sql: string; name: string } | null },
	assigned: { direction?: Record<string, string>; status?: Record<string, string> },
	vendor: { direction?: Record<string, string>; status?: Record<string, string> } = {}
): Promise<SettledLegColumns> {
	const out: SettledLegColumns = { classes: { direction: {}, status: {} }, used: {} };
	for (const kind of ['direction', 'status'] as const) {
		const column = columns[kind];
		if (!column) continue;
		const values = await findLegValues(engine, stage, column.sql, kind, assigned[kind], vendor[kind]);
		out.classes[kind] = settledLegValues(file, column.name, kind, values);
		const used = values.filter((v) => v.class !== null).map((v) => ({ value: v.value, class: v.class!, basis: v.basis!, rows: v.rows }));
		if (kind === 'direction') out.used.directions = used;
		else out.used.statuses = used;
	}
	return out;
}
