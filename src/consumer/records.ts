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
