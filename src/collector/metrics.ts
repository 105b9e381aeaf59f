// Prometheus text exposition, hand-written (a handful of counters and one histogram).
export interface Metrics {
  accepted(n: number): void;
  duplicates(n: number): void;
  /** Events not stored, by per-event reason (and `sink_unavailable`). */
  rejected(reason: string, n?: number): void;
  /** Whole requests refused before their events were looked at (400, 401, 403, 413, 429, 503…). */
  refused(reason: string): void;
  request(status: number): void;
  /** A CORS preflight answered: 204 (allowed) or 403 (origin not allowed). */
  preflight(allowed: boolean): void;
  sinkLatency(seconds: number, ok: boolean): void;
  render(extra: { sinkKind: string; sinkUp: boolean; inFlight: number; sinkStats?: Record<string, number> }): string;
}

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics(): Metrics {
  let accepted = 0;
  let duplicates = 0;
  const rejected = new Map<string, number>();
  const refused = new Map<string, number>();
  const requests = new Map<number, number>();
  const latency = { ok: newHistogram(), error: newHistogram() };
  const preflights = { allowed: 0, refused: 0 };

  return {
    accepted: (n) => (accepted += n),
    duplicates: (n) => (duplicates += n),
    rejected: (reason, n = 1) => rejected.set(reason, (rejected.get(reason) ?? 0) + n),
    refused: (reason) => refused.set(reason, (refused.get(reason) ?? 0) + 1),
    request: (status) => requests.set(status, (requests.get(status) ?? 0) + 1),
    preflight: (allowed) => (allowed ? preflights.allowed++ : preflights.refused++),
    sinkLatency(seconds, ok) {
      const h = ok ? latency.ok : latency.error;
      h.count++;
      h.sum += seconds;
      for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) h.buckets[i]!++;
    },
    render({ sinkKind, sinkUp, inFlight, sinkStats = {} }) {
      const lines: string[] = [
        '# HELP feedpulse_events_accepted_total Events durably stored by the sink.',
        '# TYPE feedpulse_events_accepted_total counter',
        `feedpulse_events_accepted_total ${accepted}`,
        '# HELP feedpulse_events_duplicate_total Events whose id was already stored.',
        '# TYPE feedpulse_events_duplicate_total counter',
        `feedpulse_events_duplicate_total ${duplicates}`,
        '# HELP feedpulse_events_rejected_total Events not stored, by reason.',
        '# TYPE feedpulse_events_rejected_total counter',
        ...[...rejected].map(([reason, n]) => `feedpulse_events_rejected_total{reason="${escape(reason)}"} ${n}`),
        '# HELP feedpulse_requests_refused_total Requests refused as a whole, by reason.',
        '# TYPE feedpulse_requests_refused_total counter',
        ...[...refused].map(([reason, n]) => `feedpulse_requests_refused_total{reason="${escape(reason)}"} ${n}`),
        '# HELP feedpulse_http_requests_total Answers to POST /v1/events, by status.',
        '# TYPE feedpulse_http_requests_total counter',
        ...[...requests].map(([status, n]) => `feedpulse_http_requests_total{status="${status}"} ${n}`),
        '# HELP feedpulse_preflights_total CORS preflights (OPTIONS), by outcome: refused = origin not allowed (403).',
        '# TYPE feedpulse_preflights_total counter',
        `feedpulse_preflights_total{outcome="allowed"} ${preflights.allowed}`,
        `feedpulse_preflights_total{outcome="refused"} ${preflights.refused}`,
        '# HELP feedpulse_http_requests_in_flight Requests being handled now.',
        '# TYPE feedpulse_http_requests_in_flight gauge',
        `feedpulse_http_requests_in_flight ${inFlight}`,
        '# HELP feedpulse_sink_up 1 while the sink can take writes.',
        '# TYPE feedpulse_sink_up gauge',
        `feedpulse_sink_up{sink="${sinkKind}"} ${sinkUp ? 1 : 0}`,
      ];
      for (const [name, value] of Object.entries(sinkStats)) {
        const metric = `feedpulse_${name.replace(/[^a-zA-Z0-9_]/g, '_')}`;
        lines.push(`# TYPE ${metric} gauge`, `${metric}{sink="${sinkKind}"} ${value}`);
      }
      lines.push('# HELP feedpulse_sink_write_seconds Time until the sink held a batch durably (fsync, confirm, ack).', '# TYPE feedpulse_sink_write_seconds histogram');
      for (const [outcome, h] of Object.entries(latency)) {
        const labels = `sink="${sinkKind}",outcome="${outcome}"`;
        BUCKETS.forEach((le, i) => lines.push(`feedpulse_sink_write_seconds_bucket{${labels},le="${le}"} ${h.buckets[i]}`));
        lines.push(`feedpulse_sink_write_seconds_bucket{${labels},le="+Inf"} ${h.count}`);
        lines.push(`feedpulse_sink_write_seconds_sum{${labels}} ${h.sum}`);
        lines.push(`feedpulse_sink_write_seconds_count{${labels}} ${h.count}`);
      }
      return `${lines.join('\n')}\n`;
    },
  };
}

const newHistogram = () => ({ count: 0, sum: 0, buckets: BUCKETS.map(() => 0) });
const escape = (s: string) => s.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
