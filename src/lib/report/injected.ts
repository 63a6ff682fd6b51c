import type { Lang } from '$lib/i18n/messages';
import type { ReportData } from './model';

/**
 * The command line computes a report in Node and has the Report page print it: it places the
 * figures here before the app starts (a window property), and the page shows them instead of
 * a dataset. One layout for the page, its print, and the command line's PDF.
 */
export const INJECTED_REPORT = '__holdlineReport';

export interface InjectedReport {
	data: ReportData;
	lang: Lang;
}

export function injectedReport(): InjectedReport | null {
	if (typeof window === 'undefined') return null;
	const value = (window as unknown as Record<string, unknown>)[INJECTED_REPORT] as InjectedReport | undefined;
	return value && typeof value === 'object' && value.data && (value.lang === 'zh-CN' || value.lang === 'en') ? value : null;
}
