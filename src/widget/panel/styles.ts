// The panel's CSS, added to the widget's sheet (src/widget/styles.ts, whose rules come first) when
// the panel is first drawn. Same conventions: no comments or line breaks inside the strings.
import type { Rules } from '../styles';

const plain =
  'svg{display:block;width:24px;height:24px;fill:none;stroke:currentColor;stroke-width:1.8;stroke-linejoin:round;stroke-linecap:round}' +
  'h2{flex:1;margin:4px 0 0;font-size:16px}' +
  'label{display:block;margin:12px 0 6px;font-weight:600}' +
  'textarea{display:block;width:100%;padding:8px;resize:vertical}' +
  '[aria-disabled=true]{background:var(--bg);color:var(--mu);border-color:var(--mu)}' +
  '.panel{margin:56px 0;width:360px;max-width:calc(100vw - 32px);max-height:calc(100vh - 96px);padding:16px;border-radius:var(--feedpulse-radius,12px)}' +
  '.header,.choices,.ends{display:flex;gap:6px}' +
  '.close{padding:4px;border:0}' +
  '.choices{margin:14px 0 6px}' +
  '.choice{display:grid;place-items:center;min-width:40px;height:40px}' +
  '.emoji .choice{flex:1;height:48px}.emoji svg{width:32px;height:32px;stroke-width:2.2}' +
  '.stars .choice{border:0;background:none;color:var(--mu)}' +
  '.stars .filled{color:var(--a)}.filled svg{fill:currentColor}' +
  '.nps{gap:3px}' +
  '.nps .choice{flex:1;min-width:24px;padding:0}' +
  '.ends{justify-content:space-between;font-size:12px;color:var(--mu)}' +
  '.footer{display:flex;align-items:center;gap:12px;margin-top:12px}.footer p{margin:0;font-size:12px;color:var(--mu)}' +
  '.send{margin-inline-start:auto;padding:10px 20px}' +
  '.status{font-size:15px}';

// In order: no focus ring on the status, which gets focus only to be read out (same specificity as
// the launcher sheet's :focus-visible, and later, so it wins); hover; forced colours (contrast
// themes drop backgrounds, so the chosen option takes Highlight); narrow phones (the panel spans
// the screen, 8 px from each edge, so 11 NPS choices keep 24 px targets); the opening slide (it runs
// whenever the dialog goes from display:none to shown) unless reduced motion is asked for.
const sheetOnly =
  '.status{outline:0}' +
  '.send:disabled{opacity:.55}.send:disabled,[aria-disabled=true]{cursor:auto}' +
  '.choice:hover{border-color:var(--fg)}' +
  '@media (forced-colors:active){[aria-checked=true]{forced-color-adjust:none;background:Highlight;color:HighlightText}}' +
  '@media (max-width:400px){.panel{--l:8px;--r:8px;width:auto;max-width:none;padding:12px}.nps{gap:1px}}' +
  '@media (prefers-reduced-motion:no-preference){.panel{animation:fp-in .16s ease-out}}' +
  '@keyframes fp-in{from{opacity:0;transform:translateY(8px)}}';

export const panelRules: Rules = [plain, sheetOnly];
