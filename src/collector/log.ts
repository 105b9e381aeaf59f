// One JSON line per request outcome (and per sink state change).
export type LogEntry = Record<string, unknown>;
export type Logger = (entry: LogEntry) => void;

export function createLogger(option: boolean | Logger | undefined): Logger {
  if (typeof option === 'function') return option;
  if (option === false) return () => undefined;
  return (entry) => {
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
  };
}
