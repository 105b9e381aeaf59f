/** Compiles src/collector to plain ESM under node_modules/.cache; returns the path of its index.js. */
export function buildCollector(): Promise<string>;
