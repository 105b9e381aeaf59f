// Section 1: bytes a page pays for. Feedpulse's shipped dist files beside each anchor bundled from a
// tiny user-like entry with esbuild (minified, ESM, code splitting: "initial" is what loads up front,
// "total" adds the lazy chunks a feature may fetch later).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIZE_ENTRIES } from '../lib/sdks.mjs';
import { bundleEntry, installedVersion, loadEsbuild } from '../lib/anchors.mjs';
import { sizesOf, addSizes } from '../lib/compress.mjs';
import { loadedChunks } from './loaded-chunks.mjs';

/** The brotli budgets rollup.config.mjs enforces (read from its text: importing it would load rollup's plugins). */
function budgets(repo) {
  try {
    const text = readFileSync(join(repo, 'rollup.config.mjs'), 'utf8');
    return Object.fromEntries([...text.matchAll(/'(dist\/[\w.]+)':\s*(\d+)/g)].map((m) => [m[1], Number(m[2])]));
  } catch { return {}; }
}

export async function runSizes(ctx) {
  const rows = [];
  const skipped = [];
  const notes = [];
  const fp = {};
  for (const [key, file, label] of [['core', 'dist/core.js', 'Feedpulse dist/core.js (headless SDK)'], ['widget', 'dist/feedpulse.min.js', 'Feedpulse dist/feedpulse.min.js (SDK + widget)']]) {
    const path = join(ctx.distDir ?? join(ctx.repo, 'dist'), file.replace('dist/', ''));
    if (!existsSync(path)) { skipped.push(`${file} missing (run npx rollup -c)`); continue; }
    const s = sizesOf(path);
    fp[key] = s;
    const budget = budgets(ctx.repo)[file];
    if (budget) notes.push(`${file}: ${s.brotli} B brotli, budget ${budget} B: ${s.brotli <= budget ? 'within' : `OVER by ${s.brotli - budget} B`}`);
    rows.push({ id: `feedpulse-${key}`, label, feedpulse: true, initial: s, total: s, chunks: 1 });
  }
  const esbuild = ctx.anchors ? await loadEsbuild() : undefined;
  if (ctx.anchors && !esbuild) skipped.push('anchors: esbuild not installed in bench/node_modules (cd bench && npm ci)');
  for (const entry of SIZE_ENTRIES) {
    if (!ctx.anchors || !esbuild) { skipped.push(`${entry.label}: anchors skipped`); continue; }
    const version = installedVersion(entry.pkg);
    if (!version) { skipped.push(`${entry.label}: ${entry.pkg} not installed`); continue; }
    try {
      const files = await bundleEntry(esbuild, entry);
      const withSizes = files.map((f) => ({ ...f, ...sizesOf(f.file) }));
      let loaded = withSizes.filter((f) => f.initial);
      let how = 'static imports';
      if (files.length > 1 && ctx.browser) {
        const fetched = await loadedChunks(ctx, entry.id, withSizes);
        if (fetched.length) { loaded = fetched; how = 'fetched by Chromium at start-up'; }
      }
      if (files.length > 1) notes.push(`${entry.label}: ${files.length} chunks, ${loaded.length} loaded at start-up (${how})`);
      const initial = addSizes(loaded);
      const total = addSizes(withSizes);
      const base = fp[entry.against];
      rows.push({ id: entry.id, name: entry.label, label: `${entry.label} ${version}`, against: entry.against, initial, total, chunks: files.length,
        ratioBrotli: base ? initial.brotli / base.brotli : NaN });
    } catch (error) {
      skipped.push(`${entry.label}: bundling failed: ${String(error.message ?? error).split('\n')[0]}`);
    }
  }
  return { rows, skipped, notes };
}
