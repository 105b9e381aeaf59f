// The non-English copy for the script tag (dist/feedpulse.min.js): fetched on demand from
// dist/locales/<lang>.js next to the bundle (an ES module exporting the joined lines), so a page
// pays only for its own language. import() works from classic scripts and, the file being
// same-origin, under CSP `script-src 'self'`. A failed load warns once and shows English.
import en from './en';
import { findOwnScript } from '../../embed/script';

// Read while the bundle first runs: document.currentScript is null later on. Code run without a
// current script (injected inline) resolves against the tag findOwnScript() finds.
const base = (document.currentScript as HTMLScriptElement | null)?.src || (findOwnScript() as HTMLScriptElement | null)?.src || location.href;

export const load = (lang: string): Promise<string> =>
  import(new URL(`locales/${lang}.js`, base).href).then(
    (file: { default: string }) => file.default,
    () => (console.warn(`feedpulse: locale "${lang}" could not be loaded; using English`), en),
  );
