import type { Lang } from '$lib/i18n/messages';

/** Agents and departments are shown as written in Chinese, with the pinyin/English gloss in English. */
export function agentName(row: { agent: string; agent_pinyin?: string | null }, lang: Lang): string {
	return lang === 'en' && row.agent_pinyin ? row.agent_pinyin : row.agent;
}

export function departmentName(row: { department: string; department_en?: string | null }, lang: Lang): string {
	return lang === 'en' && row.department_en ? row.department_en : row.department;
}
