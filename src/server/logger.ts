// One JSON line per thing worth knowing, for the whole server: the collector's request outcomes and
// sink state changes, the consumer's source state changes and failures. Each line is an object
// with `time`, a `msg` code (docs/collector.md and docs/dashboard.md list them) and its fields;
// `level` is set on warnings and errors.
export type LogEntry = Record<string, unknown>;
export type Logger = (entry: LogEntry) => void;

/** `false`: silent; a function: takes each entry; otherwise JSON lines on stdout. */
export function createLogger(option: boolean | Logger | undefined): Logger {
  if (typeof option === 'function') return option;
  if (option === false) return () => undefined;
  return (entry) => {
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
  };
}

/** Where a consumer part writes when it was given no logger: failures are always reported. */
export const defaultLogger: Logger = createLogger(true);
