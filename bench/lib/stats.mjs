// Small statistics and number formatting shared by every section.
export function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}
export function summarize(values) {
  const sorted = Float64Array.from(values).sort();
  const sum = sorted.reduce((a, b) => a + b, 0);
  return { n: sorted.length, median: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN, mean: sorted.length ? sum / sorted.length : NaN };
}
export const median = (values) => summarize(values).median;

export function fmt(n, digits = 1) {
  if (n === undefined || n === null || Number.isNaN(n)) return '–';
  if (typeof n !== 'number') return String(n);
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  return n.toFixed(digits).replace(/\.0+$/, '');
}
export const kb = (bytes) => (bytes === undefined ? '–' : `${(bytes / 1024).toFixed(1)} KB`);
/** "3.2× smaller"-style ratio of an anchor's figure to Feedpulse's (how many Feedpulses fit in it). */
export function ratio(anchor, feedpulse) {
  if (!Number.isFinite(anchor) || !Number.isFinite(feedpulse) || feedpulse === 0) return '–';
  const r = anchor / feedpulse;
  return `${r >= 10 ? r.toFixed(0) : r.toFixed(1)}×`;
}
