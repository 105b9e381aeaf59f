// The panel for the script tag (dist/feedpulse.min.js): fetched from dist/feedpulse-panel.js next to
// the bundle (an ES module), as the locale files are. import() works from classic scripts and, the
// file being same-origin, under CSP `script-src 'self'`. A failed load rejects; mount.ts warns and
// tries again on the next open().
import type { DrawPanel } from './index';
import { findOwnScript } from '../../embed/script';

// Read while the bundle first runs: document.currentScript is null later on. Code run without a
// current script (injected inline) resolves against the tag findOwnScript() finds.
const base = (document.currentScript as HTMLScriptElement | null)?.src || (findOwnScript() as HTMLScriptElement | null)?.src || location.href;

export const loadPanel = (): Promise<DrawPanel> =>
  import(new URL('feedpulse-panel.js', base).href).then((file: { drawPanel: DrawPanel }) => file.drawPanel);
