// Click autocapture (docs/contract.md, `click` data). One capture-phase listener on document, so clicks
// whose handlers stop propagation are still seen. Privacy first: an element that is, or holds,
// or lies inside a form field, contenteditable region or [data-feedpulse-mask] gives no text;
// inside one (or being one) there is no href either, and secret query values in hrefs are redacted.
import type { ClickData } from './types';
import { cssSelector } from './selector';
import { redactUrl } from './page';

const PRIVATE = 'input,textarea,select,[contenteditable]:not([contenteditable=false]),[data-feedpulse-mask]';

export function startAutocapture(onClick: (data: ClickData) => void): () => void {
  // No document (server-side rendering, workers): nothing to capture, nothing to throw.
  const d = globalThis.document;
  const handler = (ev: Event) => {
    try {
      // Text nodes have no closest(). The widget's own UI sits in a shadow root: its clicks reach
      // us retargeted to the <feedpulse-widget> host, which is not interactive, so they are not recorded.
      const el = (ev.target as Element).closest?.('a,button,[role=button],[data-feedpulse-track],[type=submit],[type=button]') as HTMLAnchorElement;
      if (!el) return;
      const data: ClickData = { selector: cssSelector(el), tag: el.localName };
      const hidden = el.closest(PRIVATE), href = el.href;
      // innerText: rendered text, so block boundaries become spaces and hidden text stays out.
      const text = !hidden && !el.querySelector(PRIVATE) && (el.innerText ?? el.textContent).replace(/\s+/g, ' ').trim().slice(0, 64).trim();
      if (text) data.text = text;
      // Absolute href of links (SVG links have an object here: skipped), secrets redacted as in page.url.
      if (!hidden && typeof href === 'string' && href) data.href = redactUrl(href);
      onClick(data);
    } catch { /* never into the host page */ }
  };
  d?.addEventListener('click', handler, true);
  return () => d?.removeEventListener('click', handler, true);
}
