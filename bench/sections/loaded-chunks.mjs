// For bundles that split into chunks: which chunks a page really fetches at start-up. Loads the
// user-like entry as a module script in Chromium and sums the chunk files it requested.
import { sleep, newContext } from '../lib/harness.mjs';
import { join } from 'node:path';
import { ANCHOR_DIR } from '../lib/anchors.mjs';

export async function loadedChunks(ctx, entryId, files) {
  const entry = files.find((f) => f.entry);
  const dir = join(ANCHOR_DIR, 'size', entryId);
  const path = `/anchors/size/${entryId}/`;
  ctx.endpoint.page(`/size/${entryId}.html`, `<!doctype html><html><head><meta charset="utf-8"><script type="module" src="${path}${entry.name}"></script></head><body>size</body></html>`);
  const context = await newContext(ctx);
  const fetched = new Set();
  try {
    // A bundle that fetches its settings from the vendor's CDN before loading its core (Segment) is
    // answered with a minimal settings document, as the CDN would, so the chunks that load next are seen.
    await context.route((url) => !url.host.startsWith('127.0.0.1'), (route) => {
      const u = new URL(route.request().url());
      if (u.host === 'cdn.segment.com' && u.pathname.endsWith('/settings')) {
        return route.fulfill({ status: 200, contentType: 'application/json', headers: { 'access-control-allow-origin': '*' }, body: JSON.stringify({ integrations: { 'Segment.io': { apiKey: 'key' } } }) });
      }
      return route.abort();
    });
    const page = await context.newPage();
    page.on('request', (req) => {
      const u = new URL(req.url());
      if (u.pathname.startsWith(path)) fetched.add(join(dir, u.pathname.slice(path.length)));
    });
    await page.goto(`${ctx.endpoint.origin}/size/${entryId}.html`, { waitUntil: 'load' });
    await sleep(ctx.quick ? 1000 : 3000);
  } finally { await context.close().catch(() => {}); }
  return files.filter((f) => fetched.has(f.file));
}
