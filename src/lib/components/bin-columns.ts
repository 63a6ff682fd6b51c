import type { Column } from '$lib/export/csv';
import { formatDuration } from '$lib/i18n/format';
import { locale } from '$lib/i18n/locale.svelte';
import { binLabel } from '$lib/charts/bins';

type Bin = { bin_start: number; bin_end: number | null };

/** A histogram bin's CSV columns: its label ("≥ 4分40秒" for the overflow bin) beside its edges in seconds (none for the overflow's end). */
export function binColumns<R extends Bin>(axis: string): Column<R>[] {
	const t = locale.t;
	const end = (r: R) => (r.bin_end == null ? null : Number(r.bin_end));
	return [
		{ key: 'bin', header: axis, value: (r) => binLabel({ bin_start: Number(r.bin_start), bin_end: end(r) }, (v) => formatDuration(v, locale.lang)) },
		{ key: 'bin_start', header: t('col.binStart', { axis }), value: (r) => Number(r.bin_start) },
		{ key: 'bin_end', header: t('col.binEnd', { axis }), value: end }
	];
}
