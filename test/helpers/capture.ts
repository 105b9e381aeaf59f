// Bundles the capture modules of src/core into one IIFE (window.fpCapture) for test pages, so the
// browser tests run the real source without waiting for the client build. TypeScript is only
// transpiled here (type checking is tsc's job), which keeps this fast.
import { rollup } from 'rollup';
import resolve from '@rollup/plugin-node-resolve';
import ts from 'typescript';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CORE = fileURLToPath(new URL('../../src/core/', import.meta.url));
const ENTRY = '\0capture-entry';
const MODULES = ['config', 'scrub', 'selector', 'autocapture', 'routes', 'page', 'identity', 'sampling'];

/** The capture modules as window.fpCapture, or with `client` the whole headless SDK
 *  (src/core/index.ts) as window.fpCore. */
export async function bundleCapture(which: 'capture' | 'client' = 'capture'): Promise<string> {
  const bundle = await rollup({
    input: which === 'client' ? CORE + 'index.ts' : ENTRY,
    plugins: [
      {
        name: 'capture-entry',
        resolveId(id, importer) {
          if (id === ENTRY) return id;
          if (importer && id.startsWith('.') && (importer === ENTRY || importer.endsWith('.ts'))) {
            const file = fileURLToPath(new URL(id + '.ts', importer === ENTRY ? `file://${CORE}` : `file://${importer}`));
            if (existsSync(file)) return file;
          }
          return null;
        },
        load(id) {
          return id === ENTRY ? MODULES.map((m) => `export * from './${m}';`).join('\n') : null;
        },
        transform(code, id) {
          if (!id.endsWith('.ts')) return null;
          const out = ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext } });
          return { code: out.outputText, map: null };
        },
      },
      resolve({ browser: true }),
    ],
    onwarn: () => {},
  });
  const { output } = await bundle.generate({ format: 'iife', name: which === 'client' ? 'fpCore' : 'fpCapture' });
  await bundle.close();
  return output[0].code;
}
