// RudderStack as its install snippet sets it up: load() and then rudderanalytics.page() once loaded
// (section 2b only; adapters/rudderstack.js is RudderStack loaded alone, with the same settings).
import { RudderAnalytics } from '@rudderstack/analytics-js/bundled';
import { ready, failed, config } from './_ready.js';
const cfg = config();
try {
  const rudder = new RudderAnalytics();
  rudder.load('bench', `${cfg.origin}/rs`, {
    getSourceConfig: () => ({ source: { id: 'bench', name: 'bench', workspaceId: 'bench', enabled: true, config: {}, destinations: [] } }),
    onLoaded: () => { rudder.page(); ready({ track: (name, props) => rudder.track(name, props) }); },
    logLevel: 'ERROR',
  });
} catch (error) { failed(error); }
