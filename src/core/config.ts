// Fills ClientConfig defaults and validates every value (docs/sdk.md, "Configuration": one warning
// per bad setting naming the default used; a missing endpoint/project disables the SDK). Never throws.
// Table-driven on the type of each default, to stay small in the 4 KB core bundle: numbers are
// range-checked, booleans accept true/false (or their strings), strings must match PATTERNS,
// the object (headers) must hold only strings, and undefined (beforeSend) means a function.
import type { ClientConfig, FeedpulseEvent, TransportName } from './types';
import { PROJECT_NAME } from '../wire/project';
import { DEFAULT_KAFKA_TOPIC } from '../wire/kafka';

export interface ResolvedConfig {
  endpoint: string;
  project: string;
  transport: TransportName;
  topic: string;
  headers: Record<string, string>;
  batchSize: number;
  batchBytes: number;
  flushInterval: number;
  maxQueueEvents: number;
  maxQueueBytes: number;
  /** Longest wait between retries, ms (default 30,000). */
  maxRetryDelay: number;
  autocapture: 'clicks' | 'off';
  pageviews: boolean;
  sampleRate: number;
  consent: 'granted' | 'pending';
  beforeSend?: (event: FeedpulseEvent) => FeedpulseEvent | null | undefined;
  scrubPII: boolean;
  debug: boolean;
}

// String settings are given as the pattern of a whole valid value whose first alternative is the
// default ('' for the required ones: without a valid value the SDK is disabled). The endpoint is
// absolute http(s), protocol- or root-relative (the scheme is checked on the parsed URL, which
// also rejects malformed hosts). The project is what the collector accepts (PROJECT_NAME, the one
// rule both import): a name it refuses would lose every event at the first send.
const SETTINGS: Record<string, unknown> = {
  endpoint: '|(\\w+:)?/.*', project: '|' + PROJECT_NAME.source, transport: 'json|kafka-rest', topic: DEFAULT_KAFKA_TOPIC + '|[\\w.-]{1,249}', headers: {},
  batchSize: 50, batchBytes: 6e4, flushInterval: 1e3, maxQueueEvents: 5e3, maxQueueBytes: 5e6, maxRetryDelay: 3e4,
  autocapture: 'clicks|off', pageviews: true, sampleRate: 1, consent: 'granted|pending', scrubPII: true, debug: false,
  beforeSend: undefined,
};


export function resolveConfig(input: ClientConfig, warn: (msg: string) => void): ResolvedConfig | null {
  const out: Record<string, unknown> = {};
  let k: string, v: unknown;
  // One message template for every bad value: the setting, the value, then what happens.
  const say = (then: string) => {
    let shown;
    try { shown = JSON.stringify(v); } catch { /* cycles, BigInt */ }
    try { warn(`feedpulse: ${k} ${v === undefined ? 'is missing' : (shown ?? typeof v) + ' is not valid'}; ${then}`); } catch { /* the caller's warn must not break init */ }
  };
  try {
    const c = Object(input) as Record<string, unknown>;
    for (k in SETTINGS) {
      const p = SETTINGS[k], t = typeof p, d = t == 'string' ? (p as string).split('|')[0] : p;
      v = undefined;
      v = c[k];
      if (typeof v == 'string') v = v.trim();
      if (k[0] == 'a' && typeof v == 'boolean') v = v ? d : 'off'; // autocapture: true → clicks, false → off
      const n = /\d/.test(v as string) ? +(v as string) : NaN; // numbers and numeric strings (script-tag attributes)
      const ok = t == 'number' ? n >= +/^[bm]/.test(k) && n <= (k[0] == 's' ? 1 : 1e15)
        : t == 'boolean' ? /^(true|false)$/.test(v as string)
        : t == 'string' ? typeof v == 'string' && v && RegExp(`^(${p})$`).test(v) && (k[0] != 'e' || /^https?:/.test(new URL(v, 'http://x') as unknown as string))
        : d ? !!v && typeof v == 'object' && Object.values(v).every((h) => typeof h == 'string')
        : typeof v == 'function';
      if (ok) out[k] = t == 'number' ? n : t == 'boolean' ? v + '' > 't' : v;
      else if (d === '') throw 0;
      else { if (v !== undefined) say('using ' + JSON.stringify(d)); out[k] = d; }
    }
    return out as unknown as ResolvedConfig;
  } catch {
    // A missing or invalid endpoint/project, or a config whose reading throws (hostile getters).
    say('the SDK is disabled');
    return null;
  }
}
