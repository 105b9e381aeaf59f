// A short, stable CSS selector that document.querySelector maps back to the same element.
// Preference: a stable-looking id, data-testid / data-feedpulse-track, then the tag
// (+ :nth-of-type where siblings share the tag), climbing only until unique. No class steps: the
// anchors above are the stable names (classes change with redesigns too).
// File size: class steps with the filter for hashed and state classes measured 81 B brotli.

// Auto-generated ids (React useId ":r1:", "mui-12345", random hashes) change between renders.
const stable = (s: string) => /^[a-z][\w-]{0,39}$/i.test(s) && !/\d{3}|\d[a-z]\d|[a-z]\d[a-z]/i.test(s);

export function cssSelector(el: Element): string {
  let sel = '';
  const unique = (s: string) => { try { const all = document.querySelectorAll(s); return !all[1] && all[0] === el; } catch { /* not valid CSS */ } };
  try {
    for (let e: Element | null = el; e; e = e.parentElement) {
      const tag = e.localName, p = e.parentElement, join = (x: string) => x + (sel && '>' + sel);
      for (const a of [stable(e.id) && '#' + e.id, ...['data-testid', 'data-feedpulse-track'].map((n) => e!.hasAttribute(n) && `[${n}=${JSON.stringify(e!.getAttribute(n))}]`)]) if (a && unique(join(a))) return join(a);
      if (!p || tag === 'body') return join(tag);
      let part = tag;
      const same = [...p.children].filter((x) => x.localName === tag);
      if (same[1]) part += `:nth-of-type(${same.indexOf(e) + 1})`;
      if (unique((sel = join(part)))) return sel;
    }
  } catch { /* fall through with what we have */ }
  return sel;
}
