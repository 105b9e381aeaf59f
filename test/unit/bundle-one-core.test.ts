// An app that imports both npm entries, `feedpulse` (init) and `feedpulse/core` (createClient),
// resolved through the package's own `exports` the way an app's bundler resolves them: its bundle
// holds one copy of the core, so there is one client map and no doubled code.
import { describe, it, expect } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rollup } from 'rollup';
import resolve from '@rollup/plugin-node-resolve';

const built = existsSync('dist/index.js') && existsSync('dist/core.js');

describe.skipIf(!built)('an app bundling both entries', () => {
  it('gets one core: each core-only string once', async () => {
    // An app folder with the package installed (a link to this checkout, as `npm link` makes).
    const app = mkdtempSync(join(tmpdir(), 'fp-app-'));
    mkdirSync(join(app, 'node_modules'));
    symlinkSync(process.cwd(), join(app, 'node_modules', 'feedpulse'), 'dir');
    writeFileSync(join(app, 'main.js'),
      "import { init } from 'feedpulse'; import { createClient } from 'feedpulse/core'; window.fp = [init, createClient];");
    const unresolved: string[] = [];
    const bundle = await rollup({
      input: join(app, 'main.js'),
      plugins: [resolve({ browser: true, rootDir: app })],
      onwarn: (w) => { if (w.code === 'UNRESOLVED_IMPORT') unresolved.push(String(w.exporter)); },
    }).finally(() => rmSync(app, { recursive: true, force: true }));
    expect(unresolved).toEqual([]);
    const { output } = await bundle.generate({ format: 'es' });
    await bundle.close();
    const code = output.map((chunk) => (chunk.type === 'chunk' ? chunk.code : '')).join('\n');
    const count = (text: string) => code.split(text).length - 1;
    for (const text of ['application/vnd.kafka.json.v2+json', 'retry-after', 'feedpulse: IndexedDB', 'has a client on this page already']) {
      expect(count(text), text).toBe(1);
    }
    expect(output.filter((chunk) => chunk.type === 'chunk')).toHaveLength(1);
  });
});
