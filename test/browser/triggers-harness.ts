// Bundles src/widget/triggers.ts as an IIFE (global `FPTriggers`) so browser tests can drive
// armTriggers with an `open` spy, independent of the widget UI. Each file is only transpiled (no type
// check of the whole program), which keeps this quick on a busy machine.
import { rollup, type Plugin } from 'rollup';
import ts from 'typescript';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const transpileTs = (): Plugin => ({
  name: 'transpile-ts',
  resolveId(source, importer) {
    if (!importer || !source.startsWith('.')) return null;
    const file = resolve(dirname(importer), `${source}.ts`);
    return existsSync(file) ? file : null;
  },
  transform(code, id) {
    if (!id.endsWith('.ts')) return null;
    const out = ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext }, fileName: id });
    return { code: out.outputText, map: null };
  },
});

let cached: Promise<string> | undefined;

export function triggersBundle(): Promise<string> {
  cached ??= (async () => {
    const bundle = await rollup({ input: resolve('src/widget/triggers.ts'), plugins: [transpileTs()] });
    const { output } = await bundle.generate({ format: 'iife', name: 'FPTriggers' });
    await bundle.close();
    return output[0].code;
  })();
  return cached;
}
