// Feedpulse in the harness: the headless SDK from dist/core.js, exactly as an npm user imports it.
// Served as-is (a module script), not re-bundled, so the page runs the shipped file.
const cfg = window.BENCH_CONFIG;
try {
  const { createClient } = await import('/dist/core.js');
  const client = createClient({ endpoint: `${cfg.origin}/v1/events`, project: 'bench', ...(cfg.feedpulse ?? {}) });
  window.feedpulseClient = client;
  window.bench = {
    track: (name, props) => client.track(name, props),
    flush: () => client.flush(),
    pending: () => client.status().pending,
  };
  window.benchState = 'ready';
} catch (error) {
  window.benchError = String(error && error.stack ? error.stack : error);
  window.benchState = 'failed';
}
