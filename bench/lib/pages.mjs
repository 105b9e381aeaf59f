// HTML pages for the harness: one per SDK, registered on the endpoint under /page/<name>.
const escapeJson = (v) => JSON.stringify(v).replace(/</g, '\\u003c');

/** A page that loads one SDK's adapter with its config; returns the page URL. */
export function adapterPage(endpoint, sdk, extra = {}) {
  const config = { origin: endpoint.origin, host: endpoint.host, ...(sdk.config ?? {}), ...extra };
  const path = `/page/${sdk.id}${extra.variant ? `-${extra.variant}` : ''}.html`;
  endpoint.page(path, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench ${sdk.id}</title>
<script>window.BENCH_CONFIG = ${escapeJson(config)}; window.benchState = 'loading';</script>
<script src="${sdk.adapter}"${sdk.module ? ' type="module"' : ''}></script>
</head><body><main><h1>Shop</h1><a href="#cart">Cart</a> <button type="button">Buy</button></main></body></html>`);
  return endpoint.origin + path;
}

/**
 * A page for the load-cost figure: a long-task observer first, then the script tag under test
 * (or nothing, for the baseline). `tag` is the raw <script ...></script> markup.
 */
export function loadPage(endpoint, name, tag, config = {}) {
  const path = `/load/${name}.html`;
  endpoint.page(path, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>load ${name}</title>
<script>
window.BENCH_CONFIG = ${escapeJson({ origin: endpoint.origin, host: endpoint.host, ...config })};
window.benchLongTasks = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) window.benchLongTasks.push({ start: e.startTime, duration: e.duration }); })
  .observe({ type: 'longtask', buffered: true });
</script>
${tag}
</head><body><main><h1>Shop</h1><p>${'Lorem ipsum dolor sit amet. '.repeat(40)}</p><a href="#cart">Cart</a> <button type="button">Buy</button></main></body></html>`);
  return endpoint.origin + path;
}
