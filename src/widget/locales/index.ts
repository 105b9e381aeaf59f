// Picks the UI copy: config.locale (or navigator.language for 'auto'), then config.strings on top.
// English is always inline; other languages come from ./load (bundled, or fetched in the script tag).
import en, { keys, S, type StringKey, type Strings, type Texts } from './en';
import { load } from './load';

export type { StringKey, Strings, Texts };
export { S } from './en';

const languages = ['en', 'de', 'fr', 'es', 'ja', 'ar'];
const rtl = ['ar', 'he', 'fa', 'ur'];

export interface Copy {
  t: Texts;
  lang: string;
  dir: 'ltr' | 'rtl';
  /** The site's own texts, by position (as `overrides`): they may be in another language. */
  own: readonly (string | undefined)[];
  /** The language of those texts (config.customLocale), when the site said. */
  ownLang?: string;
}

/** The language subtag we have copy for, or undefined. */
export function knownLocale(tag: string): string | undefined {
  const base = tag.toLowerCase().split(/[-_]/)[0];
  return languages.includes(base) ? base : undefined;
}

/**
 * The copy for `lang` with `overrides` (texts by position, as in `keys`) on top; a promise while a
 * locale file is on its way.
 */
export function copyFor(lang: string, overrides: readonly (string | undefined)[], nps: boolean, ownLang?: string): Copy | Promise<Copy> {
  const make = (text: string): Copy => {
    const t = text.split('\n').map((line, i) => overrides[i] ?? line);
    // NPS asks its own default question.
    if (nps && overrides[S.question] == null) t[S.question] = t[S.npsQuestion];
    return { t, lang, dir: rtl.includes(lang) ? 'rtl' : 'ltr', own: overrides, ownLang };
  };
  const text = lang == 'en' ? en : load(lang);
  return typeof text == 'string' ? make(text) : text.then(make);
}

export const stringKeys: readonly string[] = keys;
