// The widget's CSS lives only inside its shadow root: adopted as a constructable stylesheet, or,
// where a browser lacks adoptedStyleSheets, copied onto elements through the CSSOM (element.style),
// which no style-src CSP blocks (a <style> element would need 'unsafe-inline'). This module holds
// the rules the launcher needs, shipped in the script tag; the panel brings its own
// (src/widget/panel/styles.ts) and adds them to the same sheet when it is first drawn.

// Colours: text #1b1b1f on #fff (17:1) and #f1f1f3 on #1f2023 (14:1); --mu (secondary text and
// borders, and the text of Send before a rating is chosen) 5.2:1 and 6.9:1. Sizes in px so the
// host page's rem cannot resize the widget. Comments stay out of the CSS strings, and the rules are
// joined with no line breaks: every character there ships.
const dark = '--bg:#1f2023;--fg:#f1f1f3;--mu:#a5a9b0;color-scheme:dark';

/** Two sets of rules: `plain` the element.style fallback can copy too (plain selectors, no
 *  pseudo-classes, no @-rules; applied in source order, not by specificity, so general rules come
 *  first), `sheetOnly` those only a real stylesheet can carry. */
export type Rules = readonly [plain: string, sheetOnly: string];

// Position: the launcher and the panel share one inset made of --t/--r/--b/--l (bottom-right unless
// data-position says top or left, set once on the root); the panel's 56 px block margin puts it
// above (or below) the launcher whichever corner that is.
const plain =
  '.root{--a:var(--feedpulse-accent,#5b5bd6);--on:var(--feedpulse-on-accent,#fff);--bg:#fff;--fg:#1b1b1f;--mu:#696d75;color-scheme:light;font:14px/1.4 var(--feedpulse-font,system-ui,sans-serif);color:var(--fg)}' +
  `[data-theme=dark]{${dark}}` +
  '*{box-sizing:border-box}' +
  'button,textarea,.panel{font:inherit;color:inherit;border:1px solid var(--mu);border-radius:8px;background:var(--bg)}button{cursor:pointer}' +
  '.launcher,.panel{position:fixed;inset:var(--t,auto) var(--r,16px) var(--b,16px) var(--l,auto);z-index:2147483647;box-shadow:0 6px 24px #0005}' +
  '.launcher{padding:12px 18px;border:0;border-radius:22px}' +
  '.launcher,.send,[aria-checked=true]{background:var(--a);color:var(--on);border-color:var(--a);font-weight:600}' +
  '[data-position^=top]{--t:16px;--b:auto}' +
  '[data-position$=left]{--l:16px;--r:auto}';

// In order: the host reset; text on the accent, white below CIE lightness 49.4 (where white and
// black contrast equally) else black, where relative colours work; dark for theme auto; focus rings.
// The focus ring has two bands, --bg inside (the box-shadow fills the outline's offset) and --fg
// outside, 14:1 or more apart, so one of them stands out on any host page: the launcher sits on the
// host's background, which may be as light or as dark as the theme's own text.
const sheetOnly =
  ':host{all:initial!important}' +
  '@supports (color:lch(from red l c h)){.root{--on:var(--feedpulse-on-accent,lch(from var(--a) calc((49.4 - l)*1000) 0 0))}}' +
  `@media (prefers-color-scheme:dark){[data-theme=auto]{${dark}}}` +
  ':focus-visible{outline:2px solid var(--fg);outline-offset:2px;box-shadow:0 0 0 2px var(--bg)}';

export const launcherRules: Rules = [plain, sheetOnly];

/** Adds more rules to a shadow root's styles. */
export type AddRules = (rules: Rules) => void;

/**
 * Styles the shadow root with `rules`; the returned function adds more later (the panel's). The
 * fallback's observer needs no stopping: it watches only this shadow root, so it is collected with
 * it once the widget is unmounted.
 */
export function applyStyles(root: ShadowRoot, rules: Rules): AddRules {
  if ('adoptedStyleSheets' in root && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    let plainSoFar = '';
    let sheetOnlySoFar = '';
    const add = ([plain, sheetOnly]: Rules) => {
      plainSoFar += plain;
      sheetOnlySoFar += sheetOnly;
      // Plain rules first, as in the fallback.
      sheet.replaceSync(plainSoFar + sheetOnlySoFar);
    };
    add(rules);
    root.adoptedStyleSheets = [sheet];
    return add;
  }
  // Fallback: each element gets the bodies of the plain rules it matches, again whenever the tree
  // changes (not on `style`, which painting itself sets).
  (root.host as HTMLElement).style.cssText = 'all:initial';
  let [plainSoFar] = rules;
  const paint = () =>
    root.querySelectorAll<HTMLElement>('*').forEach((element) => {
      element.style.cssText = plainSoFar.replace(/([^{}]+)\{([^{}]*)\}/g, (_, selector: string, body: string) => (element.matches(selector) ? body + ';' : ''));
    });
  new MutationObserver(paint).observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['class', 'aria-checked', 'aria-disabled'] });
  paint();
  return ([plain]) => {
    plainSoFar += plain;
    paint();
  };
}
