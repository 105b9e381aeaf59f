// Option objects merged over defaults: an entry set to undefined must not hide the default.

/** The entries of `value` that are not undefined. */
export function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
