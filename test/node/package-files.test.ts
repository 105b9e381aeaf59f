// What `npm pack` puts in the package: the licence, and every relative link or image in the README
// and the install/deploy/scale docs points at a file that is in it (they are read from node_modules
// and on the registry's page, where a file left out is a broken link).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '..', '..');
const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repo, encoding: 'utf8' });
const files = new Set((JSON.parse(pack.stdout) as [{ files: { path: string }[] }])[0].files.map((f) => f.path));

/** Relative link and image targets in a Markdown file, without their #anchor. */
function relativeTargets(markdown: string): string[] {
  const targets = [...markdown.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)|<img[^>]+src="([^"]+)"/g)].map((m) => m[1] ?? m[2]);
  return targets.filter((t) => !/^([a-z]+:|#)/i.test(t)).map((t) => t.replace(/#.*$/, ''));
}

describe('the packed files', () => {
  it('hold the licence the manifest names', () => {
    expect(files.has('LICENSE')).toBe(true);
    expect(readFileSync(join(repo, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    expect(JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).license).toBe('MIT');
  });

  it('hold the script tag with the panel file and locale files it loads from next to itself', () => {
    for (const file of ['dist/feedpulse.min.js', 'dist/feedpulse-panel.js', 'dist/locales/de.js', 'dist/locales/ar.js']) {
      expect(files.has(file), file).toBe(true);
    }
  });

  for (const doc of ['README.md', 'docs/install.md', 'docs/deploy.md', 'docs/scale.md']) {
    it(`hold every file ${doc} links to`, () => {
      expect(files.has(doc)).toBe(true);
      const missing = relativeTargets(readFileSync(join(repo, doc), 'utf8'))
        .map((target) => normalize(join(dirname(doc), target)))
        // A folder link (`deploy/`) needs some packed file inside it.
        .filter((path) => (path.endsWith('/') ? ![...files].some((f) => f.startsWith(path)) : !files.has(path)));
      expect(missing).toEqual([]);
    });
  }
});
