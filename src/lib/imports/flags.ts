import type { MessageKey } from '$lib/i18n/messages';
import type { QualityCode } from './quality';

/**
 * Dataset-wide warnings and the figures each one marks: `untrusted` figures are shown with
 * a warning beside them, `unknown` ones are not shown at all (the page says "wait unknown",
 * the command line gives null). One table for the Service level page, the report and the
 * command line, so a warning marks the same figures everywhere.
 */

/** Figures by the names the command line's output uses (the page's KPI cards map onto them). */
export type Figure =
	'volume' | 'offered' | 'answered' | 'wait_s' | 'answered_within' | 'service_level' | 'asa_s' | 'aht_s' | 'short_abandoned' | 'abandon_rate';

interface FlagMarks {
	untrusted: Figure[];
	unknown: Figure[];
	/** The words beside a marked KPI. */
	note: MessageKey;
	/** The page's banner. */
	banner: MessageKey;
}

const WAITS: Figure[] = ['answered_within', 'service_level', 'asa_s'];

export const FLAG_MARKS = {
	minute_precision: {
		untrusted: ['wait_s', ...WAITS, 'short_abandoned', 'abandon_rate'],
		unknown: [],
		note: 'kpi.untrusted',
		banner: 'service.minutePrecision'
	},
	wait_unknown: { untrusted: [], unknown: WAITS, note: 'kpi.waitUnknown', banner: 'service.waitUnknown' },
	zero_waits: { untrusted: ['wait_s', ...WAITS], unknown: [], note: 'kpi.flagged', banner: 'quality.code.zero_waits' },
	no_answered: { untrusted: ['answered', ...WAITS, 'aht_s', 'abandon_rate'], unknown: [], note: 'kpi.flagged', banner: 'quality.code.no_answered' },
	no_offered: { untrusted: ['offered', 'answered', ...WAITS, 'aht_s', 'abandon_rate'], unknown: [], note: 'kpi.flagged', banner: 'quality.code.no_offered' },
	midnight_times: { untrusted: [], unknown: [], note: 'kpi.flagged', banner: 'quality.code.midnight_times' },
	mostly_empty: { untrusted: [], unknown: [], note: 'kpi.flagged', banner: 'quality.code.mostly_empty' }
} as const satisfies Partial<Record<QualityCode, FlagMarks>>;

export type FlagCode = keyof typeof FLAG_MARKS;
export const FLAG_CODES = Object.keys(FLAG_MARKS) as FlagCode[];

const marksOf = (flag: string): FlagMarks | undefined => (Object.hasOwn(FLAG_MARKS, flag) ? (FLAG_MARKS as Record<string, FlagMarks>)[flag] : undefined);

/** The figures the flags mark, each with the first flag's note. */
export function markedFigures(flags: readonly string[]): { untrusted: Map<Figure, MessageKey>; unknown: Set<Figure> } {
	const untrusted = new Map<Figure, MessageKey>();
	const unknown = new Set<Figure>();
	for (const flag of flags) {
		const marks = marksOf(flag);
		if (!marks) continue;
		for (const figure of marks.untrusted) if (!untrusted.has(figure)) untrusted.set(figure, marks.note);
		for (const figure of marks.unknown) {
			unknown.add(figure);
			if (!untrusted.has(figure)) untrusted.set(figure, marks.note);
		}
	}
	return { untrusted, unknown };
}

/** The banners of the flags, in order (stored reports may carry codes this version does not know: left out). */
export function flagBanners(flags: readonly string[]): { code: string; key: MessageKey }[] {
	return flags.flatMap((code) => {
		const marks = marksOf(code);
		return marks ? [{ code, key: marks.banner }] : [];
	});
}
