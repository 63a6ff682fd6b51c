/**
 * Kept so that `$lib/i18n/messages` imports keep working: the dictionaries and `translate`
 * are in `./index.ts` (import `$lib/i18n`), the words in `zh/<area>.ts` and `en/<area>.ts`.
 */
export * from './index';
