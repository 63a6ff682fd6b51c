import { locale } from '$lib/i18n/locale.svelte';
import { CANONICAL_OUTCOMES } from '$lib/imports/canonical';
import { DIRECTION_CLASSES, STATUS_CLASSES } from '$lib/imports/leg-values';
import type { ValueKind } from '$lib/imports/mapping-review';

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

/**
 * The meanings a kind's values can take (VALUE_CLASSES), with their labels (`outcome.answered`,
 * `direction.inbound`, `status.busy` …): one list per kind, so a meaning added without its words
 * fails the type check.
 */
export function valueClasses(kind: ValueKind): { id: string; label: string }[] {
	const t = locale.t;
	if (kind === 'outcome') return CANONICAL_OUTCOMES.map((id) => ({ id, label: t(`outcome.${id}`) }));
	if (kind === 'direction') return DIRECTION_CLASSES.map((id) => ({ id, label: t(`direction.${id}`) }));
	return STATUS_CLASSES.map((id) => ({ id, label: t(`status.${id}`) }));
}
