import type { Column } from './csv';
import type { CallbackRow } from '$lib/metrics/callers';
import type { MessageKey } from '$lib/i18n/messages';

/**
 * The call-back list's columns, for the page's CSV and the report: the rows come from the
 * `callbacks` view, whose numbers are already masked unless the view was asked unmasked.
 */
export const CALLBACK_COLUMNS: { key: keyof CallbackRow; header: MessageKey; kind: 'text' | 'int' | 'number' | 'datetime' }[] = [
	{ key: 'caller', header: 'service.callers.col.caller', kind: 'text' },
	{ key: 'arrival', header: 'service.callers.col.arrival', kind: 'datetime' },
	{ key: 'queue', header: 'service.callers.col.queue', kind: 'text' },
	{ key: 'wait_s', header: 'service.callers.col.wait', kind: 'number' },
	{ key: 'later_calls', header: 'service.callers.col.later', kind: 'int' },
	{ key: 'next_call', header: 'service.callers.col.next', kind: 'datetime' },
	{ key: 'got_through', header: 'service.callers.col.through', kind: 'datetime' },
	{ key: 'called_back', header: 'service.callers.col.back', kind: 'datetime' },
	{ key: 'resolved', header: 'service.callers.col.resolved', kind: 'int' }
];

/** The list's CSV columns, headed in the page's language. */
export function callbackCsvColumns(t: (key: MessageKey) => string): Column<CallbackRow>[] {
	return CALLBACK_COLUMNS.map(({ key, header }) => ({ key, header: t(header), value: (row: CallbackRow) => row[key] }));
}
