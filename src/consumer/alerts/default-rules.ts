// The rules used when no rules file is given. Keywords include a few German, French and Spanish
// equivalents because the demo traffic (and real shops) get comments in those languages.
import type { AlertRule } from './rules';

export const DEFAULT_RULES: AlertRule[] = [
  { name: 'Lowest rating', type: 'rating', scales: ['stars', 'emoji'], max: 1, severity: 'critical' },
  { name: 'NPS detractor', type: 'rating', scales: ['nps'], max: 3, severity: 'warning' },
  { name: 'Very negative comment', type: 'sentiment', below: -3, severity: 'warning' },
  {
    name: 'Critical keyword', type: 'keyword', severity: 'critical',
    keywords: ['broken', 'refund', 'charged twice', 'kaputt', 'rückerstattung', 'cassé', 'remboursement', 'roto', 'reembolso'],
  },
  { name: 'Rating drop', type: 'drop', scale: 'stars', by: 1, withinMinutes: 15, sample: 30, severity: 'warning' },
];
