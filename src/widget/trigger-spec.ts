// Parses a trigger setting (docs/script-tag.md) into [kind, argument]. Unparsable text gives one warning and
// falls back to `button`, so a typo never leaves a page without any way to give feedback.

/** `['delay', seconds]`, `['scroll', percent]`, `['selector', css]`, or `[kind, 0]` for button/manual/exit. */
export type TriggerSpec = [kind: string, arg: number | string];

export function parseTrigger(raw: string | undefined, warn: (msg: string) => void): TriggerSpec {
  const [, all, named, arg = ''] = /^(button|manual|exit|(delay|scroll|selector):(.*))$/is.exec(String(raw ?? 'button').trim()) || [];
  const kind = (named ?? all)?.toLowerCase();
  const css = arg.trim();
  const n = /^\d+(\.\d+)?[s%]?$/i.test(css) ? parseFloat(css) : NaN;
  try {
    // A delay of a day at most: setTimeout overflows past ~24.8 days and would fire at once.
    // A selector the browser rejects throws here, once, instead of on every click.
    if (kind && (!named || (kind === 'selector' ? (globalThis.document?.querySelector(css), css) : n <= (kind === 'delay' ? 86400 : 100)))) {
      return [kind, kind === 'selector' ? css : n || 0];
    }
  } catch {
    // invalid selector: warned below
  }
  warn(`feedpulse: trigger ${JSON.stringify(raw)} is not valid; using "button"`);
  return ['button', 0];
}
