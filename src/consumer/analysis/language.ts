// A small language guess for comments (en, de, fr, es) by counting common function words. Good
// enough to pick a sentiment word list; not a general language detector.
import { LANGUAGES, STOPWORDS, type CommentLanguage, type Language } from './stopwords';

/** Lower-case words made of letters (any script) and inner apostrophes. */
export function words(text: string): string[] {
  return text.toLowerCase().normalize('NFC').match(/\p{L}+(?:['’]\p{L}+)*/gu)?.map((w) => w.replace(/’/g, "'")) ?? [];
}

/** Hints that no stopword list has: letters that only occur in one of the languages. */
const LETTER_HINTS: [RegExp, Language][] = [[/[äöüß]/, 'de'], [/[ñ¿¡]/, 'es'], [/[çœèêàù]/, 'fr']];

/**
 * en, de, fr or es; `other` for text written mostly in another script (Arabic, Hebrew, Cyrillic,
 * Japanese…), which none of the four word lists can read — it used to be labelled English.
 */
export function detectLanguage(text: string): CommentLanguage {
  const letters = text.match(/\p{L}/gu) ?? [];
  const latin = letters.filter((c) => /\p{Script=Latin}/u.test(c)).length;
  if (letters.length && latin * 2 < letters.length) return 'other';
  const tokens = words(text);
  const hits: Record<Language, number> = { en: 0, de: 0, fr: 0, es: 0 };
  for (const token of tokens) for (const lang of LANGUAGES) if (STOPWORDS[lang].has(token)) hits[lang] += 1;
  const lower = text.toLowerCase();
  for (const [pattern, lang] of LETTER_HINTS) if (pattern.test(lower)) hits[lang] += 1.5;
  let best: Language = 'en';
  for (const lang of LANGUAGES) if (hits[lang] > hits[best]) best = lang;
  return best;
}
