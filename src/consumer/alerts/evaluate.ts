// Runs every rule on one event and folds all matches into at most one alert: one angry customer
// is one alert, however many rules they trip. Drop rules are decided once per batch from the
// rollups (drop.ts); the event they fired on gets their detail in `dropFired`.
import type { Scale } from '../../core/types';
import type { EventInsight } from '../analysis/insight';
import type { ConsumedEvent } from '../types';
import { matchKeyword, matchRating, matchSentiment } from './match';
import type { AlertRule, Severity } from './rules';

export interface AlertMatch { rule: string; type: AlertRule['type']; detail: string }
export interface Alert {
  /** The event id: the dedupe key, so one event never gives two alerts. */
  id: string;
  project: string;
  /** The visitor: later alert-worthy events of the same visitor join this alert (see AlertStore.fold). */
  anonymousId: string;
  /** Event time (ms). */
  at: number;
  severity: Severity;
  matches: AlertMatch[];
  path: string;
  rating?: number;
  scale?: Scale;
  comment?: string;
}

export function evaluateRules(rules: AlertRule[], event: ConsumedEvent, insight: EventInsight, dropFired?: ReadonlyMap<string, string>): Alert | null {
  const f = insight.feedback;
  if (!f) return null;
  const matches: AlertMatch[] = [];
  let severity: Severity = 'warning';
  for (const rule of rules) {
    let detail: string | null = null;
    if (rule.type === 'rating') detail = matchRating(rule, f);
    else if (rule.type === 'sentiment') detail = matchSentiment(rule, f);
    else if (rule.type === 'keyword') detail = matchKeyword(rule, f);
    else detail = dropFired?.get(rule.name) ?? null;
    if (!detail) continue;
    matches.push({ rule: rule.name, type: rule.type, detail });
    if (rule.severity === 'critical') severity = 'critical';
  }
  if (!matches.length) return null;
  return {
    id: event.id, project: String(event.project), anonymousId: String(event.anonymousId), at: insight.at, severity, matches,
    path: typeof event.page?.path === 'string' && event.page.path ? event.page.path : '/', rating: f.rating, scale: f.scale, comment: f.comment,
  };
}
