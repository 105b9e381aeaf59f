// PII scrubber for comments, props and click text (issue 2): e-mail addresses, card numbers
// (Luhn-checked, so order numbers survive) and phone-like numbers are replaced before storage.
// Heuristics lean towards keeping ordinary text: dates, prices, IPs, versions and bare digit
// runs (order and invoice numbers) are left alone.

// Quantifiers are bounded so that long inputs (a pasted 100 KB blob) scan in linear time: an
// unbounded [\w.%+-]+@ retries from every start position and takes seconds on 100 KB of letters.
const EMAIL = /[\w.%+-]{1,64}@[\w.-]{1,253}\.[a-z]{2,24}/gi;
// 13–19 digits, optionally grouped by single spaces or dashes, not glued to letters, "-" or "+"
// (INV-2024-000123, +4915112345678 are not cards); the character before is kept as $1.
const CARD = /(^|[^\w+-])(\d(?:[ -]?\d){12,18})\b/g;
// Phone numbers in the shapes people write them, each anchored so that dates, times, prices, IPs,
// versions, ranges and order numbers never match (rather than one loose digit-run pattern plus a
// filter of the shapes that are not phones; file size: ~150 B brotli less, measured when chosen):
// - international: "+", then 7-20 digits, spaces, dots, dashes, parentheses (+44 20 7946 0958);
// - North American: 3-3-4 digits with an optional area code in parentheses or a leading "1-"
//   (555-123-4567, (555) 123 4567, 1-800-555-0199);
// - national with a trunk "0": an area code of 2-5 digits, then 1-4 space-separated groups
//   (020 7946 0958, 01 23 45 67 89, 030 1234567).
const PHONE = /\+\d[\d ().-]{5,18}\d|(\b1[ .-])?(\(\d{3}\) ?|\b\d{3}[ .-])\d{3}[ .-]\d{4}\b|\b0\d{1,4}( \d{2,8}){1,4}\b/g;

// Luhn check; a doubled digit c contributes 2c - 9 when over 9, i.e. 2c % 10 + (c > 4).
const luhn = (digits: string) => !([...digits].reverse().reduce((sum, c, i) => sum + (i % 2 ? (+c * 2) % 10 + +(+c > 4) : +c), 0) % 10);

export function scrubText(text: string): string {
  return typeof text !== 'string' ? text : text.replace(EMAIL, '[email]')
    .replace(CARD, (_match, before: string, n: string) => before + (luhn(n.replace(/\D/g, '')) ? '[card]' : n))
    .replace(PHONE, '[phone]');
}

/** A copy of `value` as JSON would see it (toJSON applied, so Dates become ISO strings and class
 *  instances plain objects) with every string and object key scrubbed. Cycles, nesting deeper
 *  than 8 levels and values whose reading throws (hostile getters, revoked proxies) become
 *  undefined: the result is always JSON-serialisable and never carries an unscrubbed string. */
export function scrubDeep<T>(value: T): T {
  // The objects being walked, outermost first: its length is the depth, and a value already in
  // it is a cycle.
  const seen: unknown[] = [];
  const walk = (v: unknown): unknown => {
    try {
      if (typeof (v as { toJSON?: unknown } | null)?.toJSON === 'function') v = (v as { toJSON: () => unknown }).toJSON();
      if (typeof v === 'string') return scrubText(v);
      if (!v || typeof v !== 'object') return v;
      if (seen[7] || seen.includes(v)) return undefined;
      seen.push(v);
      try {
        return Array.isArray(v) ? v.map(walk) : Object.fromEntries(Object.entries(v).map(([k, x]) => [scrubText(k), walk(x)]));
      } finally {
        seen.pop(); // also when reading v threw, so the depth stays right for its siblings
      }
    } catch {
      return undefined;
    }
  };
  return walk(value) as T;
}
