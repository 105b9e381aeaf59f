// One config, four outputs (CONTRACT §1). Browser builds inline their dependencies so the
// byte budgets measure everything a page pays for; Node builds keep dependencies external.
import typescript from '@rollup/plugin-typescript';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { dts } from 'rollup-plugin-dts';
import { builtinModules } from 'node:module';
import { readFileSync, writeFileSync, mkdirSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
// Budgets in brotli bytes; test/unit/size-budget.test.ts enforces the same numbers.
export const budgets = { 'dist/feedpulse.min.js': 12288, 'dist/core.js': 4096 };

const ts = () => typescript({ tsconfig: './tsconfig.build.json' });
const browserPlugins = () => [
  resolve({ browser: true }),
  ts(),
  terser({ ecma: 2020, module: true, compress: { passes: 2 }, mangle: { properties: { regex: /^_/ } } }),
];

function printSizes() {
  return {
    name: 'print-sizes',
    writeBundle(options, bundle) {
      for (const name of Object.keys(bundle)) {
        const file = `dist/${name}`;
        const max = budgets[file];
        if (!max) continue;
        const code = readFileSync(file);
        const br = brotliCompressSync(code).length;
        const gz = gzipSync(code, { level: 9 }).length;
        console.log(`  ${file}: ${code.length} B min, ${gz} B gzip, ${br} B brotli (budget ${max})${br > max ? '  <-- OVER BUDGET' : ''}`);
      }
    },
  };
}

// The script tag loads non-English copy on demand (dist/locales/<lang>.js); the npm build bundles it.
function lazyLocales() {
  return {
    name: 'lazy-locales',
    resolveId(source, importer) {
      if (source === './load' && importer?.replace(/\\/g, '/').endsWith('src/widget/locales/index.ts')) {
        return this.resolve('./load-lazy.ts', importer, { skipSelf: true });
      }
      return null;
    },
  };
}
const lazyLocaleFiles = Object.fromEntries(['de', 'fr', 'es', 'ja', 'ar'].map((l) => [l, `src/widget/locales/${l}.ts`]));

// Chunk names carry a content hash: drop the ones this build did not write, so dist/ (and the npm
// package, which ships dist/) holds no stale copy of the shared Node code.
function pruneChunks() {
  return {
    name: 'prune-chunks',
    writeBundle(options, bundle) {
      const dir = `${options.dir}/chunks`;
      const written = new Set(Object.keys(bundle));
      for (const file of existsSync(dir) ? readdirSync(dir) : []) if (!written.has(`chunks/${file}`)) rmSync(`${dir}/${file}`);
    },
  };
}

const nodeExternal = [
  ...builtinModules, ...builtinModules.map((m) => `node:${m}`),
  ...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {}),
];

// FP_ONLY=core,embed,node builds a subset (handy while one part is being worked on).
const only = process.env.FP_ONLY?.split(',');
const pick = (name, config) => (!only || only.includes(name) ? [config] : []);

export default [
  ...pick('embed', {
    input: 'src/embed/index.ts',
    output: { file: 'dist/feedpulse.min.js', format: 'iife', sourcemap: false },
    plugins: [lazyLocales(), ...browserPlugins(), printSizes()],
  }),
  ...pick('embed', {
    input: lazyLocaleFiles,
    output: { dir: 'dist/locales', format: 'es', entryFileNames: '[name].js' },
    // Each file is plain JavaScript already (one template literal), so no TypeScript pass.
    plugins: [terser({ ecma: 2020, module: true })],
  }),
  // The npm entries `feedpulse/core` (dist/core.js) and `feedpulse` (dist/index.js) in one build:
  // dist/index.js imports the core from ./core.js instead of holding a copy, so an app that
  // imports both bundles one core, and createClient() and init() share its one-client-per-project map.
  ...pick('core', {
    input: { core: 'src/core/index.ts', index: 'src/widget/index.ts' },
    // dist/core.js is the shared chunk itself (with a few extra, minified exports for dist/index.js),
    // not a facade over a third file: one file per entry, and the size budget measures all of it.
    preserveEntrySignatures: 'allow-extension',
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].js' },
    plugins: [...browserPlugins(), printSizes()],
  }),
  ...pick('node', {
    // dist/simulate.js: the traffic simulator for `npm run simulate` and bench/ (no package export).
    input: { collector: 'src/collector/index.ts', consumer: 'src/consumer/index.ts', simulate: 'src/consumer/simulate/index.ts' },
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    external: (id) => nodeExternal.some((e) => id === e || id.startsWith(`${e}/`)),
    plugins: [resolve({ preferBuiltins: true }), ts(), pruneChunks()],
  }),
  // One self-contained .d.ts per entry (no extensionless relative imports), so types resolve under
  // every moduleResolution (bundler, node16/nodenext) a user may have.
  ...['core', 'widget', 'collector', 'consumer'].flatMap((part) => pick('types', {
    input: `src/${part}/index.ts`,
    output: { file: `dist/${part === 'widget' ? 'index' : part}.d.ts`, format: 'es' },
    external: (id) => nodeExternal.some((e) => id === e || id.startsWith(`${e}/`)) || id === 'preact',
    plugins: [dts({ tsconfig: './tsconfig.build.json' })],
  })),
];
