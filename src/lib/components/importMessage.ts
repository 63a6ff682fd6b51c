import type { ImportErrorDetail } from '$lib/imports/errors';
import type { MessageKey } from '$lib/i18n/messages';

type T = (key: MessageKey, values?: Record<string, string | number>) => string;

/** Where and what, in the user's language: `文件 a.csv，第 3 行，列“start”：无法识别的时间`. */
export function importProblemText(d: ImportErrorDetail, t: T, zh: boolean): { where: string; what: string } {
	const where = [
		d.file ? t('problem.where.file', { file: d.file }) : null,
		d.line !== undefined ? t('problem.where.line', { line: d.line }) : null,
		d.column !== undefined ? t('problem.where.column', { column: d.column }) : null
	]
		.filter(Boolean)
		.join(zh ? '，' : ', ');
	const encoding = /not valid (\S+)/.exec(d.detail ?? '')?.[1] ?? '';
	return { where, what: t(`problem.${d.problem}` as MessageKey, { encoding }) };
}
