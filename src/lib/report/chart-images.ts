import { standaloneSvg } from '$lib/export/svg';
import { embeddedFontCss } from '$lib/export/fonts';
import { rasterise } from '$lib/export/png';
import type { Lang } from '$lib/i18n/messages';
import type { ReportData } from './model';
import { reportSubtitle, reportTables } from './tables';
import type { ChartImage } from './xlsx';

/**
 * The report's charts as PNG images for the workbook: each chart drawn on the page goes
 * through the figure export (title and filters above, source below, chart font embedded),
 * at twice its on-screen size. The page's download and the command line's workbook (the
 * page in headless Chromium, `injected.ts`) both draw them here.
 */
export async function reportChartImages(root: HTMLElement, data: ReportData, lang: Lang): Promise<ChartImage[]> {
	const titles = new Map(reportTables(data, lang).map((x) => [x.id, x.title]));
	const filters = reportSubtitle(data, lang);
	const source = `holdline · ${data.source.name}`;
	const images: ChartImage[] = [];
	for (const figure of Array.from(root.querySelectorAll<HTMLElement>('[data-chart-for]'))) {
		const svg = figure.querySelector('svg');
		const table = figure.dataset.chartFor!;
		if (!svg) continue;
		const text = { title: titles.get(table) ?? table, filters, source };
		const fonts = await embeddedFontCss(standaloneSvg(svg, text).text);
		const { text: file, width, height } = standaloneSvg(svg, text, fonts);
		const png = new Uint8Array(await (await rasterise(file, width, height, 2, 192)).arrayBuffer());
		images.push({ table, png, width, height });
	}
	return images;
}
