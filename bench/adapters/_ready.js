// Shared by the page adapters: report readiness (or failure) to the harness.
export function ready(bench) {
  window.bench = bench;
  window.benchState = 'ready';
}
export function failed(error) {
  window.benchError = String(error && error.stack ? error.stack : error);
  window.benchState = 'failed';
}
export const config = () => window.BENCH_CONFIG;
