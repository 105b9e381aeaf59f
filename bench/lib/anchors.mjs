// Finds which anchors are installed in bench/node_modules and bundles them with esbuild the way a
// user's build would (minified, tree-shaken, ESM with code splitting so lazy chunks stay lazy) into
// bench/.anchors/. Anchors that are not installed are skipped, never faked.
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
// Bundles, the dist snapshot and last-run.json go here; the smoke test points it at a temp folder so
// it never touches the files of a bench run going on in the same tree.
export const ANCHOR_DIR = process.env.FEEDPULSE_BENCH_WORKDIR || join(BENCH_DIR, '.anchors');
const requireHere = createRequire(join(BENCH_DIR, 'package.json'));

/** The installed version of a package in bench/node_modules, or undefined. */
export function installedVersion(pkg) {
  const file = join(BENCH_DIR, 'node_modules', pkg, 'package.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')).version;
}

let esbuildPromise;
export function loadEsbuild() {
  // Only bench/'s own esbuild: one the repo root happens to have must not switch the anchors on.
  if (!installedVersion('esbuild')) return Promise.resolve(undefined);
  esbuildPromise ??= import(requireHere.resolve('esbuild')).catch(() => undefined);
  return esbuildPromise;
}

const common = {
  bundle: true, minify: true, platform: 'browser', target: 'es2020', legalComments: 'none', logLevel: 'silent',
  define: { 'process.env.NODE_ENV': '"production"' },
  nodePaths: [join(BENCH_DIR, 'node_modules')],
};

/**
 * Bundle a user-like entry; returns every output file and which of them load up front
 * (the entry plus what it imports statically) versus lazily (dynamic import()).
 */
export async function bundleEntry(esbuild, entry) {
  const dir = join(ANCHOR_DIR, 'size', entry.id);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const entryFile = join(ANCHOR_DIR, 'entries', `${entry.id}.mjs`);
  mkdirSync(dirname(entryFile), { recursive: true });
  writeFileSync(entryFile, entry.code);
  const result = await esbuild.build({ ...common, entryPoints: [entryFile], outdir: dir, format: 'esm', splitting: true, metafile: true, absWorkingDir: BENCH_DIR });
  const outputs = result.metafile.outputs;
  // Dynamically imported modules are entry points in the metafile too: match the user's entry file.
  const entryRel = relative(BENCH_DIR, entryFile);
  const entryOut = Object.keys(outputs).find((k) => outputs[k].entryPoint === entryRel && k.endsWith('.js'));
  const initial = new Set();
  const walk = (k) => {
    if (initial.has(k)) return;
    initial.add(k);
    for (const imp of outputs[k].imports) if (imp.kind === 'import-statement' && outputs[imp.path]) walk(imp.path);
  };
  walk(entryOut);
  const files = Object.keys(outputs).filter((k) => k.endsWith('.js')).map((k) => ({ file: join(BENCH_DIR, k), initial: initial.has(k), name: relative(dir, join(BENCH_DIR, k)), entry: k === entryOut }));
  return files;
}

/** Bundle the page adapters (bench/adapters/<name>.js) into classic IIFE scripts for the harness. */
export async function bundleAdapters(esbuild, names) {
  const outdir = join(ANCHOR_DIR, 'adapters');
  mkdirSync(outdir, { recursive: true });
  const built = [];
  for (const name of names) {
    await esbuild.build({ ...common, entryPoints: [join(BENCH_DIR, 'adapters', `${name}.js`)], outfile: join(outdir, `${name}.js`), format: 'iife', absWorkingDir: BENCH_DIR });
    built.push(name);
  }
  return built;
}
