import { translator, type Lang } from '$lib/i18n/messages';
import { formatNumber } from '$lib/i18n/format';
import type { SavedDataset } from './library.svelte';

/** Files named in a source line before the rest are counted ("a, b, c and 9 more"). */
const FILES_NAMED = 3;

/**
 * The source line printed under an imported dataset's figures: which data they come from
 * (name, files, calls, date range) and when it was imported, so that an exported chart can
 * be traced back to its files. The story article is the source of the story dataset only.
 */
export function datasetSourceLine(
	dataset: Pick<SavedDataset, 'name' | 'files' | 'rows' | 'from' | 'to' | 'importedAt' | 'synthetic' | 'kind'>,
	lang: Lang
): string {
	const t = translator(lang);
	const named = dataset.files.slice(0, FILES_NAMED).join(', ');
	const rest = dataset.files.length - FILES_NAMED;
	const files = rest > 0 ? t('source.filesMore', { files: named, n: rest }) : named;
	const day = (time: string | null) => time?.slice(0, 10) ?? '?';
	// The import time is an instant (ISO, UTC): shown as the local calendar day it happened on.
	const imported = new Date(dataset.importedAt);
	const pad = (n: number) => String(n).padStart(2, '0');
	const importedDay = Number.isNaN(+imported) ? '?' : `${imported.getFullYear()}-${pad(imported.getMonth() + 1)}-${pad(imported.getDate())}`;
	// An interval report's rows are intervals, not calls.
	const key = dataset.synthetic ? 'source.datasetSynthetic' : dataset.kind === 'intervals' ? 'source.datasetIntervals' : 'source.dataset';
	return t(key, {
		name: dataset.name,
		files,
		rows: formatNumber(dataset.rows, lang),
		from: day(dataset.from),
		to: day(dataset.to),
		imported: importedDay
	});
}
