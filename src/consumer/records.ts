// Records keyed by visitor-supplied text (page paths, selectors, comment words, project names from a
// broker) are null-prototype objects: a key such as `__proto__`, `constructor` or `toString` is then
// an ordinary key, never an inherited member (reading `{}['constructor']` gives `function Object()`,
// writing `{}['__proto__']` changes the prototype). They stay plain JSON for the checkpoint; reading
// one back goes through `parseStateJson`, which gives every object a null prototype again.

/** An empty record whose keys can be any text. */
export const emptyRecord = <V>(): Record<string, V> => Object.create(null) as Record<string, V>;

/**
 * JSON.parse for saved state (checkpoint, alert log): every object comes back with a null prototype,
 * so state restored after a restart behaves exactly as state built by the running process.
 */
export function parseStateJson(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) Object.setPrototypeOf(value, null);
    return value;
  });
}

/**
 * Room in a bounded record for `incoming` new keys. When they would take it past `max`, the keys of
 * lowest `weight` (the oldest first among equals: keys keep insertion order and the sort is stable)
 * are forgotten down to three quarters of `max`. First come, first kept would let made-up keys fill
 * the record for good and shut every later real one out; this way a new key always gets in and a
 * key many visitors share stays.
 */
export function makeRoom<V>(record: Record<string, V>, incoming: number, max: number, weight: (value: V) => number): boolean {
  const keys = Object.keys(record);
  if (incoming <= 0 || keys.length + incoming <= max) return false;
  keys.sort((a, b) => weight(record[a]!) - weight(record[b]!));
  for (const key of keys.slice(0, Math.max(0, keys.length - Math.floor((max * 3) / 4)))) delete record[key];
  return true;
}
