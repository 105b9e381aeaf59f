#!/usr/bin/env node
// Screenshots of the open widget panel for the README: every scale in light, dark and right-to-left
// (Arabic), plus the thank-you state. Uses the built npm entry (run `npm run build` first) in real
// Chromium, and writes PNGs to docs/screenshots/.  Usage: node scripts/screenshots.mjs
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'docs/screenshots');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(join(root, 'dist/index.js'))) {
  console.error('dist/index.js is missing: run npm run build first');
  process.exit(1);
}

const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<link rel="stylesheet" href="/test/fixtures/widget-shot.css"></head>
<body><header>Aurora Outfitters</header><main><h1>Trail Runner 2</h1><p>Light, grippy and ready for mud.</p></main>
<script type="module" src="/test/fixtures/widget-page.js"></script></body></html>`;
const types = { '.js': 'text/javascript', '.css': 'text/css' };
const server = createServer(async (req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  if (path === '/shot.html') return res.writeHead(200, { 'content-type': 'text/html' }).end(page);
  const file = normalize(join(root, path));
  if (!file.startsWith(root)) return res.writeHead(403).end();
  try {
    const data = await readFile(file);
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(data);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

const shots = [];
for (const scale of ['stars', 'nps', 'thumbs', 'emoji']) {
  shots.push({ name: `${scale}-light`, config: { scale, theme: 'light' } });
  shots.push({ name: `${scale}-dark`, config: { scale, theme: 'dark' } });
  shots.push({ name: `${scale}-rtl`, config: { scale, theme: 'light', locale: 'ar' } });
}
shots.push({ name: 'thanks-light', config: { scale: 'stars', theme: 'light' }, send: true });

await mkdir(out, { recursive: true });
const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu'] });
try {
  for (const { name, config, send } of shots) {
    const context = await browser.newContext({ viewport: { width: 720, height: 560 }, deviceScaleFactor: 2, reducedMotion: 'reduce' });
    const tab = await context.newPage();
    // The endpoint is unreachable on purpose: nothing is sent while taking pictures.
    const cfg = { endpoint: `${origin}/nowhere`, project: 'screenshots', autocapture: 'off', pageviews: false, ...config };
    await tab.goto(`${origin}/shot.html?cfg=${encodeURIComponent(JSON.stringify(cfg))}`);
    await tab.locator('feedpulse-widget .l').click();
    const radios = tab.getByRole('radio');
    await radios.nth((await radios.count()) - 2).click();
    if (send) {
      await tab.getByRole('textbox').fill('Quick checkout, thanks!');
      await tab.locator('feedpulse-widget .b').click();
      await tab.getByRole('status').waitFor();
    }
    await tab.waitForTimeout(150);
    const box = await tab.locator('feedpulse-widget .p').boundingBox();
    const launcher = await tab.locator('feedpulse-widget .l').boundingBox();
    const x = Math.min(box.x, launcher.x) - 16;
    const clip = { x, y: box.y - 16, width: Math.max(box.x + box.width, launcher.x + launcher.width) + 16 - x, height: launcher.y + launcher.height + 16 - (box.y - 16) };
    await tab.screenshot({ path: join(out, `${name}.png`), clip });
    console.log(`  docs/screenshots/${name}.png`);
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
