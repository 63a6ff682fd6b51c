import { answers } from '$lib/metrics/views/registry';
import { CALLBACK_COLUMNS } from '$lib/export/caller-columns';
import { formatPercentPlain } from './callback-words';
import type { Message } from '$lib/i18n/messages';
import type { ExtraSection, SectionBuilder } from './model';

/**
 * The report's "callers to call back": the repeat-caller rates as its note, and the abandoned
 * callers of the period still unresolved within 24 h (oldest first, at most REPORT_ROWS), numbers
 * masked unless the report was asked unmasked (`--unmask`, the Report page's box). Where the
 * period's calls have no numbers, the report has no such section (never rates of zero).
 */
export const REPORT_ROWS = 50;

export const callbackSection: SectionBuilder = async (ask, question, spec) => {
	if (!answers('callbacks', question.kind)) return null;
	const settings = { ...question.settings, unmask: spec.unmask === true };
	const [rate] = await ask({ ...question, view: 'repeatCallers', settings });
	if (!rate || Number(rate.calls) === 0) return null;
	const base: Omit<ExtraSection, 'rows' | 'note'> = {
		id: 'callbacks',
		title: 'service.callers.title',
		columns: CALLBACK_COLUMNS.filter((c) => c.key !== 'resolved').map(({ key, header, kind }) => ({ key, header, kind }))
	};
	// Calls without numbers (most formats' exports, every interval report): no section, rather than a sheet of rates of zero.
	if (Number(rate.with_number) === 0) return null;
	const list = await ask({ ...question, view: 'callbacks', settings });
	const open = list.filter((r) => Number(r.resolved) === 0);
	const note: Message[] = [
		{
			key: 'service.callers.repeat',
			values: { day: formatPercentPlain(rate.repeat_rate_24h), week: formatPercentPlain(rate.repeat_rate_7d), n: Number(rate.with_number) }
		},
		{ key: 'service.callers.summary', values: { abandoned: list.length, open: open.length, h: settings.callbackHours ?? 24 } },
		...(open.length > REPORT_ROWS ? [{ key: 'service.callers.shown' as const, values: { n: REPORT_ROWS, total: open.length } }] : []),
		...(spec.unmask ? [] : [{ key: 'service.callers.masked' as const }])
	];
	return {
		...base,
		note,
		rows: open.slice(0, REPORT_ROWS).map(({ resolved: _, ...row }) => row)
	};
};
