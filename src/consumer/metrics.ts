// The consumer's counters in Prometheus text, appended to the collector's /metrics by the demo
// server, so an event skipped because its analysis threw is seen by monitoring, not only in the log.
import type { Consumer } from './consumer';

export function consumerMetrics(consumer: Pick<Consumer, 'processed' | 'duplicates' | 'failed'>): string {
  return [
    '# HELP feedpulse_consumer_events_total Events the dashboard consumer handled, by outcome (failed: skipped because analysing them threw; each is logged with its id).',
    '# TYPE feedpulse_consumer_events_total counter',
    `feedpulse_consumer_events_total{outcome="counted"} ${consumer.processed()}`,
    `feedpulse_consumer_events_total{outcome="duplicate"} ${consumer.duplicates()}`,
    `feedpulse_consumer_events_total{outcome="failed"} ${consumer.failed()}`,
    '',
  ].join('\n');
}
