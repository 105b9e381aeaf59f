// Sentry in the harness: @sentry/browser with feedbackIntegration; captureFeedback is its
// same-purpose call. BENCH_CONFIG.sentryOffline opts into makeBrowserOfflineTransport (IndexedDB queue).
import { init, feedbackIntegration, captureFeedback, makeBrowserOfflineTransport, makeFetchTransport, flush } from '@sentry/browser';
import { ready, failed, config } from './_ready.js';

const cfg = config();
try {
  init({
    dsn: `http://bench@${cfg.host}/sentry/1`,
    integrations: [feedbackIntegration()], // defaults: its feedback button is injected, as Feedpulse's launcher is
    // Sentry's opt-in IndexedDB queue, with flushAtStartup so a reopened page sends what is stored
    // (its default waits for the next event or an `online` event).
    ...(cfg.sentryOffline ? { transport: makeBrowserOfflineTransport(makeFetchTransport), transportOptions: { flushAtStartup: true } } : {}),
  });
  ready({ track: (name) => captureFeedback({ message: name }), flush: () => flush(2000) });
} catch (error) { failed(error); }
