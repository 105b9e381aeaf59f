// Section 1: bytes a page pays for. Feedpulse's shipped dist files beside each anchor bundled from a
// tiny user-like entry with esbuild (minified, ESM, code splitting: "initial" is what loads up front,
// "total" adds the lazy chunks a feature may fetch later).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SIZE_ENTRIES } from '../lib/sdks.mjs';
import { bundleEntry, installedVersion, loadEsbuild } from '../lib/anchors.mjs';
import { sizesOf, addSizes } from '../lib/compress.mjs';
import { loadedChunks } from './loaded-chunks.mjs';

/** The brotli budgets of size-budget.json (which the build and test/unit/size-budget.test.ts read too). */
function budgets(repo) {
  try {
    return JSON.parse(readFileSync(join(repo, 'size-budget.json'), 'utf8')).bundles;
  } catch { return {}; }
}

/** A budget's size: each file brotli-compressed on its own, plus the largest file of `plusLargestOf`. */
function budgetSize(dist, { files, plusLargestOf }) {
  const of = (file) => join(dist, file.replace(/^dist\//, ''));
  const largest = plusLargestOf ? Math.max(0, ...readdirSync(of(plusLargestOf)).map((f) => sizesOf(join(of(plusLargestOf), f)).brotli)) : 0;
  return files.reduce((sum, file) => sum + sizesOf(of(file)).brotli, largest);
}

export async function runSizes(ctx) {
  const rows = [];
  const skipped = [];
  const notes = [];
  const fp = {};
  const dist = ctx.distDir ?? join(ctx.repo, 'dist');
  // The script tag loads dist/feedpulse-panel.js once the page is idle and at most one locale file
  // (the largest is counted): "all chunks" for it is all three.
  const later = { core: [], widget: ['feedpulse-panel.js', 'locales'] };
  for (const [key, file, label] of [['core', 'dist/core.js', 'Feedpulse dist/core.js (headless SDK)'], ['widget', 'dist/feedpulse.min.js', 'Feedpulse dist/feedpulse.min.js (SDK + launcher; panel on idle)']]) {
    const path = join(dist, file.replace('dist/', ''));
    if (!existsSync(path)) { skipped.push(`${file} missing (run npx rollup -c)`); continue; }
    const s = sizesOf(path);
    const extra = later[key].filter((name) => existsSync(join(dist, name))).map((name) => {
      if (!name.endsWith('/') && name.endsWith('.js')) return sizesOf(join(dist, name));
      const all = readdirSync(join(dist, name)).map((f) => sizesOf(join(dist, name, f)));
      return all.reduce((a, b) => (b.brotli > a.brotli ? b : a), { min: 0, gzip: 0, brotli: 0 });
    });
    fp[key] = s;
    rows.push({ id: `feedpulse-${key}`, label, feedpulse: true, initial: s, total: addSizes([s, ...extra]), chunks: 1 + extra.length });
  }
  for (const [name, budget] of Object.entries(budgets(ctx.repo))) {
    try {
      const size = budgetSize(dist, budget);
      const against = budget.target ? `target ${budget.target} B: ${size <= budget.target ? 'met' : `${size - budget.target} B over`}` : 'no target';
      notes.push(`${name} (${budget.files.join(' + ')}${budget.plusLargestOf ? ` + largest of ${budget.plusLargestOf}` : ''}): ${size} B brotli; ${against}; ceiling ${budget.ceiling} B`);
    } catch (error) { skipped.push(`budget ${name}: ${String(error.message ?? error).split('\n')[0]}`); }
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
