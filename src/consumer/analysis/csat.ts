// CSAT: the share of 1–5 answers (stars, emoji) that are 4 or 5, in %.
import type { Scale } from '../../core/types';
import { HIGH, scoreBand } from '../../wire/bands';
import { emptyRecord } from '../records';

export interface CsatState { satisfied: number; total: number; byScale: Partial<Record<Scale, { satisfied: number; total: number }>> }

export const createCsat = (): CsatState => ({ satisfied: 0, total: 0, byScale: emptyRecord() });
export const countsForCsat = (scale: Scale): boolean => scale === 'stars' || scale === 'emoji';

/** 4 or 5: the high band of the wire (src/wire/bands.ts). */
export const isSatisfied = (scale: Scale, rating: number): boolean => scoreBand(scale, rating) === HIGH;

export function applyCsat(state: CsatState, scale: Scale, rating: number): void {
  if (!countsForCsat(scale)) return;
  const satisfied = isSatisfied(scale, rating) ? 1 : 0;
  state.satisfied += satisfied;
  state.total += 1;
  const s = state.byScale[scale] ?? (state.byScale[scale] = { satisfied: 0, total: 0 });
  s.satisfied += satisfied;
  s.total += 1;
}

export const csatPercent = (c: { satisfied: number; total: number }): number | null =>
  (c.total ? (c.satisfied / c.total) * 100 : null);

export function csatView(state: CsatState) {
  return { percent: csatPercent(state), satisfied: state.satisfied, total: state.total };
}
