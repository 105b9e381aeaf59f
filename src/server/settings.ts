// Settings as a table: each row names an option in code, its environment variable, the default the
// docs state, and how each source is checked. A table is resolved once, against the `env` it is
// given (never process.env behind the caller's back): an option given in code wins, then the
// variable, then the default. A value that is set but wrong throws, naming the option or variable.

export interface Setting<T = unknown> {
  /** The option in code; a dotted path for a nested one (`sinkOptions.amqp.queue`); none: env only. */
  option?: string;
  /** Its environment variable, if it has one. */
  env?: string;
  /** The default as the docs' settings table states it. */
  shown: string;
  /** Checks a value given in code; undefined when not given. Throws naming `option`. */
  fromOption(value: unknown, name: string): T | undefined;
  /** Reads the variable; undefined when unset or blank. Throws naming `env`. */
  fromEnv?(text: string | undefined, name: string): T | undefined;
  /** The value when neither is given (undefined: the module that uses it has its own default). */
  fallback: T;
}

/** The value at a dotted path of `options` (undefined when any step is missing). */
export function valueAt(options: unknown, path: string): unknown {
  let value = options;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

export function resolveSetting<T>(setting: Setting<T>, options: unknown, env: NodeJS.ProcessEnv): T {
  return (setting.option ? setting.fromOption(valueAt(options, setting.option), setting.option) : undefined)
    ?? (setting.env ? setting.fromEnv?.(env[setting.env], setting.env) : undefined)
    ?? setting.fallback;
}

/** A copy of `target` with `value` at the dotted `path` (the objects on the way copied, never mutated). */
export function withValueAt<T extends object>(target: T, path: string, value: unknown): T {
  const [key, ...rest] = path.split('.') as [string, ...string[]];
  const current = (target as Record<string, unknown>)[key];
  const next = rest.length ? withValueAt((current && typeof current === 'object' ? current : {}) as object, rest.join('.'), value) : value;
  return { ...target, [key]: next };
}
