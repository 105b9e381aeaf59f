// Picks the UI copy: config.locale (or navigator.language for 'auto'), then config.strings on top.
// English is always inline; other languages come from ./load (bundled, or fetched in the script tag).
import en, { keys, type StringKey, type Strings } from './en';
import { load } from './load';

export type { StringKey, Strings };

const languages = ['en', 'de', 'fr', 'es', 'ja', 'ar'];
// The right-to-left languages among those with copy (a language without copy is shown in English).
const rtl = ['ar'];

export interface Copy {
  /** Every UI text by key: the locale's, with the site's own (`own`) on top. */
  text: Strings;
  lang: string;
  dir: 'ltr' | 'rtl';
  /** The language of the text `key`: the site's own texts may be in another language than `lang`,
   *  config.customLocale when the site said which. */
  langOf(key: StringKey): string;
}

/** The language subtag we have copy for, or undefined. */
export function knownLocale(tag: string): string | undefined {
  const base = tag.toLowerCase().split(/[-_]/)[0];
  return languages.includes(base) ? base : undefined;
}

/** The copy for `lang` with the site's texts on top; a promise while a locale file is on its way. */
export function copyFor(lang: string, own: Partial<Strings>, nps: boolean, ownLang?: string): Copy | Promise<Copy> {
  const make = (joined: string): Copy => {
    const lines = joined.split('\n');
    const text = {} as Strings;
    keys.forEach((key, i) => {
      text[key] = own[key] ?? lines[i];
    });
    // NPS asks its own default question.
    if (nps && own.question === undefined) text.question = text.npsQuestion;
    return { text, lang, dir: rtl.includes(lang) ? 'rtl' : 'ltr', langOf: (key) => (own[key] !== undefined && ownLang) || lang };
  };
  const joined = lang === 'en' ? en : load(lang);
  return typeof joined === 'string' ? make(joined) : joined.then(make);
}

export const stringKeys: readonly string[] = keys;
