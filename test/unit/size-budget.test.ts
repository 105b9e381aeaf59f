// Bundle byte budgets (brotli). Deterministic: a build that grows past its ceiling fails here.
//
// The issue targets are 4,096 B for dist/core.js (issue 2) and 12,288 B for dist/feedpulse.min.js
// (issue 3). They are NOT met yet (README, "Size"): the ceilings below are the sizes measured when
// this was last changed plus under 1 %, so any growth fails the build. Lower a ceiling whenever a
// bundle shrinks, until it reaches its target; never raise one without saying why in the commit.
import { describe, it, expect } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { brotliCompressSync } from 'node:zlib';

const budgets: Record<string, { target: number; ceiling: number }> = {
  'dist/core.js': { target: 4096, ceiling: 5380 },
  'dist/feedpulse.min.js': { target: 12288, ceiling: 15200 },
};

describe('bundle size budgets', () => {
  for (const [file, { target, ceiling }] of Object.entries(budgets)) {
    it(`${file} stays at most ${ceiling} B brotli (target ${target} B)`, () => {
      expect(existsSync(file), `${file} missing: run npm run build`).toBe(true);
      const size = brotliCompressSync(readFileSync(file)).length;
      if (size > target) console.log(`${file}: ${size} B brotli, ${size - target} B over the ${target} B target`);
      expect(size).toBeGreaterThan(0);
      expect(size).toBeLessThanOrEqual(ceiling);
    });
  }
  it('dist/core.js carries no Preact or widget code', () => {
    const code = readFileSync('dist/core.js', 'utf8');
    expect(code).not.toMatch(/feedpulse-widget|attachShadow|adoptedStyleSheets|preact/);
  });
  it('every lazily loaded locale file is built next to the script bundle', () => {
    for (const lang of ['de', 'fr', 'es', 'ja', 'ar']) {
      const code = readFileSync(`dist/locales/${lang}.js`, 'utf8');
      expect(code).toMatch(/export\s*\{\s*\w+ as default\s*\}/);
      expect(brotliCompressSync(code).length).toBeLessThan(600);
    }
  });
});
