// The "rolling average dropped" rule. Its state (recent ratings, recent averages) lives in the
// consumer checkpoint so a replay after restart decides exactly as the first run did.
import type { FeedbackInsight } from '../analysis/state';
import type { DropRule } from './rules';

export interface DropState {
  /** The last `sample` ratings on the rule's scale. */
  recent: number[];
  /** [event time, rolling average] for the last `withinMinutes`. */
  history: [number, number][];
  /** No second alert for the same slide before this event time. */
  quietUntil: number;
}

export const createDropState = (): DropState => ({ recent: [], history: [], quietUntil: 0 });

export function applyDrop(rule: DropRule, state: DropState, f: FeedbackInsight, at: number): string | null {
  if (f.scale !== rule.scale) return null;
  const sample = rule.sample ?? 30;
  state.recent.push(f.rating);
  if (state.recent.length > sample) state.recent.shift();
  if (state.recent.length < sample) return null;
  const avg = state.recent.reduce((a, b) => a + b, 0) / sample;
  const window = rule.withinMinutes * 60_000;
  state.history.push([at, avg]);
  state.history = state.history.filter(([t]) => t >= at - window && t <= at);
  const peak = Math.max(...state.history.map(([, a]) => a));
  if (peak - avg < rule.by || at < state.quietUntil) return null;
  state.quietUntil = at + window;
  state.history = [[at, avg]];
  return `rolling average of last ${sample} ${rule.scale} ratings fell from ${peak.toFixed(2)} to ${avg.toFixed(2)} within ${rule.withinMinutes} min`;
}
