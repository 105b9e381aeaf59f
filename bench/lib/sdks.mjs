// The SDKs side by side: Feedpulse and the anchors (the tools users would pick instead). Each has a
// page adapter (bench/adapters/<id>.js) that loads the SDK pointed at the local endpoint and exposes
// window.bench = { track(name, props), flush?() }; anchors' adapters are bundled into bench/.anchors/.
export const FEEDPULSE = { id: 'feedpulse', label: 'Feedpulse', adapter: '/bench/adapters/feedpulse.js', module: true };

export const ANCHORS = [
  { id: 'posthog', label: 'PostHog', pkg: 'posthog-js', call: 'posthog.capture()' },
  { id: 'segment', label: 'Segment', pkg: '@segment/analytics-next', call: 'analytics.track()' },
  { id: 'rudderstack', label: 'RudderStack', pkg: '@rudderstack/analytics-js', call: 'rudderanalytics.track()' },
  { id: 'sentry', label: 'Sentry (default transport)', pkg: '@sentry/browser', call: 'Sentry.captureFeedback()', adapterFile: 'sentry', config: { sentryOffline: false } },
  { id: 'sentry-offline', label: 'Sentry (offline transport, flushAtStartup)', pkg: '@sentry/browser', call: 'Sentry.captureFeedback()', adapterFile: 'sentry', config: { sentryOffline: true } },
].map((a) => ({ ...a, adapter: `/anchors/adapters/${a.adapterFile ?? a.id}.js`, module: false }));

/**
 * Page-load variants (section 2b only): what each anchor's own quick start adds to its load. Segment's
 * and RudderStack's install snippets call page() right after load(); the rows without it are those
 * SDKs loaded and sending nothing. `of` is the anchor whose adapter they run, with `snippetPage` set.
 */
export const LOAD_VARIANTS = [
  { id: 'segment-page', of: 'segment', label: 'Segment + analytics.page() (its snippet)' },
  { id: 'rudderstack-page', of: 'rudderstack', label: 'RudderStack + rudderanalytics.page() (its snippet)' },
].map((v) => ({ ...v, adapter: `/anchors/adapters/${v.of}.js`, module: false, config: { snippetPage: true } }));

/** Analytics-style anchors whose track() is timed beside Feedpulse's in section 2. */
export const TRACK_ANCHORS = ['posthog', 'segment', 'rudderstack'];

/** User-like entries bundled for section 1; `against` says which Feedpulse file is the fair comparison. */
export const SIZE_ENTRIES = [
  { id: 'sentry-core', label: '@sentry/browser (init + captureMessage)', pkg: '@sentry/browser', against: 'core',
    code: "import { init, captureMessage } from '@sentry/browser';\ninit({ dsn: 'https://key@o0.ingest.sentry.io/1' });\ncaptureMessage('hello');\n" },
  { id: 'sentry-feedback', label: '@sentry/browser + feedbackIntegration', pkg: '@sentry/browser', against: 'widget',
    code: "import { init, feedbackIntegration } from '@sentry/browser';\ninit({ dsn: 'https://key@o0.ingest.sentry.io/1', integrations: [feedbackIntegration()] });\n" },
  { id: 'posthog', label: 'posthog-js (core)', pkg: 'posthog-js', against: 'core',
    code: "import posthog from 'posthog-js';\nposthog.init('phc_key', { api_host: 'https://eu.i.posthog.com' });\nposthog.capture('hello');\n" },
  { id: 'posthog-surveys', label: 'posthog-js + surveys bundle', pkg: 'posthog-js', against: 'widget',
    code: "import posthog from 'posthog-js';\nimport 'posthog-js/dist/surveys';\nposthog.init('phc_key', { api_host: 'https://eu.i.posthog.com' });\nposthog.capture('hello');\n" },
  { id: 'segment', label: '@segment/analytics-next', pkg: '@segment/analytics-next', against: 'core',
    code: "import { AnalyticsBrowser } from '@segment/analytics-next';\nexport const analytics = AnalyticsBrowser.load({ writeKey: 'key' });\nanalytics.track('hello');\n" },
  { id: 'rudderstack', label: '@rudderstack/analytics-js (plugins from CDN)', pkg: '@rudderstack/analytics-js', against: 'core',
    code: "import { RudderAnalytics } from '@rudderstack/analytics-js';\nconst ra = new RudderAnalytics();\nra.load('key', 'https://dataplane.example.com');\nra.track('hello');\n" },
  { id: 'rudderstack-bundled', label: '@rudderstack/analytics-js/bundled', pkg: '@rudderstack/analytics-js', against: 'core',
    code: "import { RudderAnalytics } from '@rudderstack/analytics-js/bundled';\nconst ra = new RudderAnalytics();\nra.load('key', 'https://dataplane.example.com');\nra.track('hello');\n" },
];
