import { locale } from '$lib/i18n/locale.svelte';
import type { MessageKey } from '$lib/i18n/messages';
import { VALUE_CLASSES, type ValueKind } from '$lib/imports/mapping-review';

/** The words of a value table (ValueMeanings.svelte): its title, what it is for, the note on open values, the rule for an empty cell. */
export interface ValueWords {
	title: string;
	intro: string;
	open: string;
	empty?: string;
}

/** Each kind's words: an outcome's meaning, or a leg's direction or status. */
export function valueWords(kind: ValueKind, column: string): ValueWords {
	const t = locale.t;
	if (kind === 'outcome') return { title: t('import.outcomes.title', { column }), intro: t('import.outcomes.intro'), open: t('import.outcomes.open') };
	return {
		title: t(`import.values.${kind}.title`, { column }),
		intro: t(`import.values.${kind}.intro`),
		open: t('import.values.legOpen'),
		empty: t(`import.values.${kind}.empty`)
	};
}

/** The meanings a kind's values can take, with their labels (`outcome.answered`, `direction.inbound`, `status.busy` …). */
export const valueClasses = (kind: ValueKind): { id: string; label: string }[] =>
	VALUE_CLASSES[kind].map((id) => ({ id, label: locale.t(`${kind}.${id}` as MessageKey) }));
