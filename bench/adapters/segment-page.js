// Segment as its install snippet sets it up: load() and then analytics.page(), the page event the
// snippet sends on every load (section 2b only; adapters/segment.js is Segment loaded alone).
import { AnalyticsBrowser } from '@segment/analytics-next';
import { ready, failed, config } from './_ready.js';
const cfg = config();
const segmentio = { apiKey: 'bench', apiHost: `${cfg.host}/seg`, protocol: 'http' };
AnalyticsBrowser.load(
  { writeKey: 'bench', cdnSettings: { integrations: { 'Segment.io': segmentio } } },
  { integrations: { 'Segment.io': segmentio } },
).then(([analytics]) => { analytics.page(); ready({ track: (name, props) => analytics.track(name, props) }); }, failed);
