// All widget CSS. It lives only inside the shadow root: adopted as a constructable stylesheet, or,
// where a browser lacks adoptedStyleSheets, copied onto elements through the CSSOM (element.style),
// which no style-src CSP blocks (a <style> element would need 'unsafe-inline').

// Colours: text #1b1b1f on #fff (17:1) and #f1f1f3 on #1f2023 (14:1); --mu (secondary text and
// borders, and the text of Send before a rating is chosen) 5.2:1 and 6.9:1. Sizes in px so the host page's rem cannot resize the widget. Comments stay
// out of the CSS strings, and the rules are joined with no line breaks: every character there ships.
const dark = '--bg:#1f2023;--fg:#f1f1f3;--mu:#a5a9b0;color-scheme:dark';

// Rules the element.style fallback can copy too: plain selectors, no pseudo-classes, no @-rules.
// The fallback applies them in source order (not by specificity), so general rules come first.
// Position: the launcher and the panel share one inset made of --t/--r/--b/--l (bottom-right unless
// data-pos says top or left, set once on the root); the panel's 56 px block margin puts it above
// (or below) the launcher whichever corner that is.
const rules =
  '.r{--a:var(--feedpulse-accent,#5b5bd6);--on:var(--feedpulse-on-accent,#fff);--bg:#fff;--fg:#1b1b1f;--mu:#696d75;color-scheme:light;font:14px/1.4 var(--feedpulse-font,system-ui,sans-serif);color:var(--fg)}' +
  `[data-t=dark]{${dark}}` +
  '*{box-sizing:border-box}' +
  'button,textarea,.p{font:inherit;color:inherit;border:1px solid var(--mu);border-radius:8px;background:var(--bg)}button{cursor:pointer}' +
  'svg{display:block;width:24px;height:24px;fill:none;stroke:currentColor;stroke-width:1.8;stroke-linejoin:round;stroke-linecap:round}' +
  'h2{flex:1;margin:4px 0 0;font-size:16px}' +
  'label{display:block;margin:12px 0 6px;font-weight:600}' +
  'textarea{display:block;width:100%;padding:8px;resize:vertical}' +
  '.l,.p{position:fixed;inset:var(--t,auto) var(--r,16px) var(--b,16px) var(--l,auto);z-index:2147483647;box-shadow:0 6px 24px #0005}' +
  '.l{padding:12px 18px;border:0;border-radius:22px}' +
  '.l,.b,[aria-checked=true]{background:var(--a);color:var(--on);border-color:var(--a);font-weight:600}' +
  '[aria-disabled=true]{background:var(--bg);color:var(--mu);border-color:var(--mu)}' +
  '.p{margin:56px 0;width:360px;max-width:calc(100vw - 32px);max-height:calc(100vh - 96px);padding:16px;border-radius:var(--feedpulse-radius,12px)}' +
  '[data-pos^=top]{--t:16px;--b:auto}' +
  '[data-pos$=left]{--l:16px;--r:auto}' +
  '.h,.g,.a{display:flex;gap:6px}' +
  '.x{padding:4px;border:0}' +
  '.g{margin:14px 0 6px}' +
  '.o{display:grid;place-items:center;min-width:40px;height:40px}' +
  '.emoji .o{flex:1;height:48px}.emoji svg{width:32px;height:32px;stroke-width:2.2}' +
  '.stars .o{border:0;background:none;color:var(--mu)}' +
  '.stars .on{color:var(--a)}.on svg{fill:currentColor}' +
  '.nps{gap:3px}' +
  '.nps .o{flex:1;min-width:24px;padding:0}' +
  '.a{justify-content:space-between;font-size:12px;color:var(--mu)}' +
  '.f{display:flex;align-items:center;gap:12px;margin-top:12px}.f p{margin:0;font-size:12px;color:var(--mu)}' +
  '.b{margin-inline-start:auto;padding:10px 20px}' +
  '.s{font-size:15px}';

// Rules only a real stylesheet can carry. In order: the host reset; text on the accent, white below
// CIE lightness 49.4 (where white and black contrast equally) else black, where relative colours
// work; dark for theme auto; focus rings (none on the status, which gets focus only to be read out;
// same specificity, so the later rule wins); hover; forced colours (contrast themes drop
// backgrounds, so the chosen option takes Highlight); narrow phones (the panel spans the screen, 8 px
// from each edge, so 11 NPS choices keep 24 px targets); the opening slide (it runs whenever the
// dialog goes from display:none to shown) unless reduced motion is asked for.
// The focus ring has two bands, --bg inside (the box-shadow fills the outline's offset) and --fg
// outside, 14:1 or more apart, so one of them stands out on any host page: the launcher sits on the
// host's background, which may be as light or as dark as the theme's own text.
const sheetOnly =
  ':host{all:initial!important}' +
  '@supports (color:lch(from red l c h)){.r{--on:var(--feedpulse-on-accent,lch(from var(--a) calc((49.4 - l)*1000) 0 0))}}' +
  `@media (prefers-color-scheme:dark){[data-t=auto]{${dark}}}` +
  ':focus-visible{outline:2px solid var(--fg);outline-offset:2px;box-shadow:0 0 0 2px var(--bg)}' +
  '.s{outline:0}' +
  '.b:disabled{opacity:.55}.b:disabled,[aria-disabled=true]{cursor:auto}' +
  '.o:hover{border-color:var(--fg)}' +
  '@media (forced-colors:active){[aria-checked=true]{forced-color-adjust:none;background:Highlight;color:HighlightText}}' +
  '@media (max-width:400px){.p{--l:8px;--r:8px;width:auto;max-width:none;padding:12px}.nps{gap:1px}}' +
  '@media (prefers-reduced-motion:no-preference){.p{animation:fp-in .16s ease-out}}' +
  '@keyframes fp-in{from{opacity:0;transform:translateY(8px)}}';

let sheet: CSSStyleSheet | undefined;

/**
 * Styles the shadow root. The fallback's observer needs no stopping: it watches only this shadow
 * root, so it is collected with it once the widget is unmounted.
 */
export function applyStyles(root: ShadowRoot): void {
  if ('adoptedStyleSheets' in root && 'replaceSync' in CSSStyleSheet.prototype) {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(rules + sheetOnly);
    }
    root.adoptedStyleSheets = [sheet];
    return;
  }
  // Fallback: each element gets the bodies of the plain rules it matches, again whenever the tree
  // changes (not on `style`, which painting itself sets).
  (root.host as HTMLElement).style.cssText = 'all:initial';
  const paint = () =>
    root.querySelectorAll<HTMLElement>('*').forEach((el) => {
      el.style.cssText = rules.replace(/([^{}]+)\{([^{}]*)\}/g, (_, selector: string, body: string) => (el.matches(selector) ? body + ';' : ''));
    });
  new MutationObserver(paint).observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['class', 'aria-checked', 'aria-disabled'] });
  paint();
}
