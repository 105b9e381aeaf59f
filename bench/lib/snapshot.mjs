// A copy of Feedpulse's browser files taken when the run starts, so that every section measures the
// same build even if someone rebuilds dist/ mid-run (several engineers share this tree).
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

// The script tag's panel file loads by import() from next to it once the page is idle.
export const BROWSER_FILES = ['core.js', 'feedpulse.min.js', 'feedpulse-panel.js'];

export function snapshotDist(repo, dir) {
  mkdirSync(dir, { recursive: true });
  const files = {};
  for (const name of BROWSER_FILES) {
    const src = join(repo, 'dist', name);
    if (!existsSync(src)) continue;
    copyFileSync(src, join(dir, name));
    files[name] = {
      sha256: createHash('sha256').update(readFileSync(src)).digest('hex').slice(0, 12),
      built: statSync(src).mtime.toISOString(),
    };
  }
  // The script tag loads non-English locales on demand from dist/locales/ beside itself.
  if (existsSync(join(repo, 'dist', 'locales'))) cpSync(join(repo, 'dist', 'locales'), join(dir, 'locales'), { recursive: true });
  return files;
}
