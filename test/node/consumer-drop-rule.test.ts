// The "Rating drop" rule under heavy traffic: 160,000 ratings inside its 15-minute window cost
// constant work and memory each (one peak per minute, not one entry per rating, which overflowed
// the stack in Math.max(...) at ~123k), and it still fires on a real drop and stays quiet otherwise.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../../src/consumer/alerts/default-rules';
import { applyDrop, createDropState, type DropState } from '../../src/consumer/alerts/drop';
import type { DropRule } from '../../src/consumer/alerts/rules';
import type { FeedbackInsight } from '../../src/consumer/analysis/state';

const rule = DEFAULT_RULES.find((r): r is DropRule => r.type === 'drop')!;
const stars = (rating: number): FeedbackInsight => ({ rating, scale: 'stars', low: rating <= 2 });
const T0 = Date.parse('2026-11-20T10:00:00Z');

describe('rating drop rule under heavy traffic', () => {
  it('takes 160,000 ratings within its window with bounded state, then fires on a drop', () => {
    const state = createDropState();
    const n = 160_000;
    // 160k ratings in 12 minutes (4.5 ms apart), averaging 4-5 stars: no drop.
    let early = 0;
    for (let i = 0; i < n; i++) if (applyDrop(rule, state, stars(4 + (i % 2)), T0 + i * 4.5)) early++;
    expect(early).toBe(0);
    expect(JSON.stringify(state).length).toBeLessThan(2_000);
    // Then a run of one-star ratings: the rolling average of the last 30 falls by more than 1.
    const end = T0 + n * 4.5;
    const fired = Array.from({ length: 30 }, (_, i) => applyDrop(rule, state, stars(1), end + i * 10)).filter(Boolean);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatch(/fell from 4\.\d\d to /);
  }, 30_000);

  it('reads an older checkpoint\'s per-rating history and keeps its peak', () => {
    const legacy = { recent: Array.from({ length: 29 }, () => 1), history: [[T0, 4.8], [T0 + 1000, 4.6]], quietUntil: 0 } as unknown as DropState;
    const detail = applyDrop(rule, legacy, stars(1), T0 + 120_000);
    expect(detail).toMatch(/fell from 4\.80 to 1\.00/);
    expect(legacy.history).toBeUndefined();
  });
});
