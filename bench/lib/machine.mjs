// The context every figure is printed with: machine, load, versions, date.
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ANCHORS, SIZE_ENTRIES } from './sdks.mjs';
import { installedVersion } from './anchors.mjs';

const git = (repo, args) => { try { return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim(); } catch { return undefined; } };

export function machineInfo(repo) {
  const cpus = os.cpus();
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
  const anchorVersions = {};
  for (const p of new Set([...ANCHORS.map((a) => a.pkg), ...SIZE_ENTRIES.map((e) => e.pkg), 'esbuild'])) anchorVersions[p] = installedVersion(p) ?? 'not installed';
  let playwright;
  try { playwright = JSON.parse(readFileSync(join(repo, 'node_modules/playwright-core/package.json'), 'utf8')).version; } catch { /* absent */ }
  return {
    date: new Date().toISOString(),
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    ramGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    feedpulse: `${pkg.version} (${git(repo, ['rev-parse', '--short', 'HEAD']) ?? 'no git'}${git(repo, ['status', '--porcelain', '--', 'src']) ? ', src has uncommitted changes' : ''})`,
    playwright,
    anchors: anchorVersions,
    loadStart: os.loadavg(),
  };
}

export const loadNow = () => os.loadavg().map((l) => l.toFixed(2)).join(' / ');
