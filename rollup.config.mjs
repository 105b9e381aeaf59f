// One config, four outputs (CONTRACT §1). Browser builds inline their dependencies so the
// byte budgets measure everything a page pays for; Node builds keep dependencies external.
import typescript from '@rollup/plugin-typescript';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { dts } from 'rollup-plugin-dts';
import { builtinModules } from 'node:module';
import { readFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';

const readJson = (file) => JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8'));
const pkg = readJson('./package.json');
// Brotli budgets per bundle: size-budget.json, which test/unit/size-budget.test.ts enforces too.
const { bundles } = readJson('./size-budget.json');
const ceilings = Object.fromEntries(Object.entries(bundles).flatMap(([, b]) => (b.files.length === 1 ? [[b.files[0], b.ceiling]] : [])));

// The source names properties for readers; terser shortens those that start with `_` (private by
// convention), the way Preact does: mangle.json holds the rule and the name each such property gets,
// so every browser build (and the script tag and its panel file, which meet across import()) agrees.
const mangle = readJson('./mangle.json');
// builtins: the made-up names may be ones the DOM uses too (single letters): only `_` properties of
// the SDK's own objects are renamed, and never to a name the code uses unmangled.
// File size: builtins saves 29 B brotli on dist/feedpulse.min.js, 2 B on dist/core.js.
const mangleOptions = () => ({
  properties: { regex: new RegExp(mangle.minify.mangle.properties.regex), reserved: mangle.minify.mangle.properties.reserved, builtins: true },
});
// A fresh copy per build: terser adds the names it had to make up to the cache it is given.
const nameCache = () => ({ props: { props: { ...mangle.props.props } } });
// File size: passes 3 and unsafe_arrows (a function expression that uses neither `this` nor
// `arguments` becomes an arrow) save 23 B brotli on dist/core.js, 26 B on dist/feedpulse.min.js.
// inline 1 (only functions that just return a value are inlined, not those with parameters or
// variables of their own, which the default 3 copies into each caller) saves 21 B brotli on
// dist/core.js, 10 B on dist/feedpulse.min.js; the panel and dist/index.js stay as they were.
// Measured and not kept: passes 5 (core -9 B, dist/index.js +40 B), hoist_funs (core -10 B, the
// panel +66 B), unsafe (core +4 B).
const minify = (compress = {}) => terser({ ecma: 2020, module: true, compress: { passes: 3, unsafe_arrows: true, inline: 1, ...compress }, mangle: mangleOptions(), nameCache: nameCache() });
// File size: `unsafe` for the script tag's panel file alone saves 18 B brotli on
// dist/feedpulse-panel.js. There it only turns String(number) into number+"" and templates into
// concatenation (the panel converts numbers and strings only); on dist/feedpulse.min.js it saves
// 4 B and is not safe (String() of values a page hands in, Symbols included).
// Measured and left out, on the panel: unsafe_comps +19 B, unsafe_methods +21 B, passes 2 +5 B,
// passes 4, pure_getters, hoist_props off, keep_fargs off ±0.
const panelCompress = { unsafe: true };

const ts = () => typescript({ tsconfig: './tsconfig.build.json' });
const browserPlugins = (compress) => [resolve({ browser: true }), ts(), minify(compress)];

function printSizes() {
  return {
    name: 'print-sizes',
    writeBundle(options, bundle) {
      for (const name of Object.keys(bundle)) {
        const file = `dist/${name}`;
        if (!file.endsWith('.js')) continue;
        const max = ceilings[file];
        const code = readFileSync(file);
        const br = brotliCompressSync(code).length;
        const gz = gzipSync(code, { level: 9 }).length;
        const against = max ? ` (ceiling ${max})${br > max ? '  <-- OVER ITS CEILING' : ''}` : '';
        console.log(`  ${file}: ${code.length} B min, ${gz} B gzip, ${br} B brotli${against}`);
      }
    },
  };
}

// Chromium compiles a function the first time it runs, on the main thread, one at a time. Every
// function of the script tag's bundle runs while the page loads (config, launcher, client start,
// the first send), so the file asks for all of them to be compiled at once with the script, off
// the main thread where the browser streams it (V8's explicit compile hints, Chrome 136+; other
// browsers read a comment). Measured with bench/ section `load`: the tag's added main-thread time
// 19.3 → 15.3 ms (median of 12 loads), for 31 B raw. Not for the panel file: most of it runs only
// when the visitor opens the panel.
const COMPILE_HINT = '//# allFunctionsCalledOnLoad\n';
function compileAllOnLoad() {
  return {
    name: 'compile-all-on-load',
    generateBundle(options, bundle) {
      for (const chunk of Object.values(bundle)) if (chunk.type === 'chunk') chunk.code = COMPILE_HINT + chunk.code;
    },
  };
}

// The script tag loads non-English copy (dist/locales/<lang>.js) and the panel
// (dist/feedpulse-panel.js) on demand; the npm build bundles both. Each `./load` module named here
// is swapped for the `./load-lazy.ts` beside it.
const lazyLoads = { './load': 'src/widget/locales/index.ts', './panel/load': 'src/widget/mount.ts' };
function lazyParts() {
  return {
    name: 'lazy-parts',
    resolveId(source, importer) {
      const from = importer?.replace(/\\/g, '/');
      if (from && lazyLoads[source] && from.endsWith(lazyLoads[source])) {
        return this.resolve(source.replace(/load$/, 'load-lazy.ts'), importer, { skipSelf: true });
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
    plugins: [lazyParts(), ...browserPlugins(), compileAllOnLoad(), printSizes()],
  }),
  ...pick('embed', {
    input: 'src/widget/panel/index.ts',
    output: { file: 'dist/feedpulse-panel.js', format: 'es', sourcemap: false },
    plugins: [...browserPlugins(panelCompress), printSizes()],
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
