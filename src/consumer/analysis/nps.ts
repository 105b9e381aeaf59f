// Net Promoter Score: % promoters (9–10) minus % detractors (0–6), overall and per day.
import { HIGH, MID, scoreBand } from '../../wire/bands';
import { dayKey, trimDays } from './time';
import { emptyRecord } from '../records';

export interface NpsCounts { promoters: number; passives: number; detractors: number }
export interface NpsState extends NpsCounts { byDay: Record<string, NpsCounts> }

export const createNps = (): NpsState => ({ promoters: 0, passives: 0, detractors: 0, byDay: emptyRecord() });

export type NpsGroup = 'promoter' | 'passive' | 'detractor';
/** The score bands of the wire (src/wire/bands.ts): 9–10 promoter, 7–8 passive, 0–6 detractor. */
export function npsGroup(rating: number): NpsGroup {
  const band = scoreBand('nps', rating);
  return band === HIGH ? 'promoter' : band === MID ? 'passive' : 'detractor';
}

function add(counts: NpsCounts, group: NpsGroup): void {
  if (group === 'promoter') counts.promoters += 1;
  else if (group === 'passive') counts.passives += 1;
  else counts.detractors += 1;
}

export function applyNps(state: NpsState, rating: number, at: number): void {
  const group = npsGroup(rating);
  add(state, group);
  const day = dayKey(at);
  const fresh = !state.byDay[day];
  add(state.byDay[day] ?? (state.byDay[day] = { promoters: 0, passives: 0, detractors: 0 }), group);
  if (fresh) trimDays(state.byDay, 90);
}

/** -100..100, rounded to an integer as NPS is usually reported; null without answers. */
export function npsScore(c: NpsCounts): number | null {
  const total = c.promoters + c.passives + c.detractors;
  if (!total) return null;
  return Math.round(((c.promoters - c.detractors) / total) * 100);
}

export function npsView(state: NpsState, days = 14) {
  return {
    score: npsScore(state),
    promoters: state.promoters, passives: state.passives, detractors: state.detractors,
    total: state.promoters + state.passives + state.detractors,
    perDay: Object.keys(state.byDay).sort().slice(-days).map((day) => ({ day, score: npsScore(state.byDay[day]) })),
  };
}
