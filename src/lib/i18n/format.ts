import type { Lang } from './index';

/** 213 → "3分33秒" (zh) / "3 min 33 s" (en); null → the "not stated" text. */
export function formatDuration(seconds: number | null | undefined, lang: Lang, missing = '—'): string {
	if (seconds == null || !Number.isFinite(seconds)) return missing;
	const total = Math.round(Math.abs(seconds));
	const sign = seconds < 0 ? '−' : '';
	const minutes = Math.floor(total / 60);
	const rest = total % 60;
	if (lang === 'zh-CN') {
		if (minutes === 0) return `${sign}${rest}秒`;
		return `${sign}${minutes}分${rest ? `${rest}秒` : '钟'}`;
	}
	if (minutes === 0) return `${sign}${rest} s`;
	return `${sign}${minutes} min${rest ? ` ${rest} s` : ''}`;
}

/** 213 → "3:33", for axis ticks where space is short. */
export function formatMinSec(seconds: number): string {
	const total = Math.round(seconds);
	const sign = total < 0 ? '−' : '';
	const abs = Math.abs(total);
	return `${sign}${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, '0')}`;
}

// Formatters are kept per language: making one costs far more than using it, and charts
// format thousands of labels per redraw.
const percentFormats = new Map<Lang, Intl.NumberFormat>();
const numberFormats = new Map<Lang, Intl.NumberFormat>();
function formatter(cache: Map<Lang, Intl.NumberFormat>, lang: Lang, options: Intl.NumberFormatOptions) {
	let found = cache.get(lang);
	if (!found) cache.set(lang, (found = new Intl.NumberFormat(lang, options)));
	return found;
}

export function formatPercent(share: number | null | undefined, lang: Lang, missing = '—'): string {
	if (share == null || !Number.isFinite(share)) return missing;
	return formatter(percentFormats, lang, { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

export function formatNumber(value: number | null | undefined, lang: Lang, missing = '—'): string {
	if (value == null || !Number.isFinite(value)) return missing;
	return formatter(numberFormats, lang, { maximumFractionDigits: 1 }).format(value);
}

/** Seconds after an onset given as "HH:MM:SS" → wall-clock "HH:MM:SS" (or "HH:MM" when on the minute). */
export function formatClock(offsetSeconds: number, onset = '14:28:00', withSeconds = true): string {
	const [h, m, s] = onset.split(':').map(Number) as [number, number, number];
	const day = 24 * 3600;
	const t = (((h * 3600 + m * 60 + s + Math.round(offsetSeconds)) % day) + day) % day;
	const pad = (n: number) => String(n).padStart(2, '0');
	const hh = pad(Math.floor(t / 3600));
	const mm = pad(Math.floor((t % 3600) / 60));
	return withSeconds ? `${hh}:${mm}:${pad(t % 60)}` : `${hh}:${mm}`;
}

/** A reported claim such as "> 200" or "≈ 50%". */
export function formatClaim(operator: string, value: number | null, unit: string, lang: Lang): string {
	if (value == null) return '';
	const isPercent = unit.startsWith('percent');
	const shown = isPercent ? formatPercent(value / 100, lang) : formatNumber(value, lang);
	return `${operator} ${shown}`;
}

/** 1536 → "2 KB", 5e6 → "4.8 MB": file and dataset sizes. */
export function formatBytes(bytes: number): string {
	if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
	if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
	return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
