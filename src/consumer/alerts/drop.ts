// The "rolling average dropped" rule. Its state (recent ratings, recent averages) lives in the
// consumer checkpoint so a replay after restart decides exactly as the first run did.
// Constant work and memory per rating, however many ratings arrive: the averages of the window are
// kept as one peak per event-time minute (at most `withinMinutes` + 1 of them), not one entry per
// rating (which grew with traffic and overflowed `Math.max(...)` at ~123k ratings in 15 minutes).
import type { FeedbackInsight } from '../analysis/state';
import type { DropRule } from './rules';

const MINUTE = 60_000;

export interface DropState {
  /** The last `sample` ratings on the rule's scale. */
  recent: number[];
  /** [event-time minute, highest rolling average in it], oldest first, the last `withinMinutes` + 1 minutes. */
  peaks: [number, number][];
  /** No second alert for the same slide before this event time. */
  quietUntil: number;
  /** Checkpoints written before `peaks`: [event time, rolling average] per rating; read once, then dropped. */
  history?: [number, number][];
}

export const createDropState = (): DropState => ({ recent: [], peaks: [], quietUntil: 0 });

/** Raises the peak of `minute` to `avg`, keeping `peaks` ordered by minute (late events slot in). */
function notePeak(peaks: [number, number][], minute: number, avg: number): void {
  let i = peaks.length - 1;
  while (i >= 0 && peaks[i]![0] > minute) i--;
  if (i >= 0 && peaks[i]![0] === minute) peaks[i]![1] = Math.max(peaks[i]![1], avg);
  else peaks.splice(i + 1, 0, [minute, avg]);
}

/** The state's peaks, built from an older checkpoint's per-rating history when that is what it holds. */
function peaksOf(state: DropState): [number, number][] {
  if (!Array.isArray(state.peaks)) {
    state.peaks = [];
    for (const [t, a] of state.history ?? []) notePeak(state.peaks, Math.floor(t / MINUTE), a);
  }
  delete state.history;
  return state.peaks;
}

export function applyDrop(rule: DropRule, state: DropState, f: FeedbackInsight, at: number): string | null {
  if (f.scale !== rule.scale) return null;
  const sample = rule.sample ?? 30;
  state.recent.push(f.rating);
  if (state.recent.length > sample) state.recent.shift();
  if (state.recent.length < sample) return null;
  const avg = state.recent.reduce((a, b) => a + b, 0) / sample;
  const peaks = peaksOf(state);
  const minute = Math.floor(at / MINUTE);
  notePeak(peaks, minute, avg);
  // The window, to the minute: this event's minute and the `withinMinutes` before it.
  const first = minute - Math.ceil(rule.withinMinutes);
  const newest = peaks[peaks.length - 1]![0];
  while (peaks.length && peaks[0]![0] < newest - Math.ceil(rule.withinMinutes)) peaks.shift();
  let peak = avg;
  for (const [m, a] of peaks) if (m >= first && m <= minute && a > peak) peak = a;
  if (peak - avg < rule.by || at < state.quietUntil) return null;
  state.quietUntil = at + rule.withinMinutes * MINUTE;
  state.peaks = [[minute, avg]];
  return `rolling average of last ${sample} ${rule.scale} ratings fell from ${peak.toFixed(2)} to ${avg.toFixed(2)} within ${rule.withinMinutes} min`;
}
