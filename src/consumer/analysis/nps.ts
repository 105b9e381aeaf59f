// Net Promoter Score: % promoters (9–10) minus % detractors (0–6).
export interface NpsCounts { promoters: number; passives: number; detractors: number }

/** -100..100, rounded to an integer as NPS is usually reported; null without answers. */
export function npsScore(c: NpsCounts): number | null {
  const total = c.promoters + c.passives + c.detractors;
  if (!total) return null;
  return Math.round(((c.promoters - c.detractors) / total) * 100);
}
