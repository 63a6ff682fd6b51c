import type { Lang } from '$lib/i18n/messages';
import type { ReportData } from './model';
import type { ChartImage } from './xlsx';

/**
 * The command line computes a report in Node and has the Report page print it: it places the
 * figures here before the app starts (a window property), and the page shows them instead of
 * a dataset. One layout for the page, its print, and the command line's PDF.
 */
export const INJECTED_REPORT = '__holdlineReport';

/**
 * The page showing injected figures offers its charts here, drawn as its own workbook download
 * draws them (`chart-images.ts`): the command line calls it and puts them in its workbook.
 */
export const INJECTED_CHARTS = '__holdlineReportCharts';

export interface InjectedReport {
	data: ReportData;
	lang: Lang;
}

/** A chart image as it leaves the page: the PNG as base64 (plain JSON crosses the boundary). */
export type TransferredChart = Omit<ChartImage, 'png'> & { png: string };

export function injectedReport(): InjectedReport | null {
	if (typeof window === 'undefined') return null;
	const value = (window as unknown as Record<string, unknown>)[INJECTED_REPORT] as InjectedReport | undefined;
	return value && typeof value === 'object' && value.data && (value.lang === 'zh-CN' || value.lang === 'en') ? value : null;
}

function toBase64(bytes: Uint8Array): string {
	let binary = '';
	for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return btoa(binary);
}

/** Offers the page's chart images to the command line (see INJECTED_CHARTS). */
export function offerChartImages(draw: () => Promise<ChartImage[]>): void {
	(window as unknown as Record<string, unknown>)[INJECTED_CHARTS] = async (): Promise<TransferredChart[]> =>
		(await draw()).map((chart) => ({ ...chart, png: toBase64(chart.png) }));
}
