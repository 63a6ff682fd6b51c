import { CHART_FONT_FAMILY } from './fonts';

const SVG_NS = 'http://www.w3.org/2000/svg';

export interface FigureText {
	title: string;
	/** e.g. "筛选：部门 = 座席一部" */
	filters: string;
	source: string;
}

export interface StandaloneSvg {
	text: string;
	width: number;
	height: number;
}

/** Rough advance width of a character at font size 1: CJK is square, Latin about half. */
function charWidth(ch: string): number {
	return /[\u2e80-\uffef]/.test(ch) ? 1 : 0.56;
}

/** Breaks text into lines no wider than `maxWidth` at `fontSize` (estimated, no DOM needed). */
export function wrapText(text: string, fontSize: number, maxWidth: number): string[] {
	const lines: string[] = [];
	let line = '';
	let width = 0;
	for (const ch of text) {
		const w = charWidth(ch) * fontSize;
		if (width + w > maxWidth && line) {
			// Latin words are not split: break at the line's last space when there is one.
			const space = /[\u2e80-\uffef]/.test(ch) ? -1 : line.lastIndexOf(' ');
			if (space > 0) {
				lines.push(line.slice(0, space));
				line = line.slice(space + 1);
				width = Array.from(line).reduce((sum, c) => sum + charWidth(c) * fontSize, 0);
			} else {
				lines.push(line);
				line = '';
				width = 0;
			}
		}
		line += ch;
		width += w;
	}
	if (line) lines.push(line);
	return lines;
}

function textElement(content: string, x: number, y: number, size: number, weight = 400, fill = '#1f2933') {
	const el = document.createElementNS(SVG_NS, 'text');
	el.setAttribute('x', String(x));
	el.setAttribute('y', String(y));
	el.setAttribute('font-size', String(size));
	el.setAttribute('font-weight', String(weight));
	el.setAttribute('fill', fill);
	el.textContent = content; // text, never markup
	return el;
}

/**
 * A self-contained SVG file of a chart: title and active filters above, the source
 * below, white background, fonts named (and optionally embedded) so that Chinese renders.
 */
export function standaloneSvg(chart: SVGSVGElement, figure: FigureText, fontCss = ''): StandaloneSvg {
	const width = Math.max(320, Math.round(chart.width.baseVal.value || chart.getBoundingClientRect().width));
	const chartHeight = Math.round(chart.height.baseVal.value || chart.getBoundingClientRect().height);
	const pad = 16;
	const titleLines = wrapText(figure.title, 16, width - 2 * pad);
	const filterLines = wrapText(figure.filters, 11, width - 2 * pad);
	const sourceLines = wrapText(figure.source, 10, width - 2 * pad);
	const header = pad + titleLines.length * 22 + filterLines.length * 16 + 8;
	const footer = 10 + sourceLines.length * 14 + pad / 2;
	const height = header + chartHeight + footer;

	const root = document.createElementNS(SVG_NS, 'svg');
	root.setAttribute('xmlns', SVG_NS);
	root.setAttribute('width', String(width));
	root.setAttribute('height', String(height));
	root.setAttribute('viewBox', `0 0 ${width} ${height}`);
	root.setAttribute('font-family', CHART_FONT_FAMILY);
	const label = chart.getAttribute('aria-label');
	if (label) root.setAttribute('aria-label', label);

	const titleEl = document.createElementNS(SVG_NS, 'title');
	titleEl.textContent = figure.title;
	root.append(titleEl);
	if (fontCss) {
		const style = document.createElementNS(SVG_NS, 'style');
		style.textContent = fontCss;
		root.append(style);
	}
	const background = document.createElementNS(SVG_NS, 'rect');
	background.setAttribute('width', '100%');
	background.setAttribute('height', '100%');
	background.setAttribute('fill', '#ffffff');
	root.append(background);

	let y = pad + 14;
	for (const line of titleLines) {
		root.append(textElement(line, pad, y, 16, 700));
		y += 22;
	}
	for (const line of filterLines) {
		root.append(textElement(line, pad, y - 4, 11, 400, '#52606d'));
		y += 16;
	}

	const body = document.createElementNS(SVG_NS, 'g');
	body.setAttribute('transform', `translate(0, ${header})`);
	for (const child of Array.from(chart.childNodes)) body.append(child.cloneNode(true));
	// Interactive-only parts (focus rings, hover overlays) are marked and left out.
	for (const el of Array.from(body.querySelectorAll('[data-export="skip"]'))) el.remove();
	root.append(body);

	y = header + chartHeight + 18;
	for (const line of sourceLines) {
		root.append(textElement(line, pad, y, 10, 400, '#52606d'));
		y += 14;
	}
	const text = '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(root);
	return { text, width, height };
}
