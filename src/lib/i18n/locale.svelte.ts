import { LANGS, translate, type Lang, type Translate } from './index';

const STORAGE_KEY = 'holdline.lang';

function initialLang(): Lang {
	if (typeof localStorage === 'undefined') return 'zh-CN';
	const saved = localStorage.getItem(STORAGE_KEY);
	return LANGS.includes(saved as Lang) ? (saved as Lang) : 'zh-CN';
}

/** The UI language: zh-CN unless the user chose English (remembered across visits). */
class Locale {
	lang = $state<Lang>(initialLang());

	set(lang: Lang) {
		this.lang = lang;
		try {
			localStorage.setItem(STORAGE_KEY, lang);
		} catch {
			// Private browsing may refuse storage; the choice still holds for this visit.
		}
		document.documentElement.lang = lang;
	}

	toggle() {
		this.set(this.lang === 'zh-CN' ? 'en' : 'zh-CN');
	}

	t: Translate = (key, values) => translate(this.lang, key, values);
}

export const locale = new Locale();
