// Cutting text to a length in UTF-16 code units without splitting a surrogate pair: a plain
// slice(0, n) through an emoji leaves a lone high surrogate, which is not valid Unicode (it becomes
// U+FFFD in UTF-8, and strict decoders and some brokers' clients refuse it).
export function clipText(value: string, max: number): string {
  if (value.length <= max) return value;
  const last = value.charCodeAt(max - 1);
  // A high surrogate as the last unit kept: its low half would be cut off, so drop it too.
  return value.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

// A lone surrogate (half of a pair, sent by a client that cut text badly or on purpose) is valid in
// a JS string and in JSON text as an escape, but not Unicode: Rust's serde_json, Go's decoders and
// UTF-8 encoders refuse or mangle it downstream. Stored text gets U+FFFD in its place.
// String.prototype.toWellFormed (Node 20+) does that in ~12 ns per short string; the fallback
// checks for any surrogate first (~24 ns), as the replace alone costs ~100 ns on every string.
const nativeWellFormed = (String.prototype as { toWellFormed?: () => string }).toWellFormed;
const ANY_SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function wellFormed(value: string): string {
  if (nativeWellFormed) return nativeWellFormed.call(value);
  return ANY_SURROGATE.test(value) ? value.replace(LONE_SURROGATE, '\ufffd') : value;
}
