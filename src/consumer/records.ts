// Records keyed by visitor-supplied text (page paths, selectors, comment words, project names from a
// broker) are null-prototype objects: a key such as `__proto__`, `constructor` or `toString` is then
// an ordinary key, never an inherited member (reading `{}['constructor']` gives `function Object()`,
// writing `{}['__proto__']` changes the prototype).

/** An empty record whose keys can be any text. */
export const emptyRecord = <V>(): Record<string, V> => Object.create(null) as Record<string, V>;
