/**
 * UI text in Chinese (zh-CN, the default) and English. Each area of the app has one file per
 * language: `zh/<area>.ts` first, then `en/<area>.ts`, typed from it, so a key missing in
 * English fails the type check; `zh/index.ts` and `en/index.ts` put the areas together. The
 * story's words are an area of their own (<lang>/story.ts).
 */
import { en } from './en';
import { zh } from './zh';

export type MessageKey = keyof typeof zh;
export type Lang = 'zh-CN' | 'en';
export const LANGS: Lang[] = ['zh-CN', 'en'];
export const MESSAGES: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zh, en };

/** Values for a message's `{name}` placeholders. */
export type MessageValues = Record<string, string | number>;

/**
 * A message not yet put into words: what is built once and shown in either language (a
 * report section, an import hint) keeps its key and values, and is translated where shown.
 * A value may itself be a message (a word that changes with the language, e.g. a plural).
 */
export interface Message {
	key: MessageKey;
	values?: Record<string, string | number | Message>;
}

/** Looks up a message and fills `{name}` placeholders. */
export function translate(lang: Lang, key: MessageKey, values: MessageValues = {}): string {
	return MESSAGES[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => (name in values ? String(values[name]) : `{${name}}`));
}

/** What a page or a renderer translates with: `locale.t` on pages, `translator(lang)` where the language is given. */
export type Translate = (key: MessageKey, values?: MessageValues) => string;

export function translator(lang: Lang): Translate {
	return (key, values) => translate(lang, key, values);
}

/** A `Message` in `lang`, its message values translated first. */
export function translateMessage(lang: Lang, message: Message): string {
	const values: MessageValues = {};
	for (const [name, value] of Object.entries(message.values ?? {})) values[name] = typeof value === 'object' ? translateMessage(lang, value) : value;
	return translate(lang, message.key, values);
}

/** Whether `key` is a message (for keys built from data, such as a call's id). */
export function hasMessage(key: string): key is MessageKey {
	return Object.hasOwn(zh, key);
}
