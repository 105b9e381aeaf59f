// Bundle byte budgets (brotli), from size-budget.json (which rollup.config.mjs reads too).
// Deterministic: a build that grows past its ceiling fails here. A target not met yet is printed
// with how far off it is; the ceilings are the measured sizes plus a small margin.
import { describe, it, expect } from 'vitest';
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';

interface Budget {
  files: string[];
  plusLargestOf?: string;
  target?: number;
  ceiling: number;
}
const { bundles } = JSON.parse(readFileSync('size-budget.json', 'utf8')) as { bundles: Record<string, Budget> };
const brotli = (file: string) => brotliCompressSync(readFileSync(file)).length;

describe('bundle size budgets (size-budget.json)', () => {
  for (const [name, { files, plusLargestOf, target, ceiling }] of Object.entries(bundles)) {
    it(`${name} stays at most ${ceiling} B brotli${target ? ` (target ${target} B)` : ''}`, () => {
      for (const file of files) expect(existsSync(file), `${file} missing: run npm run build`).toBe(true);
      const largest = plusLargestOf ? Math.max(...readdirSync(plusLargestOf).map((f) => brotli(join(plusLargestOf, f)))) : 0;
      const size = files.reduce((sum, file) => sum + brotli(file), largest);
      if (target && size > target) console.log(`${name}: ${size} B brotli, ${size - target} B over the ${target} B target`);
      expect(size).toBeGreaterThan(0);
      expect(size).toBeLessThanOrEqual(ceiling);
    });
  }
  it('the ceilings stay honest: no ceiling is more than 2 % above what it measures', () => {
    const slack = Object.entries(bundles).flatMap(([name, { files, plusLargestOf, ceiling }]) => {
      const largest = plusLargestOf ? Math.max(...readdirSync(plusLargestOf).map((f) => brotli(join(plusLargestOf, f)))) : 0;
      const size = files.reduce((sum, file) => sum + brotli(file), largest);
      return ceiling > size * 1.02 ? [`${name}: ceiling ${ceiling}, measured ${size}`] : [];
    });
    expect(slack).toEqual([]);
  });
  it('dist/core.js carries no Preact or widget code', () => {
    const code = readFileSync('dist/core.js', 'utf8');
    expect(code).not.toMatch(/feedpulse-widget|attachShadow|adoptedStyleSheets|preact/);
  });
  it('the script tag leaves Preact and the panel to dist/feedpulse-panel.js', () => {
    const tag = readFileSync('dist/feedpulse.min.js', 'utf8');
    const panel = readFileSync('dist/feedpulse-panel.js', 'utf8');
    // Preact's own marker (Symbol.for("preact-…")/"pv") and the panel's form are in the panel file only.
    for (const mark of ['radiogroup', 'maxLength', 'Symbol.for(']) {
      expect(tag).not.toContain(mark);
      expect(panel).toContain(mark);
    }
    expect(panel).toMatch(/export\s*\{\s*\w+ as drawPanel\s*\}/);
  });
  it('every lazily loaded locale file is built next to the script bundle', () => {
    for (const lang of ['de', 'fr', 'es', 'ja', 'ar']) {
      const code = readFileSync(`dist/locales/${lang}.js`, 'utf8');
      expect(code).toMatch(/export\s*\{\s*\w+ as default\s*\}/);
      expect(brotliCompressSync(code).length).toBeLessThan(600);
    }
  });
});
