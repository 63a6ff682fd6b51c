import type { Filter } from './filter';
import type { Lang, MessageKey } from '$lib/i18n/messages';
import { translate } from '$lib/i18n/messages';

/** "部门 = 座席一部 · 结果 = 办理完毕", printed on reports and exports. */
export function describeFilter(filter: Filter, lang: Lang, labels: { department?: (value: string) => string; agent?: (value: string) => string } = {}): string {
	const t = (key: MessageKey) => translate(lang, key);
	const parts: string[] = [];
	if (filter.department) parts.push(`${t('filter.department')} = ${labels.department?.(filter.department) ?? filter.department}`);
	if (filter.agent) parts.push(`${t('filter.agent')} = ${labels.agent?.(filter.agent) ?? filter.agent}`);
	if (filter.outcome) parts.push(`${t('filter.outcome')} = ${t(`outcome.${filter.outcome}` as MessageKey)}`);
	return parts.length ? parts.join(' · ') : t('filter.none');
}
