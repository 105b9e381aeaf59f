// Segment in the harness: @segment/analytics-next with its defaults; the CDN settings that would come
// from Segment's CDN are given inline, and the Segment.io destination posts to the local endpoint.
import { AnalyticsBrowser } from '@segment/analytics-next';
import { ready, failed, config } from './_ready.js';

const cfg = config();
const segmentio = { apiKey: 'bench', apiHost: `${cfg.host}/seg`, protocol: 'http' };
AnalyticsBrowser.load(
  { writeKey: 'bench', cdnSettings: { integrations: { 'Segment.io': segmentio } } },
  { integrations: { 'Segment.io': segmentio } },
).then(([analytics]) => {
  // Section 2b's snippet variant: Segment's install snippet calls page() right after load().
  if (cfg.snippetPage) analytics.page();
  ready({ track: (name, props) => analytics.track(name, props) });
}, failed);
