// Validates the widget part of the config. A bad value never throws: one console.warn names the
// setting and the default used, and the widget carries on with that default.
import { SCALE_RANGE, type Scale } from '../wire/scales';
import type { InitConfig, Position, Theme } from './config';
import { copyFor, knownLocale, stringKeys, type Copy, type StringKey, type Strings } from './locales/index';

export interface Settings {
  scale: Scale;
  /** The scale's [lowest, highest] rating (src/wire/scales.ts): handed to the panel, so that the
   *  script tag's panel file holds no second copy of the table. File size: saves 13 B brotli in all. */
  range: readonly [min: number, max: number];
  position: Position;
  theme: Theme;
  accent?: string;
  /** A promise while the locale file loads (script tag, non-English). */
  copy: Copy | Promise<Copy>;
}

// Allowed values of each choice setting, the default first.
const allowed = {
  scale: Object.keys(SCALE_RANGE),
  position: ['bottom-right', 'bottom-left', 'top-right', 'top-left'],
  theme: ['auto', 'light', 'dark'],
};

export function resolveSettings(config: InitConfig): Settings {
  const warn = (key: string, value: unknown, used: string) =>
    console.warn(`feedpulse: ${key} ${JSON.stringify(value)} is not valid; using ${used}`);
  const settings = {} as Settings;
  for (const [key, values] of Object.entries(allowed) as ['scale', string[]][]) {
    const value = config[key];
    const ok = values.includes(value!);
    if (!ok && value != null) warn(key, value, `"${values[0]}"`);
    settings[key] = (ok ? value : values[0]) as Scale;
  }
  settings.range = SCALE_RANGE[settings.scale];

  const { accent, locale, question, followUp, customLocale } = config;
  if (accent != null) {
    if (typeof accent === 'string' && CSS.supports('color', accent)) settings.accent = accent;
    else warn('accent', accent, 'the default colour');
  }

  const asked = locale && locale !== 'auto';
  const lang = knownLocale(String(asked ? locale : navigator.language || 'en')) || (asked && warn('locale', locale, '"en"'), 'en');

  // The site's own texts, replacing the locale's. Only our own keys get in: a key the site wrote
  // that is not one of them (`__proto__` included) is warned about and dropped.
  const own: Partial<Strings> = {};
  for (const [key, value] of Object.entries(config.strings ?? {})) {
    if (stringKeys.includes(key) && typeof value === 'string') own[key as StringKey] = value;
    else warn(`strings.${key}`, value, 'the built-in text');
  }
  if (followUp?.low) own.followUpLow = followUp.low;
  if (followUp?.mid) own.followUpMid = followUp.mid;
  if (followUp?.high) own.followUpHigh = followUp.high;
  if (question != null) {
    // Text only: Preact renders it as a text node, so markup shows literally and never runs.
    if (/<[a-z!/]/i.test(String(question))) console.warn('feedpulse: question contains HTML; it is shown as plain text');
    own.question = String(question);
  }
  // A language tag for the site's own texts; not one of ours, so only its shape is checked.
  let ownLang = customLocale;
  if (ownLang != null && !/^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i.test(ownLang)) ownLang = void warn('customLocale', ownLang, 'no lang');
  settings.copy = copyFor(lang, own, settings.scale === 'nps', ownLang);
  return settings;
}
