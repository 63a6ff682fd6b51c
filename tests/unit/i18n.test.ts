import { describe, expect, it } from 'vitest';
import { hasMessage, MESSAGES, translate, translateMessage, type MessageKey } from '$lib/i18n';
import { EN_AREAS } from '$lib/i18n/en';
import { ZH_AREAS } from '$lib/i18n/zh';

/** The `{name}` placeholders of a message, sorted. */
const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort();

/**
 * Placeholders one language leaves out on purpose: English gives the noun its number
 * ("1 agent", "23 agents"); Chinese writes 名座席员 in the sentence whatever the number.
 */
const ONLY_IN_ENGLISH: Partial<Record<MessageKey, string[]>> = {
	'staffing.line': ['agents'],
	'staffing.line.a': ['agents']
};

describe('messages', () => {
	it('every language defines every message, none empty', () => {
		const zhKeys = Object.keys(MESSAGES['zh-CN']).sort();
		expect(Object.keys(MESSAGES.en).sort()).toEqual(zhKeys);
		for (const lang of ['zh-CN', 'en'] as const) for (const [key, text] of Object.entries(MESSAGES[lang])) expect(text.trim(), `${lang} ${key}`).not.toBe('');
	});

	it('each area has the same keys in both languages, and a key belongs to one area only', () => {
		expect(Object.keys(EN_AREAS).sort()).toEqual(Object.keys(ZH_AREAS).sort());
		const owner = new Map<string, string>();
		for (const [area, messages] of Object.entries(ZH_AREAS)) {
			expect(Object.keys(EN_AREAS[area as keyof typeof EN_AREAS]).sort(), area).toEqual(Object.keys(messages).sort());
			for (const key of Object.keys(messages)) {
				expect(owner.get(key), `${key} in ${area}`).toBeUndefined();
				owner.set(key, area);
			}
		}
		// The dictionaries are the areas together, nothing more: a key defined twice would hide one.
		expect(owner.size).toBe(Object.keys(MESSAGES['zh-CN']).length);
	});

	it('both languages fill the same placeholders', () => {
		for (const key of Object.keys(MESSAGES['zh-CN']) as MessageKey[]) {
			const english = placeholders(MESSAGES.en[key]).filter((name) => !ONLY_IN_ENGLISH[key]?.includes(name));
			expect(placeholders(MESSAGES['zh-CN'][key]), key).toEqual(english);
		}
		// The exceptions are still true (else the list would hide a real difference later).
		for (const [key, names] of Object.entries(ONLY_IN_ENGLISH)) for (const name of names) expect(MESSAGES.en[key as MessageKey]).toContain(`{${name}}`);
	});

	it('fills placeholders, leaves unknown ones visible, and translates a message within a message', () => {
		expect(translate('en', 'calls.count', { n: 7 })).toBe('7 records');
		expect(translate('en', 'calls.count')).toBe('{n} records');
		const line = { key: 'staffing.line', values: { when: '14:00–15:00', needed: 1, agents: { key: 'staffing.agent' }, goal: '80/20', seen: 0 } } as const;
		expect(translateMessage('en', line)).toBe('14:00–15:00: 1 agent needed for 80/20 (Erlang C), 0 seen');
		expect(translateMessage('zh-CN', line)).toBe(translate('zh-CN', 'staffing.line', { when: '14:00–15:00', needed: 1, goal: '80/20', seen: 0 }));
	});

	it('knows a key built from data only when it is one', () => {
		expect(hasMessage('calls.note.C01')).toBe(true);
		expect(hasMessage('calls.note.C99')).toBe(false);
		expect(hasMessage('toString')).toBe(false);
	});
});
