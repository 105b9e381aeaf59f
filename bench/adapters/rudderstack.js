// RudderStack in the harness: @rudderstack/analytics-js (the /bundled build, since the default build
// fetches its plugins from RudderStack's CDN, unreachable here), data plane at the local endpoint, the
// source config that would come from RudderStack's control plane given inline.
import { RudderAnalytics } from '@rudderstack/analytics-js/bundled';
import { ready, failed, config } from './_ready.js';

const cfg = config();
try {
  const rudder = new RudderAnalytics();
  rudder.load('bench', `${cfg.origin}/rs`, {
    getSourceConfig: () => ({ source: { id: 'bench', name: 'bench', workspaceId: 'bench', enabled: true, config: {}, destinations: [] } }),
    onLoaded: () => {
      // Section 2b's snippet variant: RudderStack's install snippet calls page() once loaded.
      if (cfg.snippetPage) rudder.page();
      ready({ track: (name, props) => rudder.track(name, props) });
    },
    logLevel: 'ERROR',
  });
} catch (error) { failed(error); }
