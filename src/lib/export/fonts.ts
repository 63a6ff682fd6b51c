/** The chart font, self-hosted so exports look the same on every computer. */
export const CHART_FONT_FAMILY = "'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif";
const FAMILY = 'Noto Sans SC';

const dataUrls = new Map<string, Promise<string>>();

function inRanges(code: number, ranges: string): boolean {
	return ranges.split(',').some((part) => {
		const range = part.trim().replace(/^U\+/i, '');
		const [start, end] = range.includes('-') ? range.split('-') : [range, range];
		if (start!.includes('?')) {
			return code >= parseInt(start!.replace(/\?/g, '0'), 16) && code <= parseInt(start!.replace(/\?/g, 'F'), 16);
		}
		return code >= parseInt(start!, 16) && code <= parseInt(end!, 16);
	});
}

function fontFaceRules(): CSSFontFaceRule[] {
	const rules: CSSFontFaceRule[] = [];
	for (const sheet of Array.from(document.styleSheets)) {
		let list: CSSRuleList;
		try {
			list = sheet.cssRules;
		} catch {
			continue; // a cross-origin sheet cannot be read; ours are all same-origin
		}
		for (const rule of Array.from(list)) {
			if (rule instanceof CSSFontFaceRule && rule.style.getPropertyValue('font-family').includes(FAMILY)) rules.push(rule);
		}
	}
	return rules;
}

async function toDataUrl(url: string): Promise<string> {
	const response = await fetch(url);
	if (!response.ok) throw new Error(`Font ${url}: HTTP ${response.status}`);
	const blob = await response.blob();
	return new Promise((resolve, reject) => {
		const reader = new FileReader();
		reader.onload = () => resolve(String(reader.result));
		reader.onerror = () => reject(reader.error);
		reader.readAsDataURL(blob);
	});
}

/**
 * @font-face rules, with the font files inlined as data URLs, for just the
 * unicode-range slices that `text` uses. An SVG drawn as an image may not fetch
 * anything, so the PNG export needs the glyphs inside the SVG itself.
 */
export async function embeddedFontCss(text: string): Promise<string> {
	const codes = new Set(Array.from(text, (ch) => ch.codePointAt(0)!));
	const css: string[] = [];
	for (const rule of fontFaceRules()) {
		const ranges = rule.style.getPropertyValue('unicode-range');
		if (ranges && ![...codes].some((code) => inRanges(code, ranges))) continue;
		const src = /url\(["']?([^"')]+\.woff2)["']?\)/.exec(rule.style.getPropertyValue('src'))?.[1];
		if (!src) continue;
		const absolute = new URL(src, rule.parentStyleSheet?.href ?? document.baseURI).href;
		let dataUrl = dataUrls.get(absolute);
		if (!dataUrl) {
			dataUrl = toDataUrl(absolute);
			dataUrl.catch(() => dataUrls.delete(absolute));
			dataUrls.set(absolute, dataUrl);
		}
		css.push(
			`@font-face{font-family:'${FAMILY}';font-style:normal;font-weight:${rule.style.getPropertyValue('font-weight') || 400};` +
				`src:url(${await dataUrl}) format('woff2');${ranges ? `unicode-range:${ranges};` : ''}}`
		);
	}
	return css.join('\n');
}
