// Compiles src/collector and what it imports (src/server, src/wire) from TypeScript to plain ESM for child processes (kill -9 test, benchmarks)
// without touching dist/: each file is transpiled on its own (types are erased, `.js` import
// specifiers already point at the output names). The output lives under node_modules/.cache so
// that `amqplib` and `nats` resolve from the project's node_modules.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

async function sources(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sources(path)));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Returns the absolute path of the compiled `collector/index.js`. */
export async function buildCollector() {
  const srcDir = join(root, 'src');
  const files = (await Promise.all(['collector', 'server', 'wire'].map((part) => sources(join(srcDir, part))))).flat().sort();
  const texts = await Promise.all(files.map((f) => readFile(f, 'utf8')));
  const hash = createHash('sha256');
  files.forEach((f, i) => hash.update(f).update(texts[i]));
  const outRoot = join(root, 'node_modules', '.cache', `feedpulse-collector-${hash.digest('hex').slice(0, 12)}`);
  const index = join(outRoot, 'collector', 'index.js');
  try {
    await readFile(index);
    return index; // already built from these exact sources
  } catch {
    // build below
  }
  const { default: ts } = await import('typescript'); // only when building: it is large
  const staging = `${outRoot}.${process.pid}.tmp`;
  for (let i = 0; i < files.length; i++) {
    const { outputText } = ts.transpileModule(texts[i], {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, isolatedModules: true },
      fileName: files[i],
    });
    const out = join(staging, relative(srcDir, files[i]).replace(/\.ts$/, '.js'));
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, outputText);
  }
  await writeFile(join(staging, 'package.json'), '{"type":"module"}\n');
  // A concurrent build of the same sources may have won the rename: then ours is not needed.
  await rename(staging, outRoot).catch(() => rm(staging, { recursive: true, force: true }));
  await pruneOldBuilds(dirname(outRoot), outRoot);
  return index;
}

/** Builds of other sources, untouched for an hour (no running process is still starting from them). */
async function pruneOldBuilds(cacheDir, keep) {
  const hourAgo = Date.now() - 3600_000;
  for (const name of await readdir(cacheDir).catch(() => [])) {
    const path = join(cacheDir, name);
    if (!name.startsWith('feedpulse-collector-') || path === keep) continue;
    const info = await stat(path).catch(() => undefined);
    if (info && info.mtimeMs < hourAgo) await rm(path, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await buildCollector());
