// PostHog in the harness: posthog-js from npm with its defaults, api_host pointed at the local endpoint.
import posthog from 'posthog-js';
import { ready, failed, config } from './_ready.js';

const cfg = config();
try {
  posthog.init('phc_bench', {
    api_host: `${cfg.origin}/ph`,
    // Automated Chromium sets navigator.webdriver, which PostHog's bot filter drops; PostHog's own
    // advice for end-to-end tests is this flag. Nothing else is changed from its defaults.
    opt_out_useragent_filter: true,
    loaded: () => ready({
      track: (name, props) => posthog.capture(name, props),
      flush: () => undefined,
    }),
  });
} catch (error) { failed(error); }
